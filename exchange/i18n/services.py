"""Writing translatable content. Services flush; the caller commits.

Rules (DESIGN.md §5): the author writes in any configured language; editing the source marks the
translations outdated and never deletes them; a translation is never stored in the source's language.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from exchange.db import utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.i18n.models import ContentStatus, Translatable
from exchange.i18n.sorting import refresh_text_keys
from exchange.rules import check_locale

register_messages({
    "no_source": _l("This text has no original yet."),
    "same_as_source": _l("This is the language of the original."),
    "not_approvable": _l("Only a translated string that is not approved yet can be approved."),
})


def _check_locale(locale: str) -> None:
    check_locale(locale, None)


def _new_row(owner: Translatable, field: str, locale: str):
    model = type(owner).texts.property.mapper.class_
    row = model(field=field, locale=locale, text="")
    owner.texts.append(row)
    return row


def _credit(row, user) -> None:
    row.updated_by_name = getattr(user, "name", None)
    row.updated_by_municipality_id = getattr(user, "municipality_id", None)
    row.updated_at = utcnow()


def _sorted_by(owner: Translatable, field: str) -> None:
    # The list is sorted by this field: its per-locale keys change in the same transaction as the text.
    if field == type(owner).SORT_FIELD:
        refresh_text_keys(owner)


def set_source(owner: Translatable, field: str, text: str, locale: str, user) -> bool:
    """Write the original text of ``field`` in ``locale``. Returns True when the text changed.

    When the text changes, every translation (translated or approved) becomes outdated. When the author
    switches language, the old original stays as an outdated version in its language.
    """
    if field not in owner.text_fields():
        raise ValueError(f"{type(owner).__name__} has no translatable field {field!r}")
    _check_locale(locale)
    text = (text or "").strip()
    rows = owner.text_rows(field)
    source = next((r for r in rows.values() if r.is_source), None)
    if source is not None and source.locale == locale and source.text == text:
        return False
    target = rows.get(locale) or _new_row(owner, field, locale)
    for row in rows.values():
        if row is target:
            continue
        if row.is_source or row.status in (ContentStatus.TRANSLATED.value, ContentStatus.APPROVED.value):
            row.status = ContentStatus.OUTDATED.value
            # Outdated says the original moved on; when and by whom the translation was made stays true.
            row.updated_at = row.updated_at
            flag_modified(row, "updated_at")
    target.status = ContentStatus.SOURCE.value
    target.text = text
    target.source_snapshot = None
    _credit(target, user)
    _sorted_by(owner, field)
    db.session.flush()
    return True


def author_locale(user, locale: str | None = None) -> str:
    """The language a text is written in: the one the form was filled in (``locale``), else the author's
    preferred language, else their municipality's (the CLI and the demo loader write without a page)."""
    if locale:
        return locale
    if getattr(user, "preferred_locale", None):
        return user.preferred_locale
    from exchange.municipalities.models import Municipality
    return db.session.get(Municipality, user.municipality_id).default_locale


def write_source(owner: Translatable, field: str, text: str, locale: str | None, user) -> bool:
    """``set_source`` for the small texts of a child row (a milestone's title, a contact's role…), whose
    forms have no language field: a text left as it was keeps its original language (saving a programme
    item's new day from a German page does not make its Swedish title German); an empty text without an
    original stores nothing; an empty text replacing one is stored, so the translations of what was there
    become outdated rather than shown as if still true. Returns True when the text changed."""
    text = (text or "").strip()
    source = owner.source_row(field)
    if (source is None and not text) or (source is not None and source.text == text):
        return False
    return set_source(owner, field, text, author_locale(user, locale), user)


def set_translation(owner: Translatable, field: str, locale: str, text: str, user,
                    approved: bool = False):
    """Store a translation of ``field`` into ``locale`` made from the current source."""
    _check_locale(locale)
    source = owner.source_row(field)
    if source is None:
        raise Refusal("no_source")
    if source.locale == locale:
        raise Refusal("same_as_source")
    text = (text or "").strip()
    if not text:
        raise Refusal("required", "text")
    row = owner.text_rows(field).get(locale) or _new_row(owner, field, locale)
    row.text = text
    row.status = (ContentStatus.APPROVED if approved else ContentStatus.TRANSLATED).value
    row.source_snapshot = source.text
    _credit(row, user)
    _sorted_by(owner, field)
    db.session.flush()
    return row


def approve(owner: Translatable, field: str, locale: str, user):
    """Approve an up-to-date translation as it stands."""
    row = owner.text_rows(field).get(locale)
    if row is None or row.status != ContentStatus.TRANSLATED.value:
        raise Refusal("not_approvable")
    row.status = ContentStatus.APPROVED.value
    _credit(row, user)
    db.session.flush()
    return row


def write_fields(owner: Translatable, values: dict[str, str], locale: str, user,
                 translations: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Form helper: the author's texts in ``locale`` plus optional translations written at once
    (``{locale: {field: text}}``; empty texts are skipped). Returns the fields whose source changed."""
    changed = [field for field, text in values.items() if set_source(owner, field, text, locale, user)]
    for other, texts in (translations or {}).items():
        for field, text in texts.items():
            if text and text.strip() and other != locale:
                set_translation(owner, field, other, text, user)
    return changed
