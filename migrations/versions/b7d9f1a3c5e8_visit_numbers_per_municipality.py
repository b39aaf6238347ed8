"""the number of visits each municipality hosts or visits, kept with the reports' running counts (issue 12)

Revision ID: b7d9f1a3c5e8
Revises: a6c8e0b2d4f7
Create Date: 2026-11-30 09:30:00

Statements over a municipality's visits take one of two shapes by how many it has
(exchange.visits.queries.has_few_visits). The number was counted on each request from the indexes of hosts
and visitors, up to the threshold (0.9 ms a page for a large town on SQLite), and could tell only one
threshold. It is now a running count of the reports' table (figure ``visits``, per municipality), read by
its key. Where the counts are built (their day is stored), this adds the new figure; where they are not,
they are built with it (exchange.visits.tallies.rebuild) by the first change of a visit or the recurring
job, and until then the number is counted as before.
"""
from alembic import op


revision = 'b7d9f1a3c5e8'
down_revision = 'a6c8e0b2d4f7'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM visit_tallies WHERE figure = 'visits'")
    op.execute("""
        INSERT INTO visit_tallies (figure, viewer_id, year, a, b, n)
        SELECT 'visits', involved.municipality_id, 0, 0, 0, count(*)
        FROM (SELECT host_municipality_id AS municipality_id FROM visits
              UNION ALL SELECT municipality_id FROM visit_municipalities) AS involved
        WHERE EXISTS (SELECT 1 FROM visit_tally_dates)
        GROUP BY involved.municipality_id
    """)


def downgrade():
    op.execute("DELETE FROM visit_tallies WHERE figure = 'visits'")
