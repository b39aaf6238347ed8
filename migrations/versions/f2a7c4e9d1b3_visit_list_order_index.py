"""visits: an index for the list's order (newest first) and the exports' (oldest first)

Revision ID: f2a7c4e9d1b3
Revises: e1f0b2c3d4a5
Create Date: 2026-11-29 15:50:00

"""
from alembic import op


revision = 'f2a7c4e9d1b3'
down_revision = 'e1f0b2c3d4a5'
branch_labels = None
depends_on = None


# Plain CREATE INDEX, not batch mode: a batch rebuild of visits on SQLite (foreign keys on) would delete the
# rows that cascade from it. (start_date, start_time, id) serves ORDER BY start_date DESC, start_time DESC,
# id DESC (read backwards) on SQLite and PostgreSQL alike, so the first page needs no sort of every visit.
def upgrade():
    op.create_index(op.f('ix_visits_start_date_start_time_id'), 'visits', ['start_date', 'start_time', 'id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_visits_start_date_start_time_id'), table_name='visits')
