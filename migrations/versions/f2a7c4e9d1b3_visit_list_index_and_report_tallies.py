"""visits: an index for the list's order, and the reports' running counts (issue 12)

Revision ID: f2a7c4e9d1b3
Revises: f3a8c61d2b97
Create Date: 2026-11-29 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f2a7c4e9d1b3'
down_revision = 'f3a8c61d2b97'
branch_labels = None
depends_on = None


# Plain CREATE INDEX, not batch mode: a batch rebuild of visits on SQLite (foreign keys on) would delete the
# rows that cascade from it. (start_date, start_time, id) serves ORDER BY start_date DESC, start_time DESC,
# id DESC (read backwards) on SQLite and PostgreSQL alike, so the list's first page sorts nothing.
#
# The counts are not backfilled here (that would need the application's code in a migration): without the
# row of visit_tally_dates the report counts on the spot, and the first change of a visit or the recurring
# job visits.roll_tallies (hourly) builds them (exchange.visits.tallies.rebuild).
def upgrade():
    op.create_index(op.f('ix_visits_start_date_start_time_id'), 'visits', ['start_date', 'start_time', 'id'],
                    unique=False)
    op.create_table('visit_tallies',
                    sa.Column('figure', sa.String(length=12), nullable=False),
                    sa.Column('viewer_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('a', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('b', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('figure', 'viewer_id', 'year', 'a', 'b', name=op.f('pk_visit_tallies')))
    op.create_index(op.f('ix_visit_tallies_figure_viewer_id_n'), 'visit_tallies', ['figure', 'viewer_id', 'n'],
                    unique=False)
    op.create_table('visit_tally_dates',
                    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('as_of', sa.Date(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_tally_dates')))


def downgrade():
    op.drop_table('visit_tally_dates')
    op.drop_index(op.f('ix_visit_tallies_figure_viewer_id_n'), table_name='visit_tallies')
    op.drop_table('visit_tallies')
    op.drop_index(op.f('ix_visits_start_date_start_time_id'), table_name='visits')
