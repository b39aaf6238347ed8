"""each municipality's identity: an accent colour and a coat of arms; municipalities carry a version

Revision ID: d7a4c2e9b1f0
Revises: c5e1a0d2f7b3
Create Date: 2026-11-29 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7a4c2e9b1f0'
down_revision = 'c5e1a0d2f7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accent_colour', sa.String(length=7), server_default='', nullable=False))
        batch_op.add_column(sa.Column('emblem_stamp', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('emblem_type', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('emblem_data', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    # SQLite rebuilds the table to drop a column; every tenant table refers to municipalities, so the
    # foreign keys are checked again after the rebuild, not during it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('emblem_data')
        batch_op.drop_column('emblem_type')
        batch_op.drop_column('emblem_stamp')
        batch_op.drop_column('accent_colour')
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
