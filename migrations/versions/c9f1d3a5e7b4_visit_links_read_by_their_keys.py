"""the visits' links (visiting municipalities, themes, projects) are read by visit from their primary keys,
which begin with the visit; the separate visit indexes go (issue 12)

Revision ID: c9f1d3a5e7b4
Revises: b8e4f2a6c0d3
Create Date: 2026-11-30 01:30:00

The initial schema keyed visit_municipalities, visit_themes and visit_projects by (visit_id, other). The
models had come to declare the other column first (a mixin's column comes last), so f2a3b4c5d6e7 gave each
table an index of visit_id alone, beside a primary key that already begins with it. The models declare the
visit first again; the key's index holds both columns, so a batch of visits' links is read from it alone.
"""
from alembic import op


revision = 'c9f1d3a5e7b4'
down_revision = 'b8e4f2a6c0d3'
branch_labels = None
depends_on = None

TABLES = ('visit_municipalities', 'visit_projects', 'visit_themes')


def upgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_visit_id', table_name=table)


def downgrade():
    for table in TABLES:
        op.create_index(f'ix_{table}_visit_id', table, ['visit_id'], unique=False)
