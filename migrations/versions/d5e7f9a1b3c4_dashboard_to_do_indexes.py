"""the dashboard's invitations to answer read in index order (issue 12)

Revision ID: d5e7f9a1b3c4
Revises: a7c3e5f1b9d2
Create Date: 2026-11-29 18:55:00

The dashboard shows the oldest few invitations a municipality has to answer. The list was read whole and
sorted by age before the first eleven were kept, growing with the network. With the age in the index, the
database walks the waiting invitations oldest first and stops at the limit. The participations'
(municipality_id, status) index becomes the longer (municipality_id, status, created_at, id), which
answers everything the shorter one did.
"""
from alembic import op


revision = 'd5e7f9a1b3c4'
down_revision = 'a7c3e5f1b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_project_participations_municipality_id_status', table_name='project_participations')
    op.create_index('ix_project_participations_municipality_id_status_created_at_id', 'project_participations',
                    ['municipality_id', 'status', 'created_at', 'id'])


def downgrade():
    op.drop_index('ix_project_participations_municipality_id_status_created_at_id',
                  table_name='project_participations')
    op.create_index('ix_project_participations_municipality_id_status', 'project_participations',
                    ['municipality_id', 'status'])
