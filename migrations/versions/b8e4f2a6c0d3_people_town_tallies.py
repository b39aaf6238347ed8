"""running counts of the participants per home municipality over all years ("people_town"), which the
report ranks its home municipalities by, backfilled from the counts per year; an index to read the years of
those municipalities (issue 12)

Revision ID: b8e4f2a6c0d3
Revises: a7d3e5f1c9b2
Create Date: 2026-11-29 23:10:00

"""
from alembic import op


revision = 'b8e4f2a6c0d3'
down_revision = 'a7d3e5f1c9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_visit_tallies_figure_viewer_id_a'), 'visit_tallies', ['figure', 'viewer_id', 'a'],
                    unique=False)
    # The counts per (viewer, year, home municipality) hold as of the stored day; their sums over the years
    # hold as of the same day.
    op.execute("INSERT INTO visit_tallies (figure, viewer_id, year, a, b, n) "
               "SELECT 'people_town', viewer_id, 0, a, 0, SUM(n) FROM visit_tallies WHERE figure = 'people' "
               "GROUP BY viewer_id, a")


def downgrade():
    op.execute("DELETE FROM visit_tallies WHERE figure = 'people_town'")
    op.drop_index(op.f('ix_visit_tallies_figure_viewer_id_a'), table_name='visit_tallies')
