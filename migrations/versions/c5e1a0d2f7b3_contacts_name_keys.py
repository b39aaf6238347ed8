"""contact people and accounts get a name key, so the personal-data tool finds them in every store

Revision ID: c5e1a0d2f7b3
Revises: b4cd74bf8bb5
Create Date: 2026-11-29 11:20:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'c5e1a0d2f7b3'
down_revision = 'b4cd74bf8bb5'
branch_labels = None
depends_on = None

TABLES = ("project_contacts", "organisation_contacts", "users")


def _key(name):
    # exchange.db.person_key as of this revision (a migration never imports the application).
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=120), server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{table}_name_key'), ['name_key'], unique=False)
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('name_key', sa.String))
        conn = op.get_bind()
        keys = [{"row_id": row.id, "key": _key(row.name)} for row in conn.execute(sa.select(rows.c.id, rows.c.name))]
        if keys:
            conn.execute(rows.update().where(rows.c.id == sa.bindparam("row_id")).values(name_key=sa.bindparam("key")),
                         keys)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_name_key'))
            batch_op.drop_column('name_key')
