"""follow-up actions can be owned by an account (reminded by the platform), not only by a name

Revision ID: e1f0b2c3d4a5
Revises: c3f1a2b4d5e6
Create Date: 2026-11-29 12:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e1f0b2c3d4a5'
down_revision = 'c3f1a2b4d5e6'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: a batch rebuild of visit_follow_ups on SQLite (foreign keys on) would
# delete the rows of visit_follow_up_texts that cascade from it. No foreign key, for the same reason.
def upgrade():
    op.add_column('visit_follow_ups', sa.Column('owner_user_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_visit_follow_ups_owner_user_id'), 'visit_follow_ups', ['owner_user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_visit_follow_ups_owner_user_id'), table_name='visit_follow_ups')
    op.drop_column('visit_follow_ups', 'owner_user_id')
