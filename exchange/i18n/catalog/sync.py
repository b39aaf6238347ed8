"""The live catalogs and ``.po`` files, the interchange format: the shipped catalogs on disk
(translations/<locale>/LC_MESSAGES/messages.po) merged into the live store, uploaded ``.po`` files taken
as drafts, and the published store exported back. Used by `flask translations sync|export`, the demo
loader and the workbench's import and export.

Every translation read from a file passes the same checks as an edit in the editor. Services flush; the
caller commits.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.i18n.catalog import validation
from exchange.i18n.catalog.models import CatalogMessage, CatalogVersion, MessageState, message_key
from exchange.i18n.catalog.services import (audit, bump, checks_column, fit, forms_of, index, nplurals,
                                            problems_of, save_translation, served)
from exchange.i18n.catalog.validation import Problem
from exchange.rules import check_locale

register_messages({
    "wrong_locale": _l("This file is for another language."),
    "unknown_msgid": _l("Not a string of this application"),
})


# --- the shipped catalogs on disk ------------------------------------------------------------------

def catalog_dir(directory: str | None = None) -> Path:
    return Path(directory or current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


def po_path(locale: str, directory: str | None = None) -> Path:
    return catalog_dir(directory) / locale / "LC_MESSAGES" / "messages.po"


def shipped_catalog(locale: str, directory: str | None = None) -> Catalog | None:
    """The committed .po of ``locale``, or None when there is none."""
    path = po_path(locale, directory)
    if not path.exists():
        return None
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def sync_shipped(locales: list[str] | None = None, directory: str | None = None,
                 only_empty: bool = False) -> Iterator[tuple[str, SyncReport | None]]:
    """Sync each locale's shipped catalog into the live store (flushes; the caller commits).

    ``only_empty`` skips locales that already have a live catalog (the demo loader: idempotent).
    Yields (locale, report), with None for a locale skipped or without a catalog file.
    """
    for locale in locales or current_app.config["LANGUAGES"]:
        if only_empty and db.session.scalar(select(CatalogMessage.id).where(CatalogMessage.locale == locale)
                                            .limit(1)) is not None:
            yield locale, None
            continue
        catalog = shipped_catalog(locale, directory)
        yield locale, (sync_catalog(catalog, locale) if catalog is not None else None)


# --- sync ------------------------------------------------------------------------------------------

@dataclass
class SyncReport:
    locale: str
    added: int = 0
    filled: int = 0
    obsoleted: int = 0
    kept: int = 0
    updated: int = 0  # a corrected translation in the .po taken over (no workbench edit in the way)
    revived: int = 0  # msgids back after a rollback, served again with their published translation
    conflicts: list[str] = field(default_factory=list)  # msgids whose .po and workbench versions differ
    rejected: list[tuple[str, list[Problem]]] = field(default_factory=list)
    version: int | None = None


def _entries(catalog: Catalog):
    for message in catalog:
        if message.id:
            yield message


def _po_strings(entry) -> list[str]:
    return list(entry.string) if isinstance(entry.string, (list, tuple)) else [entry.string or ""]


def _po_ids(entry) -> tuple[str, str]:
    if isinstance(entry.id, (list, tuple)):
        return entry.id[0], entry.id[1]
    return entry.id, ""


def _describe(message: CatalogMessage, entry, position: int) -> None:
    """Copy what the catalog says *about* a message (never its translation)."""
    message.flags = sorted(f for f in entry.flags if f != "fuzzy")
    message.translator_comments = "\n".join(entry.user_comments)
    message.extracted_comments = "\n".join(entry.auto_comments)
    message.locations = [[str(path), int(line) if line else 0] for path, line in entry.locations]
    message.locations_text = "\n".join(f"{path}:{line}" for path, line in message.locations)
    message.position = position
    message.words = validation.word_count(message.msgid) + validation.word_count(message.msgid_plural)
    message.obsolete = False
    index(message)


def sync_catalog(catalog: Catalog, locale: str) -> SyncReport:
    """Merge a shipped catalog into the live store without losing translators' work.

    New msgids are added with the catalog's translation (checked; a refused one is reported and left
    untranslated) and served at once, as the compiled catalog served them. Known msgids keep their
    live translation, but a translation corrected in the .po since the last sync is taken over when no
    translator changed the string in the workbench; when one did, the workbench's stays and the message
    is listed for translators as a conflict. Msgids gone from the catalog become obsolete: kept, with
    what was published, for their history and for a rollback; one that comes back is served again.
    Any change to what is served bumps the locale's version, so every worker reloads.
    """
    check_locale(locale, None)
    report = SyncReport(locale)
    existing = {m.key: m for m in db.session.scalars(select(CatalogMessage).where(CatalogMessage.locale == locale))}
    served_before = {key: m.published for key, m in existing.items() if not m.obsolete}
    seen: set[str] = set()
    added: list[CatalogMessage] = []
    count = nplurals(locale)
    for position, entry in enumerate(_entries(catalog)):
        msgid, msgid_plural = _po_ids(entry)
        key = message_key(msgid, msgid_plural, entry.context)
        if key in seen:
            continue
        seen.add(key)
        message = existing.get(key)
        if message is None:
            message = CatalogMessage(locale=locale, key=key, msgid=msgid, msgid_plural=msgid_plural,
                                     context=entry.context or "", strings=[""] * (count if msgid_plural else 1),
                                     state=MessageState.EMPTY.value, published=None, pending=False)
            db.session.add(message)
            added.append(message)
            report.added += 1
            fill = True
        else:
            report.kept += 1
            if message.obsolete:
                report.revived += 1
            fill = _shipped_changed(message, entry, report)
        _describe(message, entry, position)
        if fill:
            _take_shipped(message, entry, report)
        message.shipped = fit(_po_strings(entry), forms_of(message))
    for key, message in existing.items():
        if key not in seen and not message.obsolete:
            # Not served any more, but what was published stays: a rollback brings it back as it was.
            message.obsolete = True
            message.pending = False
            report.obsoleted += 1
    db.session.flush()
    served_after = {m.key: m.published for m in existing.values() if not m.obsolete}
    served_after.update({m.key: m.published for m in added})
    if served_after != served_before or db.session.get(CatalogVersion, locale) is None:
        report.version = bump(locale, None, sum(1 for v in served_after.values() if v),
                              by_name="translations sync").version
        db.session.flush()
    return report


def _shipped_changed(message: CatalogMessage, entry, report: SyncReport) -> bool:
    """Should a known message take the .po's translation? Yes when it is still untranslated and nobody
    edited it, or when the .po's translation changed since the last sync and the live one is still the
    previous .po's (no workbench edit). A changed .po against a workbench edit is a conflict: kept, listed."""
    shipped = fit(_po_strings(entry), forms_of(message))
    if message.edited_at is None and message.state == MessageState.EMPTY.value:
        return True
    if message.shipped is None or shipped == list(message.shipped) or not any(shipped):
        return False  # no record of an earlier .po version, or nothing changed there
    current = list(message.strings or [])
    if current == shipped:
        return False
    if message.edited_at is None or current == list(message.shipped):
        report.updated += 1
        return True
    message.shipped_conflict = True
    report.conflicts.append(message.msgid)
    return False


def _take_shipped(message: CatalogMessage, entry, report: SyncReport) -> None:
    strings = fit(_po_strings(entry), forms_of(message))
    if not any(strings):
        return
    problems = problems_of(message, strings)
    if validation.errors(problems):
        report.rejected.append((message.msgid, validation.errors(problems)))
        return
    if message.id is not None and message.state == MessageState.EMPTY.value:
        report.filled += 1
    message.strings = strings
    message.state = MessageState.FUZZY.value if entry.fuzzy else MessageState.TRANSLATED.value
    message.checks = checks_column(problems)
    index(message)
    message.published = served(message)
    message.pending = False


# --- import and export -----------------------------------------------------------------------------

@dataclass
class ImportReport:
    locale: str
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str, list[Problem]]] = field(default_factory=list)  # msgid, code, problems


def import_catalog(catalog: Catalog, locale: str, actor) -> ImportReport:
    """Take the translations of an uploaded ``.po`` as drafts (to be reviewed and published).

    Each entry passes the same checks as an edit in the editor; warnings do not stop an import. Unknown
    msgids and refused translations are reported (with the refusal's code), never stored.
    """
    check_locale(locale, None)
    report = ImportReport(locale)
    if catalog.locale is not None and str(catalog.locale) != locale:
        raise Refusal("wrong_locale", "file")
    existing = {m.key: m for m in db.session.scalars(
        select(CatalogMessage).where(CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False)))}
    for entry in _entries(catalog):
        msgid, msgid_plural = _po_ids(entry)
        message = existing.get(message_key(msgid, msgid_plural, entry.context))
        if message is None:
            report.rejected.append((msgid, "unknown_msgid", []))
            continue
        strings = fit(_po_strings(entry), forms_of(message))
        if not any(strings):
            report.unchanged += 1
            continue
        failing = validation.errors(problems_of(message, strings))
        if failing:
            report.rejected.append((msgid, "refused_by_checks", failing))
            continue
        try:
            changed = save_translation(message, strings, actor, fuzzy=entry.fuzzy, accept_warnings=True,
                                       action="import")
        except Refusal as refusal:
            report.rejected.append((msgid, refusal.code, []))
            continue
        report.updated += int(changed)
        report.unchanged += int(not changed)
    audit(actor, "catalog.import", None, locale=locale, updated=report.updated, rejected=len(report.rejected))
    return report


def export_catalog(locale: str, template: Catalog | None = None) -> Catalog:
    """The *published* live catalog of ``locale`` as a babel Catalog (header taken from ``template``,
    normally the committed ``.po``), in the shipped catalog's order."""
    catalog = Catalog(locale=locale, fuzzy=False)
    if template is not None:
        catalog.mime_headers = template.mime_headers
        catalog.header_comment = template.header_comment
        catalog.fuzzy = False
    messages = db.session.scalars(select(CatalogMessage).where(
        CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False)).order_by(
        CatalogMessage.position, CatalogMessage.id))
    for m in messages:
        published = fit(m.published or [], forms_of(m))
        msgid = (m.msgid, m.msgid_plural) if m.is_plural else m.msgid
        string = tuple(published) if m.is_plural else published[0]
        catalog.add(msgid, string, locations=[(p, line or None) for p, line in m.locations],
                    flags=list(m.flags), auto_comments=m.extracted_comments.splitlines(),
                    user_comments=m.translator_comments.splitlines(), context=m.context or None)
    return catalog
