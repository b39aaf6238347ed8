"""The content queue: user-written content whose translation into one of a translator's languages is
missing or outdated, oldest first.

The queue discovers its sources: every mapped subclass of ContentTextMixin with an ``owner``
relationship (projects, participations, partner organisations, visits… without code here). Its queries
go through the ORM scope and, on top of it, the owner model's own visibility predicate for its texts
(``content_readable_criteria``, through ``permissions.content_clause``): a translator lists and opens
exactly the texts their municipality reads on the owners' pages.

Every text table is read by one statement (a UNION ALL with a branch per table, each walking its
(status, updated_at, id) index oldest first and stopping at a limit): the dashboard's count is one
statement and the queue's page two, plus two loading the rows shown, whatever the number of kinds of
content and the size of the network (issue 12).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, and_, bindparam, case, false, func, literal, select, union_all
from sqlalchemy.orm import Load, defaultload, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from exchange.db import Base, generic_plan
from exchange.extensions import db
from exchange.i18n.models import ContentStatus, ContentTextMixin
from exchange.listparams import among_selected
from exchange.paging import count_cap
from exchange.tenancy import kept
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


def _needs(model: type, targets: list[str]):
    """WHERE clause on a *source* row of ``model``: its translation into one of ``targets`` is missing or
    outdated.

    One correlated count of the row's finished translations (translated or approved) in ``targets``,
    answered by the (owner, field, locale) unique index, against the number of targets other than the
    source's language: one index probe per row on both databases. (An OR of one NOT EXISTS per target
    made PostgreSQL hash every finished translation of the table first, and building the three aliased
    anti-joins cost more than running them.)"""
    other = model.__table__.alias()
    owner_fk = _owner_column(model)
    done = (select(func.count()).select_from(other)
            .where(other.c[owner_fk.key] == owner_fk, other.c.field == model.field,
                   other.c.locale.in_(targets), other.c.status.in_(_DONE))
            .scalar_subquery())
    wanted = case((model.locale.in_(targets), len(targets) - 1), else_=len(targets))
    return done < wanted


def owner_model(model: type) -> type:
    return model.owner.property.mapper.class_


def optional_fields(model: type) -> tuple[str, ...]:
    """The fields of a text table whose translation is optional (comments, join messages)."""
    return tuple(owner_model(model).OPTIONAL_FIELDS)


def _queue_select(model: type, user, targets: list[str], source: str = "", optional: bool | None = None):
    """The source rows of ``model`` waiting for a translation into one of ``targets`` that ``user`` may read
    (columns: id, updated_at); ``optional``: only the optional fields (True), only the others (False), or
    both (None)."""
    stmt = select(model.id, model.updated_at).where(model.status == ContentStatus.SOURCE.value,
                                                   model.text != "", _needs(model, targets))
    if optional is not None and optional_fields(model):
        in_optional = model.field.in_(optional_fields(model))
        stmt = stmt.where(in_optional if optional else ~in_optional)
    elif optional:
        stmt = stmt.where(false())
    readable = permissions.content_clause(user, owner_model(model))
    owners = permissions.content_owner_ids(user, owner_model(model)) if readable is not None else None
    if owners is not None:
        # the texts of the few owners the reader reads (a small town's visits), found by their owner key,
        # instead of each text of the network tested (the visits' queue of a small town: 0.55 s at 100 000)
        (owner_key,) = model.owner.property.local_columns
        stmt = stmt.where(among_selected(owner_key, owners))
    elif readable is not None:
        stmt = stmt.where(model.owner.has(readable))
    if source:
        stmt = stmt.where(model.locale == source)
    return stmt


def _streams(models: tuple[type, ...], user, targets: tuple[str, ...], source: str = "", since=None, until=None,
             bounded: bool = True):
    """The queue of every text table in ``models`` as one UNION ALL (columns: optional, since, type, id):
    one branch per table for its required texts, one more per table with optional fields. ``bounded``:
    each branch reads at most ``:branch_limit`` rows (a parameter given at execution), oldest first in its
    own index order, so the statement's cost is bounded by that limit rather than by the amount of content.

    One statement for every kind of content, however many there are: the page and the dashboard send as
    many statements to a small network as to a big one."""
    branches = []
    for optional in (False, True):
        for model in models:
            if optional and not optional_fields(model):
                continue
            stmt = _queue_select(model, user, list(targets), source, optional if optional_fields(model) else None)
            if since is not None:
                stmt = stmt.where(model.updated_at > since)
            if until is not None:
                stmt = stmt.where(model.updated_at <= until)
            if bounded:
                stmt = stmt.order_by(model.updated_at, model.id).limit(bindparam("branch_limit", type_=Integer))
            # a subquery per branch: a compound SELECT takes no ORDER BY/LIMIT of its own members on SQLite
            branch = stmt.subquery()
            branches.append(select(literal(int(optional)).label("optional"), branch.c.updated_at.label("since"),
                                   literal(content_type(model)).label("type"), branch.c.id))
    return union_all(*branches).subquery()


@dataclass(frozen=True)
class _Statements:
    count: object  # how many rows, up to :cap (bounded by :branch_limit per branch)
    page: object  # (type, id) of the rows :offset to :offset + :per_page, required texts first, oldest first


# The queue's two statements per reader and filter, built once per process: building ~20 branches of the
# ORM (the scope, the owners' visibility) cost more than running them, on every dashboard and queue view.
# Only their parameters change from one request to the next (limits, offset); the statements themselves
# depend on the filters and, through permissions.content_clause, on the reader's municipality, whether
# they may use the workbench and the shape of the owners' visibility for that municipality (a small
# town's visits read from its own: Translatable.content_reading_shape): the key holds exactly those. Kept
# without the shape, a town's statement built while it had few visits stayed in a worker after it had
# thousands, and read them all for every count (0.2 s; issue 12).
_statements: dict[tuple, _Statements] = {}
_STATEMENTS_KEPT = 256


def _statements_for(models: tuple[type, ...], user, targets: tuple[str, ...], source: str) -> _Statements:
    # of every kind of content, not only those shown: a queue filtered to one kind sends the same statements
    shape = tuple(owner_model(model).content_reading_shape(user.municipality_id) for model in content_models())
    key = (models, user.municipality_id, permissions.can_use_workbench(user), targets, source, shape)
    found = _statements.get(key)
    if found is None:
        streams = _streams(models, user, targets, source)
        # kept: the scope's copies are kept with them (exchange.tenancy.kept), their cache keys computed once
        found = _Statements(
            count=generic_plan(kept(select(func.count()).select_from(
                select(streams.c.id).limit(bindparam("cap", type_=Integer)).subquery()))),
            page=kept(select(streams.c.type, streams.c.id)
                      .order_by(streams.c.optional, streams.c.since, streams.c.type, streams.c.id)
                      .offset(bindparam("offset", type_=Integer)).limit(bindparam("per_page", type_=Integer))))
        if len(_statements) >= _STATEMENTS_KEPT:
            _statements.clear()
        _statements[key] = found
    return found


def count_waiting(user, targets: list[str], since=None, until=None, cap: int | None = None,
                  models: list[type] | None = None, source: str = "") -> int:
    """How many source texts ``user`` may read wait for a translation into one of ``targets``, counting
    only those written or changed after ``since`` (up to ``until``): what the translators' notification
    batches (exchange.notifications). ``cap``: counted up to ``cap + 1`` (exchange.paging: "more than
    1 000 wait"), every branch and the whole stopping there; ``models``, ``source``: the queue's filters.
    One statement."""
    models = tuple(content_models() if models is None else models)
    if not targets or not models:
        return 0
    if cap is not None and since is None and until is None:
        return db.session.scalar(_statements_for(models, user, tuple(targets), source).count,
                                 {"branch_limit": cap + 1, "cap": cap + 1})
    streams = _streams(models, user, tuple(targets), source, since=since, until=until, bounded=cap is not None)
    rows = select(streams.c.id)
    if cap is not None:
        rows = rows.limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(rows.subquery()),
                             {} if cap is None else {"branch_limit": cap + 1})


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


def _rows(pairs: list[tuple[str, int]]):
    """A FROM of (tag, id) rows, one per pair (a page's worth): what ``_load`` outer-joins each table to."""
    return union_all(*(select(literal(tag, String).label("tag"), literal(row_id, Integer).label("id"))
                       for tag, row_id in pairs)).subquery("wanted")


def _outer_options(cls: type, entity) -> list:
    """Options for ``entity`` (of ``cls``) read through an outer join: its relationships loaded by
    default with a statement of their own (selectin) are left until read (``_load`` sets the texts
    itself; the queue reads no other), those joined by default are joined as outer joins (an inner join
    nested inside the outer one made SQLite read every owner of the table: a second at 100 000)."""
    options = []
    for rel in cls.__mapper__.relationships:
        if rel.lazy == "selectin":
            options.append(entity.lazyload(rel.class_attribute))
        elif rel.lazy == "joined":
            options.append(entity.joinedload(rel.class_attribute, innerjoin=False))
    return options


def _load(window: list[tuple[type, int]]) -> dict[tuple[str, int], ContentTextMixin]:
    """The page's source texts by (table, id), with what the queue shows of them (their owners, the
    owners' parents that name them, the texts of both), in two statements whichever kinds of content the
    page holds (a statement per kind, and one per owner's relationship, made the page's number of
    statements depend on its mix of kinds: issue 12).

    1. The texts, each kind an outer join of its table to the page's (type, id) rows, with its owner.
    2. The owners' parents (``display.OWNER_PARENTS``, the owner's ``content_parent``) and every text of
       the owners and the parents, each an outer join to (what, id) rows; the texts and parents are handed
       to their owners (which would otherwise read them by a statement per kind, or per owner)."""
    from exchange.workbench.display import OWNER_PARENTS
    if not window:
        return {}
    kinds = list(dict.fromkeys(model for model, _row_id in window))
    wanted = _rows([(model.__name__, row_id) for model, row_id in window])
    stmt = select(*kinds).select_from(wanted)
    options = []
    for model in kinds:
        stmt = stmt.outerjoin(model, and_(wanted.c.tag == model.__name__, model.id == wanted.c.id))
        options += [joinedload(model.owner), *_outer_options(owner_model(model), defaultload(model.owner))]
    loaded: dict[tuple[str, int], ContentTextMixin] = {}
    for found in db.session.execute(stmt.options(*options)):
        for row in found:
            if row is not None:
                loaded[(type(row).__name__, row.id)] = row
    # The owners and, for each, the parents its title may name (their ids are the owner's own columns).
    owners = {(type(row.owner), row.owner.id): row.owner for row in loaded.values() if row.owner is not None}
    parents: dict[tuple[type, int], None] = {}
    named: list[tuple[object, str, tuple[type, int]]] = []  # (owner, relationship, its parent)
    for (owner_class, _owner_id), owner in owners.items():
        names = [getattr(owner_class, "content_parent", None), *OWNER_PARENTS]
        for name in dict.fromkeys(n for n in names if n):
            relationship = owner_class.__mapper__.relationships.get(name)
            if relationship is None or relationship.lazy != "select" or relationship.uselist:
                continue  # not a parent read when named (a joined one came with its owner)
            parent_id = getattr(owner, next(iter(relationship.local_columns)).key)
            if parent_id is not None:
                parents[(relationship.mapper.class_, parent_id)] = None
                named.append((owner, name, (relationship.mapper.class_, parent_id)))
    text_of = {cls: cls.texts.property.mapper.class_ for cls in dict.fromkeys(cls for cls, _id in [*owners, *parents])
               if "texts" in cls.__mapper__.relationships}
    pairs = [(f"parent {cls.__name__}", parent_id) for cls, parent_id in parents]
    pairs += [(f"texts {cls.__name__}", owner_id) for cls, owner_id in dict.fromkeys([*owners, *parents])
              if cls in text_of]
    if not pairs:
        return loaded
    wanted = _rows(pairs)
    parent_classes = list(dict.fromkeys(cls for cls, _id in parents))
    text_classes = list(dict.fromkeys(text_of.values()))
    stmt = select(*parent_classes, *text_classes).select_from(wanted)
    options = []
    for cls in parent_classes:
        stmt = stmt.outerjoin(cls, and_(wanted.c.tag == f"parent {cls.__name__}", cls.id == wanted.c.id))
        options += _outer_options(cls, Load(cls))
    for owner_class, text_class in text_of.items():
        stmt = stmt.outerjoin(text_class, and_(wanted.c.tag == f"texts {owner_class.__name__}",
                                               _owner_column(text_class) == wanted.c.id))
    texts: dict[tuple[type, int], dict[int, ContentTextMixin]] = {key: {} for key in [*owners, *parents]}
    found_parents = {}
    for found in db.session.execute(stmt.options(*options)):
        for entity in found:
            if entity is None:
                continue
            if isinstance(entity, ContentTextMixin):
                owner_class = owner_model(type(entity))
                texts[(owner_class, getattr(entity, _owner_column(type(entity)).key))][entity.id] = entity
            else:
                found_parents[(type(entity), entity.id)] = entity
    for key, owner in [*owners.items(), *found_parents.items()]:
        if type(owner) in text_of:
            set_committed_value(owner, "texts", sorted(texts[key].values(), key=lambda text: text.id))
    # Each owner holds its parents (the session's identity map alone would not keep them, and reading the
    # relationship would ask the database again: the scope's criteria rule out a lookup in the session).
    for owner, name, key in named:
        set_committed_value(owner, name, found_parents.get(key))
    return loaded


def queue(user, targets: list[str], page: int = 1, per_page: int = 20, type_name: str = "", source: str = "",
          target: str = "") -> QueuePage:
    """User content that ``user`` may read whose translation into one of ``targets`` is missing or
    outdated: the texts that need a translation oldest first, then the optional ones (comments, join
    messages), oldest first.

    Two statements over every text table at once (a bounded count and the page's ids, exchange.paging),
    then two for the rows shown (``_load``): four whatever the amount of content and whichever kinds of
    content the page shows.
    """
    if target:
        targets = [t for t in targets if t == target]
    models = [m for m in content_models() if not type_name or content_type(m) == type_name]
    if not targets or not models:
        return QueuePage([], page, per_page, 0)
    # The last page reachable is the cap's (past it the translator filters): a page number in the URL
    # never makes every branch read more rows than the count does.
    page = min(max(1, page), -(-(count_cap() + 1) // per_page))
    # counted up to the cap: "more than 1 000 wait" rather than a full count
    statements = _statements_for(tuple(models), user, tuple(targets), source)
    total = db.session.scalar(statements.count, {"branch_limit": count_cap() + 1, "cap": count_cap() + 1})
    window = []
    if total > (page - 1) * per_page:
        window = db.session.execute(statements.page, {"branch_limit": page * per_page,
                                                      "offset": (page - 1) * per_page, "per_page": per_page}).all()
    by_type = {content_type(model): model for model in models}
    window = [(by_type[name], row_id) for name, row_id in window]
    loaded = _load(window)
    items = []
    for model, row_id in window:
        row = loaded.get((model.__name__, row_id))
        if row is None:
            continue
        needed = [(t, row.owner.status_of(row.field, t)) for t in targets if t != row.locale]
        needed = [(t, status) for t, status in needed if status.value not in _DONE]
        items.append(QueueItem(content_type(model), row, needed, row.field in optional_fields(model)))
    return QueuePage(items, page, per_page, total)


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
