"""Substring search that uses an index on both databases (issue 12).

``LIKE '%term%'`` reads every row of a text table: 0.7–1 s per search at 100 000 projects or
organisations. Users search for pieces of words in any language version ("förening" finds
"Idrottsföreningen"), so the index has to answer *substrings*, not stemmed words:

- SQLite: an FTS5 table with the ``trigram`` tokenizer (SQLite ≥ 3.34) beside each searched table, kept
  in step by triggers (external content: the text is stored once);
- PostgreSQL: a ``pg_trgm`` GIN index on the column, which ``ILIKE '%term%'`` uses directly.

Why trigrams rather than language-aware full-text search (``tsvector`` with the Swedish, German and
Italian configurations): a text's language is one of three and the reader's another, stemming differs per
language and misses compounds (Swedish and German glue words together), while trigrams find any piece
of three letters or more in every language with one index and the same results on both databases.
Terms shorter than three letters cannot use a trigram index: they fall back to the plain scan.

Rare and common terms (issue 12). The index answers "which rows contain the term", but a list shows the
first 20 matches *in its own order* (newest first, by name). For a rare term the index's matches are few:
fetch them and sort them (bounded by the cap). A common term ("skola", "förening") matches tens of
thousands of texts: fetching and sorting all of them before showing 20 grew with the network. For such a
term the list instead walks its own order index and tests each row it meets (``row_contains``): with a
match fraction f, about 20 / f rows are read, and f is large precisely because the term is common.
``is_common`` chooses between the two with one bounded count of the index's matches (at most the cap + 1
rows read), so neither shape reads more than a bounded number of rows in the cases it is chosen for.
Both shapes find the same rows: PostgreSQL's row test is the very ``ILIKE`` its index serves, SQLite's
folds case as the FTS5 trigram tokenizer does (``_fold_contains``).

The DDL is attached to the tables here (so ``create_all`` in tests builds it) and repeated in the
migration ``c1d2e3f4a5b6`` (search_and_queue_indexes) (which builds it on existing databases).
"""
from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from exchange.i18n.queries import like_pattern

MIN_TERM = 3  # a trigram index answers terms of three characters or more


def fts_name(table_name: str) -> str:
    return f"{table_name}_search"


def sqlite_ddl(table_name: str, column: str) -> list[str]:
    """The FTS5 table and its three triggers for ``table_name.column`` (rowid = the table's ``id``)."""
    fts = fts_name(table_name)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table_name}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table_name} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table_name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table_name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def sqlite_drop(table_name: str) -> list[str]:
    fts = fts_name(table_name)
    return [f"DROP TRIGGER IF EXISTS {fts}_{suffix}" for suffix in ("ai", "ad", "au")] + \
        [f"DROP TABLE IF EXISTS {fts}"]


def postgresql_ddl(table_name: str, column: str) -> list[str]:
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"CREATE INDEX IF NOT EXISTS ix_{table_name}_{column}_trgm ON {table_name} "
            f"USING gin ({column} gin_trgm_ops)"]


def searchable(table: sa.Table, column: str = "text") -> None:
    """Give ``table.column`` its substring index whenever the table is created (``create_all``)."""

    def create(target, connection, **_kw):
        ddl = {"sqlite": sqlite_ddl, "postgresql": postgresql_ddl}.get(connection.dialect.name)
        for statement in ddl(table.name, column) if ddl else []:
            connection.exec_driver_sql(statement)

    def drop(target, connection, **_kw):
        if connection.dialect.name == "sqlite":
            for statement in sqlite_drop(table.name):
                connection.exec_driver_sql(statement)

    sa.event.listen(table, "after_create", create)
    sa.event.listen(table, "before_drop", drop)
    table.info["searchable"] = column


def _phrase(term: str) -> str:
    """An FTS5 string literal: the term matched as one piece (quotes doubled), never as query syntax."""
    return '"' + term.replace('"', '""') + '"'


def _fold_contains(text: str | None, folded_term: str) -> bool:
    """SQLite's row test (``exchange_contains``): ``text`` contains the term, case folded. FTS5's trigram
    tokenizer folds case letter by letter over the whole of Unicode (Ö = ö), which ``lower()`` and
    ``LIKE`` of SQLite do only for ASCII; ``str.lower`` folds the way the index does."""
    return text is not None and folded_term in text.lower()


@sa.event.listens_for(sa.engine.Engine, "connect")
def _register_row_test(dbapi_connection, _record):
    # Every SQLite connection gets the row test; ``deterministic`` lets SQLite use it in any clause.
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("exchange_contains", 2, _fold_contains, deterministic=True)


def _dialect() -> str:
    from exchange.extensions import db
    return db.session.get_bind().dialect.name


def row_contains(column_expr, term: str):
    """SQL: this row's ``column_expr`` contains ``term`` (case-insensitive), tested on the row itself, no
    index: for a list that walks its own order and stops after a page (a common term, ``is_common``)."""
    if _dialect() != "sqlite":
        return column_expr.ilike(like_pattern(term), escape="\\")
    # SQLite's LIKE folds ASCII letters only, in C: for a term of ASCII letters it is the index's answer
    # (but for the Kelvin sign and the dotted capital I, which fold to ASCII letters). Otherwise LIKE with
    # each other letter as "_" rules most rows out and ``instr`` finds the term written as typed, both in C;
    # only the rest (e.g. "FÖRENING" for "förening") calls the Python fold, three times cheaper per walked row.
    if term.isascii():
        return column_expr.like(like_pattern(term), escape="\\")
    roughly = "".join(c if c.isascii() else "_" for c in like_pattern(term))
    return sa.case((sa.not_(column_expr.like(roughly, escape="\\")), False),
                   (sa.func.instr(column_expr, term) > 0, True),
                   else_=sa.func.exchange_contains(column_expr, term.lower()))


def per_row_exists(subquery):
    """``EXISTS (subquery)`` evaluated for each row the outer statement reads, on both databases.

    PostgreSQL turns a plain EXISTS into a semi-join, and for a common term or field it chose to read and
    hash every matching text of the network before the first row of a list (1.2 s for the lessons at
    100 000 visits). It does not pull up a subquery with an OFFSET, so ``OFFSET 0`` keeps the test per
    row: the list walks its order index and stops after a page, its bounded count after the cap. SQLite
    always evaluates a correlated EXISTS per row."""
    if _dialect() == "postgresql":
        subquery = subquery.offset(0)
    return subquery.exists()


def is_common(model, term: str, column: str = "text", *criteria) -> bool:
    """More than the cap (``exchange.paging.count_cap``) of ``model``'s rows meeting ``criteria`` contain
    ``term``: counted from the index, reading at most cap + 1 matches. A term too short for the index is
    taken as common (a piece of one or two letters is in most texts; the row test answers it)."""
    from exchange.extensions import db
    from exchange.paging import count_cap
    if len(term) < MIN_TERM:
        return True
    cap = count_cap()
    matching = sa.select(sa.literal(1)).select_from(model).where(contains(model, term, column), *criteria)
    if _dialect() == "sqlite" and model.__table__.info.get("searchable") == column:
        # Driven by the FTS table (its matches joined to their rows by primary key), stopping at the cap:
        # the ``IN (matches)`` of ``contains`` would collect every match before counting.
        fts = sa.table(fts_name(model.__table__.name), sa.column("rowid"))
        matching = (sa.select(sa.literal(1)).select_from(fts).join(model, model.id == fts.c.rowid)
                    .where(sa.literal_column(fts_name(model.__table__.name)).op("MATCH")(_phrase(term)), *criteria))
    limited = matching.limit(cap + 1).subquery()
    # Executed on the connection, outside the tenancy scope, on purpose: the number only chooses the shape
    # of the caller's statement and is never shown, and that statement (with the scope) decides what the
    # reader sees. Within the scope the count would test each match's visibility: a count of index
    # matches would no longer stop after cap + 1 of them for a reader who sees few.
    return db.session.connection().scalar(sa.select(sa.func.count()).select_from(limited)) > cap


def index_matches(stmt, model, term: str, column: str = "text"):
    """``stmt`` (a select of ``model``) narrowed to the rows whose ``column`` contains ``term``, read from
    the index's matches as they come (SQLite: its FTS table joined to the rows by primary key, as in
    ``is_common``), so a LIMIT stops after that many matches: where ``contains``'s ``IN (matches)`` collects
    every match first, and ``row_contains`` tests every row walked, however few of them match."""
    if _dialect() == "sqlite" and len(term) >= MIN_TERM and model.__table__.info.get("searchable") == column:
        name = fts_name(model.__table__.name)
        fts = sa.table(name, sa.column("rowid"))
        return stmt.join(fts, fts.c.rowid == model.id).where(sa.literal_column(name).op("MATCH")(_phrase(term)))
    return stmt.where(contains(model, term, column))


def contains(model, term: str, column: str = "text"):
    """SQL: ``model.column`` contains ``term`` (case-insensitive), answered from the trigram index when
    the term is long enough (``ILIKE`` is what pg_trgm's index serves; on SQLite the FTS5 table)."""
    from exchange.extensions import db
    table = model.__table__
    if (db.engine.dialect.name == "sqlite" and len(term) >= MIN_TERM
            and table.info.get("searchable") == column):
        fts = sa.table(fts_name(table.name), sa.column("rowid"))
        matching = sa.select(fts.c.rowid).where(sa.literal_column(fts_name(table.name)).op("MATCH")(_phrase(term)))
        return model.id.in_(matching)
    return getattr(model, column).ilike(like_pattern(term), escape="\\")
