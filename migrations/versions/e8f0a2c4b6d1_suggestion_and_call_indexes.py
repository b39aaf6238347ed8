"""indexes for the most recently updated projects per lead and for the needs and projects of a theme,
newest first (issue 12)

Revision ID: e8f0a2c4b6d1
Revises: c4e6a8b0d2f1
Create Date: 2026-11-29 17:50:00

"""
from alembic import op


revision = 'e8f0a2c4b6d1'
down_revision = 'c4e6a8b0d2f1'
branch_labels = None
depends_on = None


# Plain CREATE INDEX (no batch rebuild of projects on SQLite: its children cascade from it).
# (updated_at, id), which a call's page reads backwards too, came with c4e8a1d7f2b5 (the project list).
# (lead_municipality_id, updated_at, id): the projects a municipality leads, most recently updated first
# (the call page's "link a project" choices), without sorting all the projects of a large municipality.
# (theme_id, need_id) and (theme_id, project_id): suggestions for an organisation read the most recently
# listed needs (and newest projects) of each theme it offers, a bounded window in index order.
def upgrade():
    op.create_index(op.f('ix_projects_lead_municipality_id_updated_at_id'), 'projects',
                    ['lead_municipality_id', 'updated_at', 'id'], unique=False)
    op.create_index(op.f('ix_project_partner_need_themes_theme_id_need_id'), 'project_partner_need_themes',
                    ['theme_id', 'need_id'], unique=False)
    op.create_index(op.f('ix_project_themes_theme_id_project_id'), 'project_themes', ['theme_id', 'project_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_project_themes_theme_id_project_id'), table_name='project_themes')
    op.drop_index(op.f('ix_project_partner_need_themes_theme_id_need_id'), table_name='project_partner_need_themes')
    op.drop_index(op.f('ix_projects_lead_municipality_id_updated_at_id'), table_name='projects')
