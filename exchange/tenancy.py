"""The municipality scope (DESIGN.md §3).

Every mapped class declares ``__tenancy__``:

* ``global``  – no tenant column (municipalities, the theme taxonomy);
* ``tenant``  – owned by one municipality and visible only inside it (users, audit log);
* ``shared``  – visible to a set of municipalities by the model's own ``tenancy_criteria()``, or to every
  municipality of the network when it sets ``tenancy_visible_to_all = True`` (partner profiles, the fact
  that a visit took place): its rows are still owned and guarded on write, but reads need no criteria;
* ``child``   – reached through its parent (``tenancy_parent`` names the relationship), and scoped
  by the parent's rule.

Scoping is done by the ORM, not by remembering to filter: a session hook adds every scoped model's
criteria to every ORM SELECT and *raises* when a scoped model is queried while no municipality is set.
A flush hook stamps ``municipality_id`` on new tenant-owned rows and refuses rows of another
municipality. Platform code that must see every municipality says so with ``all_municipalities()``.

This module imports no domain: the slug resolver is handed in by create_app().
"""
from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, Flask, abort, g, has_app_context
from sqlalchemy import ForeignKey, Integer, event, inspect, literal
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.util import find_tables
from sqlalchemy.orm import LoaderCriteriaOption, Mapped, Mapper, ORMExecuteState, Session, declared_attr, mapped_column

from exchange.db import Base

GLOBAL, TENANT, SHARED, CHILD = "global", "tenant", "shared", "child"
KINDS = frozenset({GLOBAL, TENANT, SHARED, CHILD})

# Execution option of a statement built once and executed again and again (see ``kept``).
KEPT = "exchange_kept"


class ScopeError(RuntimeError):
    """A scoped model was used without a municipality, or across municipalities."""


class TenantOwned:
    """Mixin for rows owned by exactly one municipality."""

    __tenancy__ = TENANT

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)

    @classmethod
    def tenancy_criteria(cls, municipality_id: int):
        return cls.municipality_id == municipality_id


# --- the current scope -----------------------------------------------------------------------

def current_municipality_id() -> int | None:
    """The id of the municipality the current request or CLI command works in, if any."""
    if not has_app_context():
        return None
    return g.get("tenancy_municipality_id")


def current_municipality():
    """The Municipality object of the current request (set by the URL processor), or None."""
    return g.get("municipality") if has_app_context() else None


def _bypassed() -> bool:
    return has_app_context() and g.get("tenancy_bypass", 0) > 0


def set_municipality(municipality) -> None:
    """Enter a municipality's scope for the rest of this app context (requests, CLI commands)."""
    g.municipality = municipality
    g.tenancy_municipality_id = municipality.id if municipality is not None else None


@contextlib.contextmanager
def municipality_scope(municipality) -> Iterator[None]:
    """Work inside one municipality temporarily (CLI, demo loader, tests)."""
    previous = (g.get("municipality"), g.get("tenancy_municipality_id"))
    set_municipality(municipality)
    try:
        yield
    finally:
        g.municipality, g.tenancy_municipality_id = previous


@contextlib.contextmanager
def seen_by(municipality) -> Iterator[None]:
    """Read and write exactly as ``municipality`` would, even inside ``all_municipalities()``: platform
    code that serves every municipality in turn (a worker fanning out notifications) sees each one
    through that municipality's own scope, never more."""
    bypass = g.get("tenancy_bypass", 0)
    g.tenancy_bypass = 0
    try:
        with municipality_scope(municipality):
            yield
    finally:
        g.tenancy_bypass = bypass


@contextlib.contextmanager
def all_municipalities() -> Iterator[None]:
    """Lift the scope: only for platform code (CLI, health checks, retention jobs).

    Every caller must say in a comment why it needs to see all municipalities.
    """
    g.tenancy_bypass = g.get("tenancy_bypass", 0) + 1
    try:
        yield
    finally:
        g.tenancy_bypass -= 1


# --- the ORM hooks --------------------------------------------------------------------------

_scoped_cache: tuple[type, ...] | None = None


@event.listens_for(Mapper, "after_mapper_constructed")
def _forget_scoped_models(mapper, class_) -> None:
    """A new mapped class (at import, or a test's model) may carry a rule: list them again next time."""
    global _scoped_cache
    _scoped_cache = None


def classified_models() -> dict[type, str]:
    """Every mapped class with its declared tenancy kind (None when undeclared)."""
    return {m.class_: m.class_.__dict__.get("__tenancy__", getattr(m.class_, "__tenancy__", None))
            for m in Base.registry.mappers}


def scoped_models() -> tuple[type, ...]:
    """The mapped classes that carry a visibility rule (everything but global)."""
    # Computed once, not per statement: ``registry.mappers`` builds a new set on every call (35 µs, paid by
    # every statement of every page).
    global _scoped_cache
    if _scoped_cache is None:
        _scoped_cache = tuple(m.class_ for m in Base.registry.mappers
                              if getattr(m.class_, "__tenancy__", None) in (TENANT, SHARED, CHILD))
    return _scoped_cache


def visible_to_all(cls: type) -> bool:
    """True for a shared model that every municipality may read, and for its children."""
    if cls.__tenancy__ == SHARED:
        return bool(getattr(cls, "tenancy_visible_to_all", False))
    if cls.__tenancy__ == CHILD:
        return visible_to_all(getattr(cls, cls.tenancy_parent).property.mapper.class_)
    return False


def criteria_for(cls: type, municipality_id: int):
    """The SQL visibility rule of one scoped class for one municipality."""
    if cls.__tenancy__ == CHILD:
        relationship = getattr(cls, cls.tenancy_parent)
        parent = relationship.property.mapper.class_
        return relationship.has(criteria_for(parent, municipality_id))
    return cls.tenancy_criteria(municipality_id)


def write_criteria_for(cls: type, municipality_id: int):
    """The rows one municipality may change in bulk: its own (tenant rows, shared rows it owns, children
    of those). Reading is wider than writing: a published project is visible to all, changed by its lead."""
    if cls.__tenancy__ == CHILD:
        relationship = getattr(cls, cls.tenancy_parent)
        return relationship.has(write_criteria_for(relationship.property.mapper.class_, municipality_id))
    if cls.__tenancy__ == SHARED:
        return getattr(cls, cls.tenancy_owner) == municipality_id
    return cls.municipality_id == municipality_id


def _touched(statement, scoped: tuple[type, ...]) -> list[type]:
    tables = {cls.__table__: cls for cls in scoped}
    return [tables[t] for t in find_tables(statement, include_joins=True, include_aliases=True, check_columns=True)
            if t in tables]


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if state.is_column_load or _bypassed():
        return
    if state.is_update or state.is_delete:
        _scope_bulk_write(state)
        return
    if not state.is_select:
        return
    scoped = scoped_models()
    municipality_id = current_municipality_id()
    if municipality_id is None:
        touched = sorted({cls.__name__ for cls in _touched(state.statement, scoped)})
        if touched:
            raise ScopeError(f"{', '.join(touched)} queried with no municipality in scope")
        return
    options = _scope_options(_filtered_models(scoped), municipality_id)
    if state.statement.get_execution_options().get(KEPT):
        state.statement = _kept_copy(state.statement, municipality_id, options)
    else:
        state.statement = state.statement.options(*options)


def kept(statement):
    """``statement``, marked as kept by its caller and executed many times (a statement cached at module
    level, such as the translators' queue's union of twenty selects, exchange.workbench.queue).

    Every execution gets a copy of its statement with the scope's option, and SQLAlchemy computes the
    cache key of that new object, walking the whole statement: for the queue's count, 4 ms of each
    translator's dashboard (issue 12). A kept statement's scoped copy is kept too, one per municipality
    for as long as the statement lives, so its key (SQLAlchemy memoises it on the object) is computed once."""
    return statement.execution_options(**{KEPT: True})


# original statement -> {municipality id: scoped copy}; an entry goes with its statement
_kept_copies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _kept_copy(statement, municipality_id: int, options: tuple):
    copies = _kept_copies.get(statement)
    if copies is None:
        copies = _kept_copies[statement] = {}
    copy = copies.get(municipality_id)
    if copy is None:
        # the same rules as the options of every other statement, bound to the same municipality
        copy = copies[municipality_id] = statement.options(*options)
    return copy


def _scope_bulk_write(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE changes only the current municipality's own rows (``write_criteria_for``).

    Without a municipality, or on a table the ORM cannot name (a Core ``table.update()``), it is refused:
    platform code that must change every municipality's rows says so with ``all_municipalities()``.
    """
    target = state.statement.table
    scoped = {cls.__table__: cls for cls in scoped_models()}
    if target not in scoped:
        return
    cls = scoped[target]
    municipality_id = current_municipality_id()
    if municipality_id is None:
        raise ScopeError(f"bulk {'update' if state.is_update else 'delete'} of {cls.__name__} "
                         "with no municipality in scope")
    if state.bind_mapper is None or state.bind_mapper.class_ is not cls:
        raise ScopeError(f"bulk write on the {target.name} table: use the {cls.__name__} entity so the scope applies")
    state.statement = state.statement.where(write_criteria_for(cls, municipality_id))


@functools.lru_cache(maxsize=8)
def _filtered_models(scoped: tuple[type, ...]) -> tuple[type, ...]:
    """The scoped models that need criteria on reads (everything but the visible-to-all ones)."""
    return tuple(cls for cls in scoped if not visible_to_all(cls))


@functools.lru_cache(maxsize=256)
def _scope_options(scoped: tuple[type, ...], municipality_id: int) -> tuple:
    """The read rules of the scoped models for one municipality, built once and reused."""
    return (_ReadScope(scoped, municipality_id),)


class _ReadScope(LoaderCriteriaOption):
    """Every scoped model's read rule for one municipality, as ONE loader option.

    SQLAlchemy's ``with_loader_criteria(Model, rule)`` takes one model; forty of them on every statement cost
    about a fifth of every page (issue 12, the per-request floor): their cache keys are computed on every
    execution. This option carries the models and the municipality instead, and SQLAlchemy asks it for a rule
    only when it compiles a statement (rarely: compiled forms are cached) and only for the scoped models the
    statement loads, joins, nests or eagerly loads; models without a rule are never asked.

    The municipality is a bound parameter of the option's cache key, not part of the key: every municipality's
    statements share one compiled form and each execution sends its own id, as for any bound value. It is
    anonymous (``literal``), so two options of different municipalities in one statement (an object loaded in
    one scope, lazy-loading in another) keep both rules, as separate options always did.
    """

    # The parent's cache key (the models, the bound id's criterion, the flags) describes this option fully.
    _traverse_internals = LoaderCriteriaOption._traverse_internals

    def __init__(self, models: tuple[type, ...], municipality_id: int):
        self._municipality = literal(municipality_id, Integer)
        # The models go into the cache key (``root_entity`` is compared by value): a different set of rules
        # never reuses another's compiled statements.
        super().__init__(frozenset(models), self._municipality.is_not(None), include_aliases=True)

    def get_global_criteria(self, attributes: dict) -> None:
        for model in self.root_entity:
            for mapper in inspect(model).self_and_descendants:
                attributes.setdefault(("additional_entity_criteria", mapper), []).append(self)

    def _resolve_where_criteria(self, ext_info):
        # As SQLAlchemy's own option does: the rule is marked as this option's, so its subqueries (a child's
        # EXISTS over its parent) are not given the rule again.
        return sql_util._deep_annotate(criteria_for(ext_info.entity, self._municipality),
                                       {"for_loader_criteria": self}, detect_subquery_cols=True,
                                       ind_cols_on_fromclause=True)


def _owner_attribute(obj: Any) -> str | None:
    kind = getattr(obj, "__tenancy__", None)
    if kind == TENANT:
        return "municipality_id"
    if kind == SHARED:
        return getattr(obj, "tenancy_owner", None)
    return None


@event.listens_for(Session, "before_flush")
def _stamp_and_guard(session: Session, flush_context, instances) -> None:
    bypass = _bypassed()
    municipality_id = current_municipality_id()
    for obj in session.new:
        attr = _owner_attribute(obj)
        if attr is None:
            continue
        value = getattr(obj, attr)
        if value is None:
            if municipality_id is None:
                raise ScopeError(f"new {type(obj).__name__} with no municipality in scope")
            setattr(obj, attr, municipality_id)
        elif value != municipality_id and not bypass:
            raise ScopeError(f"new {type(obj).__name__} belongs to another municipality")
    for obj in session.dirty:
        attr = _owner_attribute(obj)
        if attr and inspect(obj).attrs[attr].history.has_changes() and not bypass:
            raise ScopeError(f"{type(obj).__name__} cannot move to another municipality")


# --- URLs ------------------------------------------------------------------------------------

def make_tenant_blueprint(resolve_slug: Callable[[str], Any]) -> Blueprint:
    """The parent blueprint of every tenant page: ``/<municipality>/…``.

    It resolves the slug once per request (404 for an unknown one) and enters that municipality's scope.
    Domain blueprints are registered under it.
    """
    bp = Blueprint("tenant", __name__, url_prefix="/<municipality>")

    @bp.url_value_preprocessor
    def _resolve(endpoint: str | None, values: dict | None) -> None:
        slug = (values or {}).pop("municipality", None)
        municipality = resolve_slug(slug) if slug else None
        if municipality is None:
            abort(404)
        set_municipality(municipality)

    return bp


def init_app(app: Flask) -> None:
    """Fill the current slug into every url_for() of a tenant endpoint."""

    @app.url_defaults
    def _add_slug(endpoint: str, values: dict) -> None:
        municipality = current_municipality()
        if municipality is None or "municipality" in values:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "municipality"):
            values["municipality"] = municipality.slug
