"""Writing the live catalogs: edits, approvals, reverts and publication.

Services flush and write the audit log (in the acting translator's municipality); the caller commits.
They refuse with ``Refusal``/``Conflict`` (exchange.errors). Every translation passes
``validation.check`` before it is stored: a translated string is rendered as trusted markup, so nothing
that fails a check reaches the database. The shipped ``.po`` files are merged in ``sync.py``.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from babel.messages.plurals import get_plural
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.audit.services import record
from exchange.db import utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.i18n.catalog import live, validation
from exchange.i18n.catalog.models import CatalogChange, CatalogMessage, CatalogVersion, MessageState
from exchange.i18n.catalog.validation import Problem
from exchange.rules import Len, check_locale, check_version

register_messages({
    "obsolete": _l("This string is no longer used by the application."),
    "own_translation": _l("Another translator has to approve your translation."),
    "empty_catalog": _l("There is nothing to publish in this language yet."),
    "foreign_change": _l("This change does not belong to this string."),
    "refused_by_checks": _l("Refused by the checks"),
    "unchecked_warnings": _l("Please check these points. To keep the translation as it is, tick “Save anyway” "
                             "and save again."),
})
# Also raised here, registered by the content services with the same sentence: "not_approvable".


def nplurals(locale: str) -> int:
    """How many plural forms the locale has (CLDR, as in the catalogs' Plural-Forms header)."""
    return get_plural(locale).num_plurals


def forms_of(message: CatalogMessage) -> int:
    return nplurals(message.locale) if message.is_plural else 1


def fit(strings: Iterable[str], count: int) -> list[str]:
    """One normalised string per plural form: missing forms empty, extra ones dropped."""
    strings = [validation.normalise(s) for s in strings]
    return (strings + [""] * count)[:count]


def problems_of(message: CatalogMessage, strings: list[str]) -> list[Problem]:
    return validation.check(message.msgid, strings, message.msgid_plural or None, nplurals(message.locale))


def checks_column(problems: list[Problem]) -> str:
    codes = sorted({p.code for p in problems})
    return f",{','.join(codes)}," if codes else ""


def index(message: CatalogMessage) -> None:
    """Keep the search column in step with the texts (lower-cased: LIKE is case-blind only for ASCII)."""
    parts = [message.msgid, message.msgid_plural or "", message.context or ""] + list(message.strings or [])
    message.search_text = "\n".join(p for p in parts if p).lower()


def _actor_fields(actor) -> tuple[int | None, str | None, int | None]:
    if actor is None:
        return None, None, None
    return actor.id, actor.name, actor.municipality_id


def _log(message: CatalogMessage, action: str, actor, old_strings: list, old_state: str) -> None:
    actor_id, name, municipality_id = _actor_fields(actor)
    db.session.add(CatalogChange(message=message, action=action, actor_id=actor_id, actor_name=name,
                                 actor_municipality_id=municipality_id, old_strings=list(old_strings),
                                 new_strings=list(message.strings), old_state=old_state,
                                 new_state=message.display_state.value, at=utcnow()))


def audit(actor, action: str, obj=None, **details) -> None:
    # The audit log is tenant-owned: only an actor's municipality can hold the entry (the CLI has none).
    if actor is not None:
        record(actor, action, obj, **details)


# --- editing -------------------------------------------------------------------------------------

def save_translation(message: CatalogMessage, strings: list[str], actor, *, fuzzy: bool = False,
                     accept_warnings: bool = False, action: str = "edit",
                     expected_version: int | None = None) -> bool:
    """Store a new draft of ``message``. Returns False when nothing changed.

    Refused when a text is longer than ``Len.TEXT``; refused ("refused_by_checks", beside the first
    failing plural form) when a check fails; refused
    ("unchecked_warnings") when a check warns and the translator has not chosen to save anyway; a
    conflict when the form was opened on another version. Changing the text of an approved message voids
    the approval. An entirely empty translation makes the message untranslated.
    """
    if message.obsolete:
        raise Refusal("obsolete")
    check_version(message, expected_version)
    strings = fit(strings, forms_of(message))
    for form, text in enumerate(strings):
        if len(text) > Len.TEXT:
            raise Refusal("too_long_max", f"form_{form}", max=Len.TEXT)
    problems = problems_of(message, strings)
    failing = validation.errors(problems)
    if failing:
        raise Refusal("refused_by_checks", f"form_{failing[0].form or 0}")
    if validation.warnings(problems) and not accept_warnings:
        raise Refusal("unchecked_warnings")
    if not any(strings):
        state = MessageState.EMPTY.value
    else:
        state = MessageState.FUZZY.value if fuzzy else MessageState.TRANSLATED.value
    if strings == list(message.strings or []) and state == message.state:
        return False
    old_strings, old_state = list(message.strings or []), message.display_state.value
    if strings != old_strings or state != MessageState.TRANSLATED.value:
        _void_approval(message)
    message.strings = strings
    message.state = state
    message.checks = checks_column(problems)
    index(message)
    message.pending = served(message) != message.published
    message.edited_by_id, message.edited_by_name, message.edited_by_municipality_id = _actor_fields(actor)
    message.edited_at = utcnow()
    message.shipped_conflict = False  # a translator has decided
    _log(message, action, actor, old_strings, old_state)
    db.session.flush()
    audit(actor, f"catalog.{action}", message, locale=message.locale, msgid=message.msgid[:200], state=state)
    return True


def _void_approval(message: CatalogMessage) -> None:
    message.approved_by_id = message.approved_by_name = message.approved_by_municipality_id = None
    message.approved_at = None


def approve(message: CatalogMessage, actor, expected_version: int | None = None) -> None:
    """Approve the current translation. Only a different translator than the last editor may."""
    check_version(message, expected_version)
    if message.state != MessageState.TRANSLATED.value or message.is_approved or message.obsolete:
        raise Refusal("not_approvable")
    if message.last_edited_by(actor):
        raise Refusal("own_translation")
    old_state = message.display_state.value
    message.approved_by_id, message.approved_by_name, message.approved_by_municipality_id = _actor_fields(actor)
    message.approved_at = utcnow()
    _log(message, "approve", actor, list(message.strings), old_state)
    db.session.flush()
    audit(actor, "catalog.approve", message, locale=message.locale, msgid=message.msgid[:200])


def revert(message: CatalogMessage, change: CatalogChange, actor, accept_warnings: bool = False,
           expected_version: int | None = None) -> bool:
    """Go back to the strings a message had before ``change`` (checked again, like any edit)."""
    if change.message_id != message.id:
        raise Refusal("foreign_change")
    fuzzy = change.old_state == MessageState.FUZZY.value
    return save_translation(message, list(change.old_strings), actor, fuzzy=fuzzy, accept_warnings=accept_warnings,
                            action="revert", expected_version=expected_version)


# --- publishing ----------------------------------------------------------------------------------

def served(message: CatalogMessage) -> list | None:
    """What publishing would serve: translated drafts; untranslated and fuzzy ones show the source."""
    if message.obsolete or message.state != MessageState.TRANSLATED.value:
        return None
    return list(message.strings)


def bump(locale: str, actor, count: int, by_name: str | None = None) -> CatalogVersion:
    """A new published version of ``locale``: every worker reloads it on its next request."""
    row = db.session.get(CatalogVersion, locale)
    if row is None:
        row = CatalogVersion(locale=locale, version=0)
        db.session.add(row)
    _, name, municipality_id = _actor_fields(actor)
    row.version = (row.version or 0) + 1
    row.revision = uuid.uuid4().hex
    row.published_at = utcnow()
    row.published_by_name = name or by_name
    row.published_by_municipality_id = municipality_id
    row.published_messages = count
    live.forget_revisions()  # this request, too, serves the new version from now on
    return row


def publish(locale: str, actor) -> CatalogVersion:
    """Serve the drafts of ``locale``: every worker reloads it on its next request."""
    check_locale(locale, None)
    messages = db.session.scalars(select(CatalogMessage).where(CatalogMessage.locale == locale)).all()
    if not messages:
        raise Refusal("empty_catalog")
    for message in messages:
        now_served = served(message)
        # Only what changes is written: an untouched message keeps its version (no needless conflicts).
        if message.published != now_served:
            message.published = now_served
        if message.pending:
            message.pending = False
    row = bump(locale, actor, sum(1 for m in messages if m.published))
    db.session.flush()
    audit(actor, "catalog.publish", None, locale=locale, version=row.version)
    return row
