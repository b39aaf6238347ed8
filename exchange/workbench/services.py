"""Writing the live catalogs: edits, approvals, reverts, publication, the sync with the shipped ``.po``
files, ``.po`` imports, and translators' language limits.

Services flush and write the audit log (in the acting translator's municipality); the caller commits.
Every translation passes exchange.workbench.validation before it is stored: a translated string is
rendered as trusted markup, so nothing that fails a check reaches the database.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from flask import current_app
from sqlalchemy import select

from exchange.audit.services import record
from exchange.db import utcnow
from exchange.extensions import db
from exchange.workbench import validation
from exchange.workbench.models import (CatalogChange, CatalogMessage, CatalogVersion, MessageState,
                                       TranslatorLanguages, message_key)
from exchange.workbench.validation import Problem


class WorkbenchError(ValueError):
    """A refused operation; ``code`` names the rule (the view translates it), ``problems`` the findings
    of a refused translation."""

    def __init__(self, code: str, problems: list[Problem] | None = None):
        super().__init__(code)
        self.code = code
        self.problems = problems or []


def nplurals(locale: str) -> int:
    """How many plural forms the locale has (CLDR, as in the catalogs' Plural-Forms header)."""
    return get_plural(locale).num_plurals


def forms_of(message: CatalogMessage) -> int:
    return nplurals(message.locale) if message.is_plural else 1


def _fit(strings: Iterable[str], count: int) -> list[str]:
    strings = [validation.normalise(s) for s in strings]
    return (strings + [""] * count)[:count]


def problems_of(message: CatalogMessage, strings: list[str]) -> list[Problem]:
    return validation.check(message.msgid, strings, message.msgid_plural or None, nplurals(message.locale))


def _checks_column(problems: list[Problem]) -> str:
    codes = sorted({p.code for p in problems})
    return f",{','.join(codes)}," if codes else ""


def _index(message: CatalogMessage) -> None:
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


def _audit(actor, action: str, obj=None, **details) -> None:
    # The audit log is tenant-owned: only an actor's municipality can hold the entry (the CLI has none).
    if actor is not None:
        record(actor, action, obj, **details)


# --- editing -------------------------------------------------------------------------------------

def save_translation(message: CatalogMessage, strings: list[str], actor, *, fuzzy: bool = False,
                     accept_warnings: bool = False, action: str = "edit") -> bool:
    """Store a new draft of ``message``. Returns False when nothing changed.

    Refused (WorkbenchError "invalid") when a check fails; refused ("warnings") when a check warns and
    the translator has not chosen to save anyway. Changing the text of an approved message voids the
    approval. An entirely empty translation makes the message untranslated.
    """
    if message.obsolete:
        raise WorkbenchError("obsolete")
    strings = _fit(strings, forms_of(message))
    problems = problems_of(message, strings)
    if validation.errors(problems):
        raise WorkbenchError("invalid", validation.errors(problems))
    if validation.warnings(problems) and not accept_warnings:
        raise WorkbenchError("warnings", validation.warnings(problems))
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
    message.checks = _checks_column(problems)
    _index(message)
    message.pending = _served(message) != message.published
    message.edited_by_id, message.edited_by_name, message.edited_by_municipality_id = _actor_fields(actor)
    message.edited_at = utcnow()
    _log(message, action, actor, old_strings, old_state)
    db.session.flush()
    _audit(actor, f"catalog.{action}", message, locale=message.locale, msgid=message.msgid[:200], state=state)
    return True


def _void_approval(message: CatalogMessage) -> None:
    message.approved_by_id = message.approved_by_name = message.approved_by_municipality_id = None
    message.approved_at = None


def approve(message: CatalogMessage, actor) -> None:
    """Approve the current translation. Only a different translator than the last editor may."""
    if message.state != MessageState.TRANSLATED.value or message.is_approved or message.obsolete:
        raise WorkbenchError("not_approvable")
    if message.last_edited_by(actor):
        raise WorkbenchError("own_translation")
    old_state = message.display_state.value
    message.approved_by_id, message.approved_by_name, message.approved_by_municipality_id = _actor_fields(actor)
    message.approved_at = utcnow()
    _log(message, "approve", actor, list(message.strings), old_state)
    db.session.flush()
    _audit(actor, "catalog.approve", message, locale=message.locale, msgid=message.msgid[:200])


def revert(message: CatalogMessage, change: CatalogChange, actor, accept_warnings: bool = False) -> bool:
    """Go back to the strings a message had before ``change`` (checked again, like any edit)."""
    if change.message_id != message.id:
        raise WorkbenchError("not_found")
    fuzzy = change.old_state == MessageState.FUZZY.value
    return save_translation(message, list(change.old_strings), actor, fuzzy=fuzzy,
                            accept_warnings=accept_warnings, action="revert")


# --- publishing ----------------------------------------------------------------------------------

def _served(message: CatalogMessage) -> list | None:
    """What publishing would serve: translated drafts; untranslated and fuzzy ones show the source."""
    if message.obsolete or message.state != MessageState.TRANSLATED.value:
        return None
    return list(message.strings)


def _bump(locale: str, actor, count: int, by_name: str | None = None) -> CatalogVersion:
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
    return row


def publish(locale: str, actor) -> CatalogVersion:
    """Serve the drafts of ``locale``: every worker reloads it on its next request."""
    _check_locale(locale)
    messages = db.session.scalars(select(CatalogMessage).where(CatalogMessage.locale == locale)).all()
    if not messages:
        raise WorkbenchError("empty_catalog")
    for message in messages:
        served = _served(message)
        # Only what changes is written: an untouched message keeps its version (no needless conflicts).
        if message.published != served:
            message.published = served
        if message.pending:
            message.pending = False
    row = _bump(locale, actor, sum(1 for m in messages if m.published))
    db.session.flush()
    _audit(actor, "catalog.publish", None, locale=locale, version=row.version)
    return row


def _check_locale(locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise WorkbenchError("unknown_locale")


# --- the shipped catalogs ------------------------------------------------------------------------

@dataclass
class SyncReport:
    locale: str
    added: int = 0
    filled: int = 0
    obsoleted: int = 0
    kept: int = 0
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
    _index(message)


def sync_catalog(catalog: Catalog, locale: str) -> SyncReport:
    """Merge a shipped catalog into the live store without losing translators' work.

    New msgids are added with the catalog's translation (checked; a refused one is reported and left
    untranslated) and served at once, as the compiled catalog served them. Known msgids keep their
    live translation; one that was never touched in the workbench and is still untranslated takes the
    catalog's. Msgids gone from the catalog become obsolete: kept for their history, no longer served.
    Any change to what is served bumps the locale's version, so every worker reloads.
    """
    _check_locale(locale)
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
            fill = message.edited_at is None and message.state == MessageState.EMPTY.value
        _describe(message, entry, position)
        if fill:
            _take_shipped(message, entry, report)
    for key, message in existing.items():
        if key not in seen and not message.obsolete:
            message.obsolete = True
            message.published = None
            message.pending = False
            report.obsoleted += 1
    db.session.flush()
    served_after = {m.key: m.published for m in existing.values() if not m.obsolete}
    served_after.update({m.key: m.published for m in added})
    if served_after != served_before or db.session.get(CatalogVersion, locale) is None:
        report.version = _bump(locale, None, sum(1 for v in served_after.values() if v),
                               by_name="translations sync").version
        db.session.flush()
    return report


def _take_shipped(message: CatalogMessage, entry, report: SyncReport) -> None:
    strings = _fit(_po_strings(entry), forms_of(message))
    if not any(strings):
        return
    problems = problems_of(message, strings)
    if validation.errors(problems):
        report.rejected.append((message.msgid, validation.errors(problems)))
        return
    if message.id is not None:
        report.filled += 1
    message.strings = strings
    message.state = MessageState.FUZZY.value if entry.fuzzy else MessageState.TRANSLATED.value
    message.checks = _checks_column(problems)
    _index(message)
    message.published = _served(message)
    message.pending = False


@dataclass
class ImportReport:
    locale: str
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str, list[Problem]]] = field(default_factory=list)  # msgid, reason, problems


def import_catalog(catalog: Catalog, locale: str, actor) -> ImportReport:
    """Take the translations of an uploaded ``.po`` as drafts (to be reviewed and published).

    Each entry passes the same checks as an edit in the editor; warnings do not stop an import. Unknown
    msgids and refused translations are reported, never stored.
    """
    _check_locale(locale)
    report = ImportReport(locale)
    if catalog.locale is not None and str(catalog.locale) != locale:
        raise WorkbenchError("wrong_locale")
    existing = {m.key: m for m in db.session.scalars(
        select(CatalogMessage).where(CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False)))}
    for entry in _entries(catalog):
        msgid, msgid_plural = _po_ids(entry)
        message = existing.get(message_key(msgid, msgid_plural, entry.context))
        if message is None:
            report.rejected.append((msgid, "unknown", []))
            continue
        strings = _fit(_po_strings(entry), forms_of(message))
        if not any(strings):
            report.unchanged += 1
            continue
        try:
            changed = save_translation(message, strings, actor, fuzzy=entry.fuzzy, accept_warnings=True,
                                       action="import")
        except WorkbenchError as exc:
            report.rejected.append((msgid, exc.code, exc.problems))
            continue
        report.updated += int(changed)
        report.unchanged += int(not changed)
    _audit(actor, "catalog.import", None, locale=locale, updated=report.updated, rejected=len(report.rejected))
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
        forms = nplurals(locale) if m.is_plural else 1
        published = _fit(m.published or [], forms)
        msgid = (m.msgid, m.msgid_plural) if m.is_plural else m.msgid
        string = tuple(published) if m.is_plural else published[0]
        catalog.add(msgid, string, locations=[(p, line or None) for p, line in m.locations],
                    flags=list(m.flags), auto_comments=m.extracted_comments.splitlines(),
                    user_comments=m.translator_comments.splitlines(), context=m.context or None)
    return catalog


# --- translators' languages ----------------------------------------------------------------------

def set_translator_locales(user, locales: list[str] | None, actor) -> None:
    """Limit a translator to ``locales`` (None or every configured locale: no limit)."""
    languages = current_app.config["LANGUAGES"]
    if locales is not None:
        if not locales:
            raise WorkbenchError("no_locales")
        if any(code not in languages for code in locales):
            raise WorkbenchError("unknown_locale")
        if set(locales) >= set(languages):
            locales = None
    row = db.session.scalar(select(TranslatorLanguages).where(TranslatorLanguages.user_id == user.id))
    if locales is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(TranslatorLanguages(user_id=user.id, locales=[c for c in languages if c in locales]))
    else:
        row.locales = [c for c in languages if c in locales]
    db.session.flush()
    record(actor, "user.translator_locales", user, locales=locales)


# --- user-written content ------------------------------------------------------------------------

def translate_content(source_row, locale: str, text: str, actor, approved: bool = False):
    """Translate one field of user content (a source row of any text table) through the shared
    mechanism, which credits the translator on the owner's page; the audit entry goes to the
    translator's municipality."""
    from exchange.i18n import services as content
    owner = source_row.owner
    row = content.set_translation(owner, source_row.field, locale, validation.normalise(text), actor,
                                  approved=approved)
    record(actor, "content.translate", owner, field=source_row.field, locale=locale,
           status=row.status, type=type(owner).__name__)
    return row
