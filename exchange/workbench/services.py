"""The workbench's own writes: translators' language limits, and translating user content from the
queue. The live catalogs are written by the catalog runtime (exchange.i18n.catalog.services and .sync),
which the workbench's views call directly.

Services flush and write the audit log; the caller commits. They refuse with ``Refusal``/``Conflict``.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.audit.services import record
from exchange.errors import Conflict, Refusal, register_messages
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.i18n.catalog.validation import normalise
from exchange.rules import Len, check_version, clean_text, created_once
from exchange.workbench.models import TranslatorLanguages

register_messages({
    "no_locales": _l("Choose at least one language."),
})


def set_translator_locales(user, locales: list[str] | None, actor, expected_version: int | None = None) -> None:
    """Limit a translator to ``locales`` (None or every configured locale: no limit). ``expected_version``:
    the limit's version the form showed (0: no limit saved); a stale one is a Conflict."""
    languages = current_app.config["LANGUAGES"]
    if locales is not None:
        if not locales:
            raise Refusal("no_locales", "locales")
        if any(code not in languages for code in locales):
            raise Refusal("unknown_locale", "locales")
        if set(locales) >= set(languages):
            locales = None
    row = db.session.scalar(select(TranslatorLanguages).where(TranslatorLanguages.user_id == user.id))
    check_version(row, expected_version)
    if locales is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(TranslatorLanguages(user_id=user.id, locales=[c for c in languages if c in locales]))
    else:
        row.locales = [c for c in languages if c in locales]
    with created_once():  # two admins limiting the same translator at once: one row, the other a conflict
        db.session.flush()
    record(actor, "user.translator_locales", user, locales=locales)


def translate_content(source_row, locale: str, text: str, actor, approved: bool = False,
                      seen_source: str | None = None, expected_version: int | None = None):
    """Translate one field of user content (a source row of any text table) through the shared
    mechanism, which credits the translator on the owner's page; the audit entry goes to the
    translator's municipality.

    ``seen_source`` is the original the translator worked from: when the original changed since, the
    save is a conflict (the editor shows what changed). ``expected_version`` is the version of the
    translation the editor showed (0: none yet): another translator's save since is a conflict too. Only a translator whose municipality may read the
    owner's texts (``Translatable.content_readable_by``, as on the owner's page) may translate them.
    """
    owner = source_row.owner
    if not owner.content_readable_by(getattr(actor, "municipality_id", None)):
        raise Refusal("not_allowed")
    if seen_source is not None and seen_source != source_row.text:
        raise Conflict("text")
    check_version(owner.text_rows(source_row.field).get(locale), expected_version)
    text = clean_text(normalise(text), Len.DOCUMENT, "text")
    with created_once():  # two first translations at once: the unique (owner, field, locale) row
        row = content.set_translation(owner, source_row.field, locale, text, actor, approved=approved)
    record(actor, "content.translate", owner, field=source_row.field, locale=locale,
           status=row.status, type=type(owner).__name__)
    return row
