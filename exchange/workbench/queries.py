"""Reads for the workbench's catalog pages (statistics, string lists, a message's other languages and
history) and its admin page (translators and their language limits). The translation memory is in
``memory.py``, the content queue in ``queue.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from exchange.auth.models import Role, User, UserRole
from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogChange, CatalogMessage, CatalogVersion, MessageState
from exchange.i18n.queries import like_pattern
from exchange.workbench.models import TranslatorLanguages


def translator_locales(user) -> list[str] | None:
    """The locales an admin limited this translator to, or None (no limit)."""
    return db.session.scalar(select(TranslatorLanguages.locales).where(TranslatorLanguages.user_id == user.id))


def translator_limit(user) -> TranslatorLanguages | None:
    """The row limiting this translator's locales (its version is what the admin's form carries), or None."""
    return db.session.scalar(select(TranslatorLanguages).where(TranslatorLanguages.user_id == user.id))


def translator_limits() -> dict[int, list[str]]:
    """{user id: locales} of the limited translators of the current municipality."""
    return dict(db.session.execute(select(TranslatorLanguages.user_id, TranslatorLanguages.locales)).all())


def translators() -> list[User]:
    """The translators of the current municipality (the scope keeps users in it), by name."""
    stmt = select(User).join(UserRole).where(UserRole.role == Role.TRANSLATOR.value).order_by(User.name)
    return list(db.session.scalars(stmt).unique())


# --- the catalogs --------------------------------------------------------------------------------

@dataclass
class LocaleStats:
    locale: str
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in MessageState})
    words: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in MessageState})
    failing: int = 0
    pending: int = 0
    version: CatalogVersion | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def done_percent(self) -> int:
        done = self.counts["translated"] + self.counts["approved"]
        return round(100 * done / self.total) if self.total else 0


def _display_state():
    return case((and_(CatalogMessage.state == MessageState.TRANSLATED.value, CatalogMessage.approved_at.is_not(None)),
                 MessageState.APPROVED.value), else_=CatalogMessage.state)


def overview(locales: list[str]) -> dict[str, LocaleStats]:
    """Counts and words by state, failing checks, changes waiting and the last publication: 2 queries."""
    stats = {code: LocaleStats(code) for code in locales}
    if not locales:
        return stats
    state = _display_state().label("state")
    rows = db.session.execute(
        select(CatalogMessage.locale, state, func.count(), func.coalesce(func.sum(CatalogMessage.words), 0),
               func.sum(case((CatalogMessage.checks != "", 1), else_=0)),
               func.sum(case((CatalogMessage.pending.is_(True), 1), else_=0)))
        .where(CatalogMessage.locale.in_(locales), CatalogMessage.obsolete.is_(False))
        .group_by(CatalogMessage.locale, state))
    for locale, state_value, count, words, failing, pending in rows:
        entry = stats[locale]
        entry.counts[state_value] = count
        entry.words[state_value] = int(words)
        entry.failing += int(failing or 0)
        entry.pending += int(pending or 0)
    for version in db.session.scalars(select(CatalogVersion).where(CatalogVersion.locale.in_(locales))):
        stats[version.locale].version = version
    return stats


def messages(locale: str, state: str = "", check: str = "", q: str = "", location: str = ""):
    """The live messages of a locale, filtered, in the shipped catalog's order (a select to paginate)."""
    stmt = select(CatalogMessage).where(CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False))
    if state:
        stmt = stmt.where(_display_state() == state)
    if check == "any":
        stmt = stmt.where(CatalogMessage.checks != "")
    elif check == "shipped":
        stmt = stmt.where(CatalogMessage.shipped_conflict.is_(True))
    elif check:
        stmt = stmt.where(CatalogMessage.checks.like(like_pattern(f",{check},"), escape="\\"))
    if q:
        stmt = stmt.where(CatalogMessage.search_text.like(like_pattern(q.lower()), escape="\\"))
    if location:
        stmt = stmt.where(CatalogMessage.locations_text.like(like_pattern(location), escape="\\"))
    return stmt.order_by(CatalogMessage.position, CatalogMessage.id)


def message(locale: str, message_id: int) -> CatalogMessage | None:
    row = db.session.get(CatalogMessage, message_id)
    return row if row is not None and row.locale == locale and not row.obsolete else None


def other_languages(message: CatalogMessage, locales: list[str]) -> list[CatalogMessage]:
    """The same message in the other locales, for reference."""
    return list(db.session.scalars(select(CatalogMessage).where(
        CatalogMessage.key == message.key, CatalogMessage.locale != message.locale,
        CatalogMessage.locale.in_(locales)).order_by(CatalogMessage.locale)))


def history(message: CatalogMessage, limit: int = 50) -> list[CatalogChange]:
    return list(db.session.scalars(select(CatalogChange).where(CatalogChange.message_id == message.id)
                                   .order_by(CatalogChange.at.desc(), CatalogChange.id.desc()).limit(limit)))


def change(message: CatalogMessage, change_id: int) -> CatalogChange | None:
    row = db.session.get(CatalogChange, change_id)
    return row if row is not None and row.message_id == message.id else None


PENDING_SHOWN = 200


def pending_changes(locale: str, limit: int = PENDING_SHOWN) -> list[CatalogMessage]:
    """What a publication of ``locale`` would change: drafts that differ from what is served, in the
    catalog's order (the first ``limit``; the page says how many there are in all)."""
    return list(db.session.scalars(select(CatalogMessage).where(
        CatalogMessage.locale == locale, CatalogMessage.pending.is_(True), CatalogMessage.obsolete.is_(False))
        .order_by(CatalogMessage.position, CatalogMessage.id).limit(limit)))
