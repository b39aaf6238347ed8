"""substring search indexes: FTS5 trigram tables on SQLite, pg_trgm GIN indexes on PostgreSQL; the
translators' queue's order on every content text table (issue 12)

Revision ID: c1d2e3f4a5b6
Revises: d916d959c7d9
Create Date: 2026-11-29 11:30:00

The DDL is the one exchange.i18n.search attaches to the tables for ``create_all``; it is written out here
so that this migration keeps doing what it did when the application code changes.
"""
from alembic import op


revision = 'c1d2e3f4a5b6'
down_revision = 'd916d959c7d9'
branch_labels = None
depends_on = None

SEARCHED = [("project_texts", "text"), ("organisation_texts", "text"), ("visit_texts", "text"),
            ("organisations", "name")]

# The translators' queue: source texts, oldest first (exchange.workbench.queue).
QUEUED = ["project_texts", "project_participation_texts", "organisation_texts", "visit_texts"]


def _sqlite(table, column):
    fts = f"{table}_search"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # index the rows that exist already
    ]


def upgrade():
    for table in QUEUED:
        op.create_index(op.f(f"ix_{table}_status_updated_at_id"), table, ["status", "updated_at", "id"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in SEARCHED:
        if dialect == "sqlite":
            for statement in _sqlite(table, column):
                op.execute(statement)
        elif dialect == "postgresql":
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_trgm ON {table} "
                       f"USING gin ({column} gin_trgm_ops)")


def downgrade():
    for table in QUEUED:
        op.drop_index(op.f(f"ix_{table}_status_updated_at_id"), table_name=table)
    dialect = op.get_bind().dialect.name
    for table, column in SEARCHED:
        if dialect == "sqlite":
            fts = f"{table}_search"
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
