"""organisations that fund projects (never suggested as co-applicants)

Revision ID: c3f1a2b4d5e6
Revises: c0a1e2d3f4b5
Create Date: 2026-11-29 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a2b4d5e6'
down_revision = 'c0a1e2d3f4b5'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: a batch rebuild of ``organisations`` on SQLite would drop the search
# triggers that keep its trigram table current (exchange/i18n/search.py). SQLite 3.35+ drops columns.
def upgrade():
    op.add_column('organisations', sa.Column('funder', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('organisations', 'funder')
