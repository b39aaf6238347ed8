"""a version column on every editable row (DESIGN.md §4): project, visit and partner children, texts, settings

Existing rows start at version 1 (the server default); the rows that were versioned already get the same
server default, so every version column reads alike.

Revision ID: a3c5e7f9b1d2
Revises: 413583a25d1b
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = '413583a25d1b'
branch_labels = None
depends_on = None

# Tables whose rows get a version now.
NEW = (
    'project_sustainability', 'project_milestones', 'project_funding_lines', 'project_contacts',
    'project_texts', 'project_participation_texts', 'organisation_contacts', 'organisation_texts',
    'visit_agenda_items', 'visit_participants', 'visit_costs', 'visit_follow_ups', 'visit_texts',
    'visit_settings', 'translator_languages',
)
# Tables versioned before, without a server default.
EXISTING = (
    'projects', 'project_participations', 'organisations', 'project_partner_needs', 'project_partnerships',
    'visits', 'catalog_messages',
)


def upgrade():
    for table in NEW:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    for table in EXISTING:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version', existing_type=sa.Integer(), existing_nullable=False,
                                  server_default='1')


def downgrade():
    for table in reversed(EXISTING):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version', existing_type=sa.Integer(), existing_nullable=False,
                                  server_default=None)
    for table in reversed(NEW):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
