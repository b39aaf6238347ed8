"""A list bound as ONE parameter of a statement, on SQLite and PostgreSQL (issue 12).

Bound as ``IN (?, ?, …)``, every value is a parameter the statement is rendered, parsed and planned with, so
a statement's text changes with the length of the list and is prepared anew each time (on PostgreSQL two
thirds of a 100 000-row export went into rendering, splitting and planning such statements). ``among``
(ids) and ``pair_among`` (pairs of dates) bind the whole list as one value instead: the text of the
statement is the same whatever the list. Used by the exports' batches and by the calendar.
"""
from __future__ import annotations

import json

from sqlalchemy import Boolean, Integer, String, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class _Ids(TypeDecorator):
    """A list of integer ids as one bound value: an integer array on PostgreSQL, a JSON array on SQLite."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(ARRAY(Integer) if dialect.name == "postgresql" else String())

    def process_bind_param(self, value, dialect):
        return list(value) if dialect.name == "postgresql" else json.dumps(list(value))


class among(FunctionElement):
    """``column`` is one of the ids bound at execution as ``ids`` (a list): ``db.session.execute(stmt,
    {"ids": ids})``. Rendered ``column = ANY(:ids)`` on PostgreSQL and ``column IN (SELECT value FROM
    json_each(:ids))`` on SQLite, so the statement's text is the same whatever the number of ids."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition as it is: no "= 1" after it (which hides the index from SQLite)

    def __init__(self, column):
        super().__init__(column, bindparam("ids", type_=_Ids()))


@compiles(among)
def _among_sqlite(element, compiler, **kw):
    column, ids = element.clauses
    return f"{compiler.process(column, **kw)} IN (SELECT value FROM json_each({compiler.process(ids, **kw)}))"


@compiles(among, "postgresql")
def _among_postgresql(element, compiler, **kw):
    column, ids = element.clauses
    return f"{compiler.process(column, **kw)} = ANY({compiler.process(ids, **kw)})"


class _Pairs(TypeDecorator):
    """A list of pairs of dates as one bound value: a JSON array of [first, second] ISO dates (as SQLite
    stores dates; PostgreSQL casts them back)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps([[first.isoformat(), second.isoformat()] for first, second in value])


class pair_among(FunctionElement):
    """``(first, second)`` (two date columns) is one of the pairs bound at execution as ``pairs`` (a list
    of (date, date)), one parameter like ``among``'s ids: the statement's text is the same for any number
    of pairs, and each pair is one seek of an index on (first, second) on both databases."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True

    def __init__(self, first, second):
        super().__init__(first, second, bindparam("pairs", type_=_Pairs()))


@compiles(pair_among)
def _pair_among_sqlite(element, compiler, **kw):
    first, second, pairs = (compiler.process(clause, **kw) for clause in element.clauses)
    return (f"({first}, {second}) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') "
            f"FROM json_each({pairs}))")


@compiles(pair_among, "postgresql")
def _pair_among_postgresql(element, compiler, **kw):
    first, second, pairs = (compiler.process(clause, **kw) for clause in element.clauses)
    return (f"({first}, {second}) IN (SELECT CAST(value ->> 0 AS DATE), CAST(value ->> 1 AS DATE) "
            f"FROM jsonb_array_elements(CAST({pairs} AS JSONB)))")


class among_selected(FunctionElement):
    """``column`` is one of the values of a one-column ``select`` (a small town's visit ids), read once
    before the statement's own rows: ``column IN (select)`` on SQLite, which reads the select into a
    temporary index first, and ``column = ANY(ARRAY(select))`` on PostgreSQL, an array computed once that
    an index on ``column`` is searched with. As a plain ``IN (select)`` PostgreSQL estimated the select's
    rows by a default and, for a few hundred ids, compared each of them with every row it walked (issue 12)."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True

    def __init__(self, column, selected):
        super().__init__(column, selected.scalar_subquery())


@compiles(among_selected)
def _among_selected_sqlite(element, compiler, **kw):
    column, selected = element.clauses
    return f"{compiler.process(column, **kw)} IN {compiler.process(selected, **kw)}"


@compiles(among_selected, "postgresql")
def _among_selected_postgresql(element, compiler, **kw):
    column, selected = element.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(selected, **kw)})"
