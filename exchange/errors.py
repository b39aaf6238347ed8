"""What a service says when it refuses, and the one catalog of messages that explains it to people.

Every domain raises the same two exceptions:

* ``Refusal(code, field=None, **params)``: the operation breaks a rule. ``code`` names the rule,
  ``field`` the form field it concerns (None: the whole form), ``params`` fill the message's placeholders.
* ``Conflict``: someone else saved the object since the form was opened (a stale version).

The request kit (``exchange.views.submit``) turns a refusal into a 422 with the message beside its field,
and a conflict into a 409 showing both versions. Messages are looked up here by code: the common codes
below, plus each domain's own, registered with ``register_messages`` beside the services that raise them.
This module imports no domain.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class Refusal(ValueError):
    """A refused operation: ``code`` names the rule, ``field`` the form field, ``params`` the message's
    placeholders (e.g. ``Refusal("too_long", "title", max=200)``)."""

    def __init__(self, code: str, field: str | None = None, **params):
        super().__init__(f"{code} ({field})" if field else code)
        self.code = code
        self.field = field
        self.params = params

    @property
    def message(self) -> str:
        return message_for(self.code, **self.params)


class Conflict(Refusal):
    """Someone else saved the object since the form was opened (a stale version): nothing was saved."""

    def __init__(self, field: str | None = None):
        super().__init__("conflict", field)


# The codes every domain uses. A domain's own codes are registered by that domain.
_MESSAGES: dict[str, object] = {
    "required": _l("This field is required."),
    "too_long": _l("This text is too long."),
    "too_long_max": _l("Use at most %(max)d characters."),
    "control_characters": _l("Remove the invisible control characters from this text."),
    "unknown_choice": _l("Choose one of the offered options."),
    "unknown_locale": _l("Choose one of the offered languages."),
    "unknown_currency": _l("Choose one of the offered currencies."),
    "unknown_theme": _l("Choose themes from the list."),
    "not_a_number": _l("Enter a number, such as %(example)s."),
    "ambiguous_number": _l("This number can be read in more than one way. Group thousands in threes or not at "
                           "all, and use one decimal separator: for example 1 250 000,50 or 1250000,50."),
    "negative": _l("Enter zero or a positive amount."),
    "too_many_decimals": _l("Use at most %(places)d decimal places."),
    "too_large": _l("This amount is too large."),
    "not_a_date": _l("Enter a date in the form YYYY-MM-DD, for example 2025-05-14."),
    "date_out_of_range": _l("Enter a date between the years %(first)d and %(last)d."),
    "end_before_start": _l("The end date cannot be before the start date."),
    "invalid_email": _l("Enter a valid e-mail address, such as name@example.org."),
    "invalid_url": _l("Enter a full web address, such as https://example.org."),
    "not_allowed": _l("You do not have permission to do this."),
    "already_decided": _l("This has already been decided."),
    "conflict": _l("Someone else saved this in the meantime, so your changes have not been saved. Your input is "
                   "kept below, beside the saved version: check it, then save again to keep your changes."),
    "unknown": _l("This could not be saved. Check your input and try again."),
}


def register_messages(messages: dict[str, object]) -> dict[str, object]:
    """Add a domain's own codes (lazy strings). A code means one thing everywhere: registering an existing
    code with another text is a programming error."""
    for code, text in messages.items():
        known = _MESSAGES.get(code)
        if known is not None and getattr(known, "_args", known) != getattr(text, "_args", text):
            raise ValueError(f"refusal code {code!r} is already registered with another message")
        _MESSAGES[code] = text
    return messages


def message_for(code: str, **params) -> str:
    """The message for ``code`` in the current language, its placeholders filled in."""
    text = str(_MESSAGES.get(code, _MESSAGES["unknown"]))  # a lazy string, translated now
    if "%(example)s" in text and "example" not in params:
        from exchange.i18n.formatting import example_amount  # an amount written the reader's way: 1 250,50
        params = {**params, "example": example_amount()}
    return text % params if params else text
