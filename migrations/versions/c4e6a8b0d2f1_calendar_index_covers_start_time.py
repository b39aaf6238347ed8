"""visits: the calendar's index also holds start_time, so a month's visits are ranked from the index alone
(issue 12)

Revision ID: c4e6a8b0d2f1
Revises: c4e8a1d7f2b5
Create Date: 2026-11-29 18:20:00

"""
from alembic import op


revision = 'c4e6a8b0d2f1'
down_revision = 'c4e8a1d7f2b5'
branch_labels = None
depends_on = None


# The calendar ranks the visits of each (start_date, end_date) by start_time and counts them
# (exchange.visits.queries.calendar_visits): with start_time in the index (and the id in it: SQLite's
# rowid, PostgreSQL's index-only scan reads the heap only for pages not all-visible) the month is read
# without a table lookup per visit. The new index serves every query the old one did (same leading
# columns), so the old one goes. Plain CREATE/DROP INDEX, not batch mode: a batch rebuild of visits on
# SQLite (foreign keys on) would delete the rows that cascade from it.
def upgrade():
    op.create_index(op.f('ix_visits_start_date_end_date_start_time'), 'visits',
                    ['start_date', 'end_date', 'start_time'], unique=False)
    op.drop_index(op.f('ix_visits_start_date_end_date'), table_name='visits')


def downgrade():
    op.create_index(op.f('ix_visits_start_date_end_date'), 'visits', ['start_date', 'end_date'], unique=False)
    op.drop_index(op.f('ix_visits_start_date_end_date_start_time'), table_name='visits')
