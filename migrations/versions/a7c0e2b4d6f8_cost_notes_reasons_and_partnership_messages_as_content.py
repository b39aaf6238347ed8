"""visit cost notes, withdrawal reasons and partnership messages through the shared content mechanism (issue 13)

Three more texts that another municipality reads get a source language, translations with a status and
the translators' queue: a visit cost's note (``visit_cost_texts``), the reason given for a project's change
of status, such as a withdrawal (``project_event_texts``), and the message of an organisation's interest
in a project or of its invitation (``project_partnership_texts``, an optional translation). Every existing
text becomes the *source* row in the language it was stored with (``reason_locale``,
``message_locale``) or, where none was stored, the language of the municipality that wrote it (the
event's actor, the partnership's requester; for a cost, which records no author, the paying
municipality); then the old columns are dropped. The downgrade moves the originals back (translations
made since are lost with their tables).

Plain CREATE/ALTER TABLE only, never SQLite's batch mode: rebuilding a table copies and drops it, and
dropping a table deletes (cascades) the rows of the text tables pointing at it.

Revision ID: a7c0e2b4d6f8
Revises: f2a3b4c5d6e7
Create Date: 2026-11-29 15:00:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c0e2b4d6f8'
down_revision = 'f2a3b4c5d6e7'
branch_labels = None
depends_on = None

# (text table, its foreign key column, the owner table, index the foreign key)
TEXT_TABLES = [
    ('visit_cost_texts', 'owner_id', 'visit_costs', True),
    ('project_event_texts', 'event_id', 'project_events', False),
    ('project_partnership_texts', 'link_id', 'project_partnerships', False),
]


def _default_locale(municipality_id_sql: str) -> str:
    return f"(SELECT m.default_locale FROM municipalities m WHERE m.id = {municipality_id_sql})"


# What moves where: (text table, its fk column, the field, the old column, its language (SQL, the owner
# table aliased "o"), the owner table).
MOVES = [
    ('visit_cost_texts', 'owner_id', 'note', 'note', _default_locale('o.municipality_id'), 'visit_costs'),
    ('project_event_texts', 'event_id', 'reason', 'reason',
     f"COALESCE(o.reason_locale, {_default_locale('o.actor_municipality_id')}, "
     f"{_default_locale('(SELECT p.lead_municipality_id FROM projects p WHERE p.id = o.project_id)')})",
     'project_events'),
    ('project_partnership_texts', 'link_id', 'message', 'message',
     f"COALESCE(o.message_locale, {_default_locale('o.requested_by_municipality_id')}, "
     f"{_default_locale('(SELECT g.municipality_id FROM organisations g WHERE g.id = o.organisation_id)')})",
     'project_partnerships'),
]

# The old columns: (table, column, type, nullable); the language columns of the texts that had one.
OLD_COLUMNS = [
    ('visit_costs', 'note', sa.String(length=200), False),
    ('project_events', 'reason', sa.Text(), False),
    ('project_events', 'reason_locale', sa.String(length=10), True),
    ('project_partnerships', 'message', sa.Text(), False),
    ('project_partnerships', 'message_locale', sa.String(length=10), True),
]
LOCALE_COLUMNS = {'project_events': 'reason_locale', 'project_partnerships': 'message_locale'}


def _text_table(name: str, fk: str, owner: str, indexed: bool) -> None:
    op.create_table(
        name,
        sa.Column(fk, sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint([fk], [f'{owner}.id'], name=op.f(f'fk_{name}_{fk}_{owner}'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        sa.UniqueConstraint(fk, 'field', 'locale', name=op.f(f'uq_{name}_{fk}_field_locale')),
    )
    if indexed:
        op.create_index(op.f(f'ix_{name}_{fk}'), name, [fk], unique=False)


def _now():
    return sa.bindparam('now', value=dt.datetime.now(dt.timezone.utc), type_=sa.DateTime(timezone=True))


def upgrade():
    for name, fk, owner, indexed in TEXT_TABLES:
        _text_table(name, fk, owner, indexed)
    bind = op.get_bind()
    # Every text already written becomes the original ("source") in the language it was written in.
    for table, fk, field, column, locale, owner in MOVES:
        bind.execute(sa.text(
            f"INSERT INTO {table} ({fk}, field, locale, text, status, updated_at, version) "
            f"SELECT o.id, '{field}', {locale}, o.{column}, 'source', :now, 1 FROM {owner} o "
            f"WHERE o.{column} IS NOT NULL AND o.{column} <> ''").bindparams(_now()))
    for table, column, _type, _nullable in OLD_COLUMNS:
        op.drop_column(table, column)


def downgrade():
    # SQLite adds a required column only with a default: the required ones come back with an empty-string
    # default, filled below, and lose it again on PostgreSQL.
    for table, column, type_, nullable in OLD_COLUMNS:
        op.add_column(table, sa.Column(column, type_, nullable=nullable, server_default=None if nullable else ''))
    bind = op.get_bind()
    for table, fk, field, column, _locale, owner in MOVES:
        source = (f"FROM {table} t WHERE t.{fk} = {owner}.id AND t.field = '{field}' AND t.status = 'source'")
        bind.execute(sa.text(f"UPDATE {owner} SET {column} = COALESCE((SELECT t.text {source}), '')"))
        if owner in LOCALE_COLUMNS:
            bind.execute(sa.text(f"UPDATE {owner} SET {LOCALE_COLUMNS[owner]} = (SELECT t.locale {source}) "
                                 f"WHERE {column} <> ''"))
    if bind.dialect.name != 'sqlite':
        for table, column, type_, nullable in OLD_COLUMNS:
            if not nullable:
                op.alter_column(table, column, existing_type=type_, existing_nullable=False, server_default=None)
    for name, fk, _owner, indexed in reversed(TEXT_TABLES):
        if indexed:
            op.drop_index(op.f(f'ix_{name}_{fk}'), table_name=name)
        op.drop_table(name)
