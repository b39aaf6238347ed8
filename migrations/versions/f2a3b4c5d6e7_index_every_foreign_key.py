"""every foreign key column has an index; visits by (status, end_date)

Revision ID: f2a3b4c5d6e7
Revises: e1f0b2c3d4a5
Create Date: 2026-11-29 15:05:00

Neither PostgreSQL nor SQLite indexes a foreign key by itself: reading a relation from its other side
(a visit's visiting municipalities, themes and projects, whose primary keys start with the other column)
scanned the whole link table (issue 12). exchange.db.index_foreign_keys declares these for the models;
tests/test_indexes.py checks that a migrated database has an index starting with every foreign key column.
"""
from alembic import op


revision = 'f2a3b4c5d6e7'
down_revision = 'e1f0b2c3d4a5'
branch_labels = None
depends_on = None

FOREIGN_KEYS = [
    ('audit_entries', 'actor_id'),
    ('funding_call_revisions', 'actor_municipality_id'),
    ('organisation_themes', 'theme_id'),
    ('project_comments', 'author_municipality_id'),
    ('project_contacts', 'municipality_id'),
    ('project_events', 'actor_municipality_id'),
    ('project_events', 'subject_municipality_id'),
    ('project_funding_lines', 'municipality_id'),
    ('project_partner_needs', 'origin_municipality_id'),
    ('project_partnerships', 'funding_line_id'),
    ('project_partnerships', 'need_id'),
    ('project_partnerships', 'requested_by_municipality_id'),
    ('visit_calendar_feeds', 'created_by_id'),
    ('visit_costs', 'municipality_id'),
    ('visit_municipalities', 'visit_id'),
    ('visit_participants', 'municipality_id'),
    ('visit_projects', 'visit_id'),
    ('visit_themes', 'visit_id'),
]


def upgrade():
    for table, column in FOREIGN_KEYS:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
    op.create_index('ix_visits_status_end_date', 'visits', ['status', 'end_date'], unique=False)


def downgrade():
    op.drop_index('ix_visits_status_end_date', table_name='visits')
    for table, column in reversed(FOREIGN_KEYS):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
