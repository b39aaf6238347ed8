"""The declarative base: naming convention, shared column types and the tenancy classification.

Every mapped class declares ``__tenancy__`` (see exchange.tenancy); tests/test_tenancy.py fails for a
model that does not, so a new table cannot slip past the municipality scope unclassified.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, ClassVar

from sqlalchemy import DateTime, Index, MetaData, String, UniqueConstraint, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class Len:
    """Length limits, declared once: column types, form validators and service checks all read them here,
    so a form, a service and the schema cannot disagree. Text columns are unbounded in the database;
    their limit is the one the form and the service enforce."""

    CODE = 40          # codes, phone numbers
    PHONE = 40
    NAME = 120         # people, roles, owners
    TITLE = 200        # titles, places, short notes, organisation names
    EMAIL = 255
    URL = 255
    ACTION = 500       # a follow-up action
    SUMMARY = 1000     # summaries, rationales
    MESSAGE = 2000     # messages, reasons
    TEXT = 5000        # comments, purposes, descriptions of organisations
    LONG_TEXT = 10000  # lessons learned, contributions
    DOCUMENT = 20000   # a project's description
    SEARCH = 200       # a search term


str40 = Annotated[str, Len.CODE]
str120 = Annotated[str, Len.NAME]
str200 = Annotated[str, Len.TITLE]
str255 = Annotated[str, Len.EMAIL]


def person_key(name: str | None) -> str:
    """The form of a person's name used to find every record about them (export, erasure):
    Unicode-normalised, case-folded, inner spaces collapsed. SQLite's lower() folds only ASCII,
    so the key is computed in Python and stored beside the name."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; stored values are always UTC."""
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            str40: String(Len.CODE),
            str120: String(Len.NAME),
            str200: String(Len.TITLE),
            str255: String(Len.EMAIL),
            dt.datetime: DateTime(timezone=True),
        },
    )
    # One of "global", "tenant", "shared", "child"; see exchange.tenancy.
    __tenancy__: ClassVar[str]


class Versioned:
    """A row people edit after it was created (DESIGN.md §4, §6): it carries a version number.

    SQLAlchemy checks and bumps it on every UPDATE and DELETE (``version_id_col``), so a save racing
    another one fails at the column (StaleDataError); every form that changes the row carries the version
    it was opened with, and the service refuses a stale one (``rules.check_version``). Either way the
    request kit answers 409 and shows both versions: never a silent overwrite. Rows that existed before
    the column start at 1 (the server default).

    A class that needs its own ``__mapper_args__`` must repeat ``"version_id_col": cls.version`` in them.
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


def unindexed_foreign_keys(metadata: MetaData) -> list[tuple[str, str]]:
    """(table, column) of every foreign key column that no index, primary key or unique constraint
    starts with."""
    missing = []
    for table in metadata.sorted_tables:
        leading = {next(iter(table.primary_key.columns)).name} if table.primary_key.columns else set()
        leading |= {next(iter(index.columns)).name for index in table.indexes if index.columns}
        leading |= {next(iter(constraint.columns)).name for constraint in table.constraints
                    if isinstance(constraint, UniqueConstraint) and constraint.columns}
        missing += sorted({(table.name, fk.parent.name) for fk in table.foreign_keys
                           if fk.parent.name not in leading})
    return missing


def index_foreign_keys(metadata: MetaData) -> None:
    """Give every foreign key column an index of its own unless an index already starts with it.

    PostgreSQL (unlike MySQL) never indexes a foreign key by itself, and SQLite neither: reading a
    relation from its other side (a visit's visiting municipalities, whose primary key starts with the
    municipality; the organisations of a theme) or deleting a parent row would scan the whole child table,
    which stays invisible at 100 rows and costs seconds at 100 000 (issue 12). Declared here once for every
    model instead of column by column; tests/test_indexes.py checks the migrated schema has them too."""
    for table_name, column in unindexed_foreign_keys(metadata):
        table = metadata.tables[table_name]
        Index(f"ix_{table_name}_{column}", table.c[column])


# --- a generic plan on PostgreSQL for one statement (issue 12) -----------------------------------------

GENERIC_PLAN = "exchange_generic_plan"


def generic_plan(statement):
    """``statement``, marked to be executed with PostgreSQL's generic plan (``plan_cache_mode =
    force_generic_plan`` for that one execution). For a statement with many branches whose plan hardly
    depends on its parameters: the translators' queue counts a union of twenty selects, and PostgreSQL,
    left to choose, planned it anew on every execution, 10 ms of 11 on every translator's dashboard
    (1 ms with the plan it keeps). Only where measured: a generic plan of the queue's *page* took 140 ms
    where a custom one took 5. Nothing changes on SQLite, which plans every statement alike."""
    return statement.execution_options(**{GENERIC_PLAN: True})


def _generic(conn, context) -> bool:
    return context is not None and context.execution_options.get(GENERIC_PLAN) and conn.dialect.name == "postgresql"


@event.listens_for(Engine, "before_cursor_execute")
def _before_generic(conn, cursor, statement, parameters, context, executemany):
    if _generic(conn, context):
        # SET LOCAL: undone with the transaction if the statement fails; RESET below otherwise
        cursor.connection.execute("SET LOCAL plan_cache_mode = force_generic_plan")


@event.listens_for(Engine, "after_cursor_execute")
def _after_generic(conn, cursor, statement, parameters, context, executemany):
    if _generic(conn, context):
        cursor.connection.execute("RESET plan_cache_mode")
