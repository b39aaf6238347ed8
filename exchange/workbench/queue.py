"""The content queue: user-written content whose translation into one of a translator's languages is
missing or outdated, oldest first.

The queue discovers its sources: every mapped subclass of ContentTextMixin with an ``owner``
relationship (projects, participations, partner organisations, visits… without code here). Its queries
go through the ORM scope and, on top of it, the owner model's own visibility predicate for its texts
(``content_readable_criteria``, through ``permissions.content_clause``): a translator lists and opens
exactly the texts their municipality reads on the owners' pages.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from exchange.db import Base
from exchange.extensions import db
from exchange.i18n.models import ContentStatus, ContentTextMixin
from exchange.paging import bounded_count, count_cap
from exchange.workbench import permissions


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
    return owner_model(model).__name__


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


def owner_model(model: type) -> type:
    return model.owner.property.mapper.class_


def optional_fields(model: type) -> tuple[str, ...]:
    """The fields of a text table whose translation is optional (comments, join messages)."""
    return tuple(owner_model(model).OPTIONAL_FIELDS)


def _queue_select(model: type, user, targets: list[str], source: str = "", optional: bool | None = None):
    """The source rows of ``model`` waiting for a translation into one of ``targets`` that ``user`` may read;
    ``optional``: only the optional fields (True), only the others (False), or both (None)."""
    stmt = select(model.id, model.updated_at).where(model.status == ContentStatus.SOURCE.value,
                                                   model.text != "",
                                                   or_(*[_needs(model, t) for t in targets]))
    if optional is not None and optional_fields(model):
        in_optional = model.field.in_(optional_fields(model))
        stmt = stmt.where(in_optional if optional else ~in_optional)
    elif optional:
        stmt = stmt.where(false())
    readable = permissions.content_clause(user, owner_model(model))
    if readable is not None:
        stmt = stmt.where(model.owner.has(readable))
    if source:
        stmt = stmt.where(model.locale == source)
    return stmt


def count_waiting(user, targets: list[str], since=None, until=None) -> int:
    """How many source texts ``user`` may read wait for a translation into one of ``targets``, counting
    only those written or changed after ``since`` (up to ``until``): what the translators' notification
    batches (exchange.notifications)."""
    total = 0
    for model in content_models():
        stmt = _queue_select(model, user, targets)
        if since is not None:
            stmt = stmt.where(model.updated_at > since)
        if until is not None:
            stmt = stmt.where(model.updated_at <= until)
        total += db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    return total


@dataclass
class QueueItem:
    type: str
    row: ContentTextMixin  # the source text
    targets: list[tuple[str, ContentStatus]]  # (locale, missing/outdated)
    optional: bool = False  # a translation welcome but not required (comments, join messages)

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


def queue(user, targets: list[str], page: int = 1, per_page: int = 20, type_name: str = "", source: str = "",
          target: str = "") -> QueuePage:
    """User content that ``user`` may read whose translation into one of ``targets`` is missing or
    outdated: the texts that need a translation oldest first, then the optional ones (comments, join
    messages), oldest first.

    One count and one id query per text table (two for a table with optional fields), then one query per
    table for the page's rows (with their owners and sibling texts): bounded, whatever the amount of
    content.
    """
    if target:
        targets = [t for t in targets if t == target]
    models = [m for m in content_models() if not type_name or content_type(m) == type_name]
    if not targets or not models:
        return QueuePage([], page, per_page, 0)
    page = max(1, page)
    total = 0
    merged = []
    for optional in (False, True):  # every required text before any optional one
        streams = []
        for model in models:
            if optional and not optional_fields(model):
                continue
            stmt = _queue_select(model, user, targets, source, optional)
            # counted up to the cap (exchange.paging): "more than 1 000 wait" rather than a full count
            count = bounded_count(stmt)
            total = min(total + count, count_cap() + 1)
            if count and len(merged) < page * per_page:
                ids = db.session.execute(stmt.order_by(model.updated_at, model.id).limit(page * per_page)).all()
                streams.append([(updated_at, model.__name__, row_id, model) for row_id, updated_at in ids])
        merged += heapq.merge(*streams, key=lambda item: (_naive(item[0]), item[1], item[2]))
    window = merged[(page - 1) * per_page: page * per_page]
    loaded: dict[tuple[str, int], ContentTextMixin] = {}
    for model in models:
        ids = [row_id for _, name, row_id, _m in window if name == model.__name__]
        if ids:
            owner = owner_model(model)
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
        items.append(QueueItem(content_type(model), row, needed, row.field in optional_fields(model)))
    return QueuePage(items, page, per_page, total)


def _naive(value):
    # SQLite gives naive datetimes, PostgreSQL aware ones; both are UTC.
    return value.replace(tzinfo=None) if value is not None and value.tzinfo else value


def content_row(user, type_name: str, row_id: int) -> ContentTextMixin | None:
    """A source text of the queue by type and id, through the scope and the owner's visibility predicate
    for its texts (None when ``user`` may not read it: the editor answers 404, as the owner's page would)."""
    model = next((m for m in content_models() if content_type(m) == type_name), None)
    if model is None:
        return None
    row = db.session.scalar(select(model).where(model.id == row_id))
    if row is None or not row.is_source or not permissions.can_read_content(user, row.owner):
        return None
    return row
