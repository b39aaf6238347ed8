"""Form pieces every domain shares: validators with our own translated messages, and the fields that
parse request input through the shared rules (``exchange.rules``), so no view calls ``int()`` on raw
input and every text field has a length limit and refuses control characters.

WTForms' own messages ("Not a valid choice", "Not a valid date value") are neither ours nor in our
catalogs: every field here brings its own. Choice fields keep their values as strings and are checked by
``one_of``; ids are read with ``.ids`` / ``.id`` (parsed by the rules, blanks and junk dropped).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError
from markupsafe import Markup, escape
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from exchange import rules
from exchange.db import Len
from exchange.i18n.formatting import example_amount
from exchange.errors import Refusal


# --- validators ----------------------------------------------------------------------------------

class _Required(InputRequired):
    """InputRequired that also refuses what the field made of the input: whitespace only ("   "), which
    the choice, date and time fields read as no value. Without this, a required select sent as "+" passed
    the check (the raw input was not empty), skipped the choice check (blank) and reached the service as
    no choice at all."""

    def __call__(self, form, field):
        super().__call__(form, field)
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()) or (isinstance(data, list) and not data):
            if field.process_errors:
                raise StopValidation()  # the field already says what is wrong with the input
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message=None):
    return _Required(message=message or _l("This field is required."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def no_control_characters(form, field) -> None:
    if isinstance(field.data, str) and rules.has_control_characters(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


def text_validators(limit: int, is_required: bool = False) -> list:
    """Required (or optional), at most ``limit`` characters, no control characters."""
    return [required() if is_required else Optional(), max_length(limit), no_control_characters]


def one_of(form, field) -> None:
    """The submitted value(s) must be among the offered choices (a foreign or invented id, a tampered form)."""
    allowed = {str(value) for value, _label in (field.choices or [])}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(v not in (None, "") and str(v) not in allowed for v in values):
        raise ValidationError(_l("Choose one of the offered options."))


# --- fields --------------------------------------------------------------------------------------

class ChoiceField(SelectField):
    """A select whose value is checked by ``one_of`` (with our message); ``.id`` parses it as an id.
    Rendered by ``LongSelect``: every filter form of a list page has a few of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LongSelect())
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        # A whitespace-only value is no choice at all.
        self.data = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else None

    @property
    def id_value(self) -> int | None:
        return rules.parse_id(self.data)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice; ``.ids`` parses the ticked values as ids."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        # Blank members ("themes=") are no choice: drop them before the choice check sees them.
        self.data = [v.strip() for v in valuelist if isinstance(v, str) and v.strip()]

    @property
    def ids(self) -> list[int]:
        return rules.parse_ids(self.data)

    def checkbox_items(self) -> Markup | None:
        """Each choice's ``<li>`` (its checkbox and label) as one string, as wtforms renders them: wtforms
        makes a field object per choice, which cost a form of 300 linkable projects more than the rest of
        the page (issue 12). None when the field needs wtforms' own rendering (attributes of its own, a
        required or disabled flag, grouped choices or options with attributes): the ``field`` macro then
        iterates the choices as before."""
        flags = self.flags
        if (self.render_kw or getattr(flags, "required", False) or getattr(flags, "disabled", False)
                or not plain_choices(self.choices)):
            return None
        chosen = {str(v) for v in self.data or ()}
        name, items = escape(self.name), []
        for i, (value, label) in enumerate(self.choices):
            box = escape(f"{self.id}-{i}")
            items.append(f'<li><input {"checked " if str(value) in chosen else ""}id="{box}" name="{name}" '
                         f'type="checkbox" value="{escape(value)}"> <label for="{box}">{escape(label or value)}</label></li>')
        return Markup("".join(items))


def plain_choices(choices) -> bool:
    """``choices`` is a list of (value, label) pairs: no groups (a dict), no options with attributes of
    their own. Such choices are written by our own renderings (``LongSelect``, ``checkbox_items``); any
    other is left to wtforms."""
    return isinstance(choices, list) and all(type(c) is tuple and len(c) == 2 for c in choices)


def _blank(valuelist) -> bool:
    return not valuelist or not "".join(valuelist).strip()


class LocalDateField(DateField):
    """A date (YYYY-MM-DD, what <input type=date> sends) with our message, within the accepted years."""

    def process_formdata(self, valuelist):
        if _blank(valuelist):
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date in the form YYYY-MM-DD, for example 2025-05-14.")) from None

    def pre_validate(self, form):
        if self.data is not None and not rules.MIN_YEAR <= self.data.year <= rules.MAX_YEAR:
            raise ValidationError(_l("Enter a date between the years %(first)d and %(last)d.",
                                     first=rules.MIN_YEAR, last=rules.MAX_YEAR))


class LocalTimeField(TimeField):
    """A time of day (HH:MM, seconds accepted) with our message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if _blank(valuelist):
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a time in the form HH:MM, for example 09:30.")) from None


class AmountField(StringField):
    """Money or hours typed in the reader's own number format (``1 234,50``, ``1.234,50``, ``1234.50``):
    a text input, never ``type=number`` (a browser would silently drop a comma it does not expect).
    ``.parsed`` holds the Decimal; ambiguous input is refused, never guessed."""

    def __init__(self, label=None, validators=None, maximum=rules.MAX_AMOUNT, is_required: bool = False,
                 **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators=[max_length(40), no_control_characters, *(validators or [])], **kwargs)
        self.maximum = maximum
        self.is_required = is_required
        self.parsed = None

    def pre_validate(self, form):
        raw = (self.data or "").strip()
        self.parsed = None
        if not raw:
            if self.is_required:
                raise StopValidation(_l("This field is required."))
            return
        try:
            value = rules.read_amount(raw, self.name)
        except Refusal as refusal:
            raise StopValidation(refusal.message if refusal.code == "ambiguous_number" else
                                 _("Enter a number such as %(plain)s or %(grouped)s, without letters or units.",
                                   plain=example_amount(grouped=False), grouped=example_amount())) from None
        if value < 0:
            raise StopValidation(_l("Enter zero or a positive amount."))
        if value > self.maximum:
            raise StopValidation(_l("This amount is too large."))
        self.parsed = value

    @property
    def read_as(self) -> str | None:
        """The number as it was read, in the reader's own format (``99,50``), shown beside the field
        after a submission so nobody saves 9 950 believing it is 99,50; None before one."""
        if self.parsed is None:
            return None
        from flask_babel import format_decimal
        return format_decimal(self.parsed, format="#,##0.00###")


class VersionField(HiddenField):
    """The version of the object a form was opened with; ``.expected`` is it as a number (None when the
    value was missing or tampered with)."""

    @property
    def expected(self) -> int | None:
        return rules.parse_version(self.data)

    @property
    def checked(self) -> int:
        """The version to check the save against: a missing or tampered value never matches the saved
        version (-1), so such a save is a conflict, never a silent overwrite."""
        expected = self.expected
        return -1 if expected is None else expected


# --- forms ---------------------------------------------------------------------------------------

class ConfirmForm(FlaskForm):
    """A confirmed POST action (delete, withdraw, mark done): CSRF protection and, where the object has
    one, the version it was confirmed against."""

    version = VersionField()


class FilterForm(Form):
    """A list's filters, read from the query string (GET, no CSRF). An unknown value is ignored rather
    than refused: a filter link from an old bookmark still shows a page."""

    def value(self, name: str) -> str | None:
        """The field's value when it is one of its choices, else None."""
        field = self[name]
        allowed = {str(v) for v, _label in field.choices or []}
        return field.data if field.data and str(field.data) in allowed else None

    def id_value(self, name: str) -> int | None:
        return rules.parse_id(self.value(name))


def search_term(value: str | None) -> str:
    """A search box's text, bounded and without control characters (a filter never refuses)."""
    return rules.strip_control(value or "").strip()[:Len.SEARCH]


class LongSelect(Select):
    """A select of plain options, rendered as one string: wtforms builds each option through a Choice tuple
    and html_params, which cost more than the rest of a page for a thousand options (every municipality of
    the network), and a tenth of a list page for its filters' few dozen (issue 12). The default widget of
    ``ChoiceField``, whose value is the option's text (so "selected" is the same test as wtforms'). A field
    with groups, or options with their own attributes, render as usual."""

    def __call__(self, field, **kwargs):
        choices = field.choices
        if self.multiple or not plain_choices(choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in self.validation_attrs:
            if k not in kwargs and getattr(flags, k, False):
                kwargs[k] = getattr(flags, k)
        chosen = None if field.data is None else str(field.data)
        options = "".join(
            f'<option {"selected " if str(value) == chosen else ""}value="{escape(value)}">'
            f"{escape(label or value)}</option>" for value, label in choices)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")
