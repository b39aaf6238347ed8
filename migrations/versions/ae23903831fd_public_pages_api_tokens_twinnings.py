"""Public pages and the read API (issue 17): twinnings, cooperation profiles and their texts, personal access
tokens, the public flags of projects and visits

Revision ID: ae23903831fd
Revises: a3c5e7f9b1d2
Create Date: 2026-11-29 07:55:52.506237

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae23903831fd'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cooperation_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('licence', sa.String(length=20), server_default='cc-by-4.0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cooperation_profiles_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_profiles')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_cooperation_profiles_municipality_id'))
    )
    op.create_table('twinnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_municipality_id', sa.Integer(), nullable=False),
    sa.Column('second_municipality_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('first_municipality_id < second_municipality_id', name=op.f('ck_twinnings_ordered_pair')),
    sa.ForeignKeyConstraint(['first_municipality_id'], ['municipalities.id'], name=op.f('fk_twinnings_first_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_municipality_id'], ['municipalities.id'], name=op.f('fk_twinnings_second_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_twinnings')),
    sa.UniqueConstraint('first_municipality_id', 'second_municipality_id', name=op.f('uq_twinnings_first_municipality_id_second_municipality_id'))
    )
    with op.batch_alter_table('twinnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_twinnings_second_municipality_id'), ['second_municipality_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=8), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_api_tokens_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('cooperation_texts',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('source_snapshot', sa.Text(), nullable=True),
    sa.Column('updated_by_name', sa.String(length=120), nullable=True),
    sa.Column('updated_by_municipality_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['cooperation_profiles.id'], name=op.f('fk_cooperation_texts_profile_id_cooperation_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_texts')),
    sa.UniqueConstraint('profile_id', 'field', 'locale', name=op.f('uq_cooperation_texts_profile_id_field_locale'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('public_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lessons_public', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('lessons_public')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('public_at')
        batch_op.drop_column('public')

    op.drop_table('cooperation_texts')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_tokens_municipality_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('twinnings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_twinnings_second_municipality_id'))

    op.drop_table('twinnings')
    op.drop_table('cooperation_profiles')
