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
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_table('municipality_emblems',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_municipality_emblems_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_id', name=op.f('pk_municipality_emblems'))
    )


def downgrade():
    op.drop_table('municipality_emblems')
    # SQLite rebuilds the table to drop a column; every tenant table refers to municipalities, so the
    # foreign keys are checked again after the rebuild, not during it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('emblem_stamp')
        batch_op.drop_column('accent_colour')
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
