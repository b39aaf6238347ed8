"""an index of the visits' lengths in days, an expression written per database: the calendar reads the
longest visit from it to bound how far back a visit still under way may have begun (issue 12)

Revision ID: a7d3e5f1c9b2
Revises: e8f0a2c4b6d1
Create Date: 2026-11-29 23:00:00

The DDL is the one exchange.visits.models.visit attaches to the table for ``create_all``; it is written
out here so that this migration keeps doing what it did when the application code changes.
"""
from alembic import op


revision = 'a7d3e5f1c9b2'
down_revision = 'e8f0a2c4b6d1'
branch_labels = None
depends_on = None

EXPRESSION = {"sqlite": "julianday(end_date) - julianday(start_date)", "postgresql": "(end_date - start_date)"}


def upgrade():
    expression = EXPRESSION.get(op.get_bind().dialect.name)
    if expression:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_visits_length_days_expr ON visits ({expression})")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_visits_length_days_expr")
