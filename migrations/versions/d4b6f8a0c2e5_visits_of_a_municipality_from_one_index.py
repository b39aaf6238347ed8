"""the visits a municipality visits are read from one index, (municipality_id, visit_id), instead of an
index of the municipality and the table rows (issue 12)

Revision ID: d4b6f8a0c2e5
Revises: c9f1d3a5e7b4
Create Date: 2026-11-30 02:40:00

Visit.involves (the host or a visitor: every rule of who reads a visit's details) asks for the visits of one
visiting municipality. PostgreSQL answered it by reading each of a big municipality's rows from the table
(a bitmap heap scan of 20 000 rows at 100 000 visits); with the visit in the index it is an index-only scan.
"""
from alembic import op


revision = 'd4b6f8a0c2e5'
down_revision = 'c9f1d3a5e7b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_visit_municipalities_municipality_id_visit_id'), 'visit_municipalities',
                    ['municipality_id', 'visit_id'], unique=False)
    op.drop_index('ix_visit_municipalities_municipality_id', table_name='visit_municipalities')


def downgrade():
    op.create_index('ix_visit_municipalities_municipality_id', 'visit_municipalities', ['municipality_id'],
                    unique=False)
    op.drop_index(op.f('ix_visit_municipalities_municipality_id_visit_id'), table_name='visit_municipalities')
