"""Reads for the workbench: catalog statistics and string lists, the translation memory, and the queue
of user-written content waiting for a translation.

The content queue discovers its sources: every mapped subclass of ContentTextMixin with an ``owner``
relationship (projects, participations, partner organisations, visits… without code here). Its queries
go through the ORM scope, so a translator sees exactly the content visible to their municipality.
"""
from __future__ import annotations

import difflib
import heapq
from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from exchange.db import Base
from exchange.extensions import db
from exchange.i18n.models import ContentStatus, ContentTextMixin
from exchange.i18n.queries import like_pattern
from exchange.workbench.models import CatalogChange, CatalogMessage, CatalogVersion, MessageState, TranslatorLanguages


def translator_locales(user) -> list[str] | None:
    """The locales an admin limited this translator to, or None (no limit)."""
    return db.session.scalar(select(TranslatorLanguages.locales).where(TranslatorLanguages.user_id == user.id))


def translator_limits() -> dict[int, list[str]]:
    """{user id: locales} of the limited translators of the current municipality."""
    return dict(db.session.execute(select(TranslatorLanguages.user_id, TranslatorLanguages.locales)).all())


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


@dataclass(frozen=True)
class Suggestion:
    msgid: str
    translation: str
    score: int  # percent


def suggestions(message: CatalogMessage, limit: int = 5, threshold: float = 0.55) -> list[Suggestion]:
    """An offline translation memory: the locale's translated messages whose source resembles this one."""
    source = message.msgid
    rows = db.session.execute(select(CatalogMessage.msgid, CatalogMessage.strings).where(
        CatalogMessage.locale == message.locale, CatalogMessage.state == MessageState.TRANSLATED.value,
        CatalogMessage.obsolete.is_(False), CatalogMessage.id != message.id,
        func.length(CatalogMessage.msgid).between(len(source) // 2, len(source) * 2 + 10)))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(source.lower())
    scored = []
    for msgid, strings in rows:
        matcher.set_seq1(msgid.lower())
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold and strings and strings[0]:
            scored.append((ratio, msgid, strings[0]))
    best = heapq.nlargest(limit, scored, key=lambda item: item[0])
    return [Suggestion(msgid, text, round(ratio * 100)) for ratio, msgid, text in best]


# --- the content queue ---------------------------------------------------------------------------

def content_models() -> list[type]:
    """Every text table of the shared content mechanism (a ContentTextMixin subclass with an owner)."""
    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, ContentTextMixin) and "owner" in mapper.relationships:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def content_type(model: type) -> str:
    """The queue's name for a text table: its owner's class name (Project, Visit, Organisation…)."""
    return model.owner.property.mapper.class_.__name__


def _owner_column(model: type):
    return next(iter(model.owner.property.local_columns))


_DONE = (ContentStatus.TRANSLATED.value, ContentStatus.APPROVED.value)


def _needs(model: type, target: str):
    """WHERE clause on a *source* row of ``model``: its ``target`` translation is missing or outdated."""
    other = aliased(model)
    owner_fk = _owner_column(model)
    other_fk = getattr(other, owner_fk.key)
    done = exists().where(other_fk == getattr(model, owner_fk.key), other.field == model.field,
                          other.locale == target, other.status.in_(_DONE))
    return and_(model.locale != target, ~done)


def _queue_select(model: type, targets: list[str], source: str = ""):
    stmt = select(model.id, model.updated_at).where(model.status == ContentStatus.SOURCE.value,
                                                   model.text != "",
                                                   or_(*[_needs(model, t) for t in targets]))
    if source:
        stmt = stmt.where(model.locale == source)
    return stmt


@dataclass
class QueueItem:
    type: str
    row: ContentTextMixin  # the source text
    targets: list[tuple[str, ContentStatus]]  # (locale, missing/outdated)

    @property
    def owner(self):
        return self.row.owner


@dataclass
class QueuePage:
    items: list[QueueItem]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def queue(targets: list[str], page: int = 1, per_page: int = 20, type_name: str = "", source: str = "",
          target: str = "") -> QueuePage:
    """User content whose translation into one of ``targets`` is missing or outdated, oldest first.

    One count and one id query per text table, then one query per table for the page's rows (with
    their owners and sibling texts): bounded, whatever the amount of content.
    """
    if target:
        targets = [t for t in targets if t == target]
    models = [m for m in content_models() if not type_name or content_type(m) == type_name]
    if not targets or not models:
        return QueuePage([], page, per_page, 0)
    page = max(1, page)
    total = 0
    streams = []
    for model in models:
        stmt = _queue_select(model, targets, source)
        total += db.session.scalar(select(func.count()).select_from(stmt.subquery()))
        ids = db.session.execute(stmt.order_by(model.updated_at, model.id).limit(page * per_page)).all()
        streams.append([(updated_at, model.__name__, row_id, model) for row_id, updated_at in ids])
    merged = list(heapq.merge(*streams, key=lambda item: (_naive(item[0]), item[1], item[2])))
    window = merged[(page - 1) * per_page: page * per_page]
    loaded: dict[tuple[str, int], ContentTextMixin] = {}
    for model in models:
        ids = [row_id for _, name, row_id, _m in window if name == model.__name__]
        if ids:
            owner = model.owner.property.mapper.class_
            for row in db.session.scalars(select(model).where(model.id.in_(ids)).options(
                    selectinload(model.owner).selectinload(owner.texts))):
                loaded[(model.__name__, row.id)] = row
    items = []
    for _, name, row_id, model in window:
        row = loaded.get((name, row_id))
        if row is None:
            continue
        needed = [(t, row.owner.status_of(row.field, t)) for t in targets if t != row.locale]
        needed = [(t, status) for t, status in needed if status.value not in _DONE]
        items.append(QueueItem(content_type(model), row, needed))
    return QueuePage(items, page, per_page, total)


def _naive(value):
    # SQLite gives naive datetimes, PostgreSQL aware ones; both are UTC.
    return value.replace(tzinfo=None) if value is not None and value.tzinfo else value


def content_row(type_name: str, row_id: int) -> ContentTextMixin | None:
    """A source text of the queue by type and id, through the scope (None when not visible)."""
    model = next((m for m in content_models() if content_type(m) == type_name), None)
    if model is None:
        return None
    row = db.session.scalar(select(model).where(model.id == row_id))
    return row if row is not None and row.is_source else None
