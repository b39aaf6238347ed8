"""the dashboard's to-do lists read in index order (issue 12)

Revision ID: d5e7f9a1b3c4
Revises: a7c3e5f1b9d2
Create Date: 2026-11-29 18:55:00

The dashboard shows the oldest few invitations and requests a municipality has to answer (to join projects,
and partner organisations' interests and invitations). Each list was read whole and sorted by age before
the first eleven were kept: the requests to a big town's projects were filtered on the project and sorted
on the participation, which no index serves. Participations and partnerships get copies of the project's
lead (and partnerships of the organisation's municipality), which never change, and indexes on
(that municipality, status, created_at, id): the database walks the waiting rows oldest first and stops
at the limit. The participations' (municipality_id, status) index becomes the longer
(municipality_id, status, created_at, id), which answers everything the shorter one did.
"""
import sqlalchemy as sa
from alembic import op


revision = 'd5e7f9a1b3c4'
down_revision = 'a7c3e5f1b9d2'
branch_labels = None
depends_on = None

COPIES = {
    "project_participations": {
        "lead_municipality_id": "SELECT lead_municipality_id FROM projects WHERE projects.id = {t}.project_id"},
    "project_partnerships": {
        "lead_municipality_id": "SELECT lead_municipality_id FROM projects WHERE projects.id = {t}.project_id",
        "organisation_municipality_id":
            "SELECT municipality_id FROM organisations WHERE organisations.id = {t}.organisation_id"},
}
INDEXES = [
    ("ix_project_participations_municipality_id_status_created_at_id", "project_participations",
     ["municipality_id", "status", "created_at", "id"]),
    ("ix_project_participations_lead_status_created", "project_participations",
     ["lead_municipality_id", "status", "created_at", "id"]),
    ("ix_project_partnerships_lead_status_created", "project_partnerships",
     ["lead_municipality_id", "status", "created_at", "id"]),
    ("ix_project_partnerships_org_status_created", "project_partnerships",
     ["organisation_municipality_id", "status", "created_at", "id"]),
]


def upgrade():
    for table, columns in COPIES.items():
        for column, source in columns.items():
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.execute(f"UPDATE {table} SET {column} = ({source.format(t=table)})")
        # Left NULL-able: making them NOT NULL would rebuild the tables on SQLite, and dropping the old table
        # with foreign keys on deletes its children's rows (texts, ON DELETE CASCADE). Every insert fills them
        # (the models' before_insert events).
    op.drop_index('ix_project_participations_municipality_id_status', table_name='project_participations')
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.create_index('ix_project_participations_municipality_id_status', 'project_participations',
                    ['municipality_id', 'status'])
    for table, columns in COPIES.items():
        for column in columns:
            op.drop_column(table, column)  # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35: no rebuild)
