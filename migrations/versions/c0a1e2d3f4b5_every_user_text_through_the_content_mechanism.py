"""every piece of user content through the shared content mechanism (issue 13)

Milestones, funding notes, project contacts' roles, comments, join messages, sustainability rationales,
programme items, participants' organisations and roles, follow-up actions and organisation contacts'
roles get a source language, translations with a status and the translators' queue. Each owner gets a
text table of the shared mechanism (join messages go to the participations' table, sustainability
rationales to the projects' one as ``sustainability_<dimension>``); the data migration moves every
existing text into a *source* row in the language it was stored with (or, where none was stored, the
language of the municipality that wrote it), then drops the old columns. The downgrade moves the
originals back (translations made since are lost with their tables).

Revision ID: c0a1e2d3f4b5
Revises: c1d2e3f4a5b6
Create Date: 2026-11-29 11:00:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c0a1e2d3f4b5'
down_revision = 'c1d2e3f4a5b6'
branch_labels = None
depends_on = None

# (text table, its foreign key column, the owner table, index the foreign key)
TEXT_TABLES = [
    ('project_milestone_texts', 'milestone_id', 'project_milestones', False),
    ('project_funding_line_texts', 'line_id', 'project_funding_lines', False),
    ('project_contact_texts', 'contact_id', 'project_contacts', False),
    ('project_comment_texts', 'comment_id', 'project_comments', False),
    ('visit_agenda_item_texts', 'owner_id', 'visit_agenda_items', True),
    ('visit_participant_texts', 'owner_id', 'visit_participants', True),
    ('visit_follow_up_texts', 'owner_id', 'visit_follow_ups', True),
    ('organisation_contact_texts', 'contact_id', 'organisation_contacts', False),
]


def _default_locale(municipality_id_sql: str) -> str:
    return f"(SELECT m.default_locale FROM municipalities m WHERE m.id = {municipality_id_sql})"


# What moves where: (text table, its fk column, the field (SQL), the old column, its language (SQL), the
# owner table aliased "o").
MOVES = [
    ('project_milestone_texts', 'milestone_id', "'title'", 'title', 'o.locale',
     'project_milestones o'),
    ('project_funding_line_texts', 'line_id', "'note'", 'note',
     f"COALESCE(o.note_locale, {_default_locale('o.municipality_id')})", 'project_funding_lines o'),
    ('project_contact_texts', 'contact_id', "'role'", 'role', _default_locale('o.municipality_id'),
     'project_contacts o'),
    ('project_comment_texts', 'comment_id', "'body'", 'body', 'o.locale', 'project_comments o'),
    ('project_participation_texts', 'participation_id', "'message'", 'message',
     f"COALESCE(o.message_locale, {_default_locale('o.municipality_id')})", 'project_participations o'),
    ('project_texts', 'project_id', "'sustainability_' || o.dimension", 'rationale', 'o.locale',
     'project_sustainability o'),
    ('visit_agenda_item_texts', 'owner_id', "'title'", 'title', 'o.lang', 'visit_agenda_items o'),
    ('visit_agenda_item_texts', 'owner_id', "'location'", 'location', 'o.lang', 'visit_agenda_items o'),
    ('visit_participant_texts', 'owner_id', "'organisation'", 'organisation',
     _default_locale('o.municipality_id'), 'visit_participants o'),
    ('visit_participant_texts', 'owner_id', "'role'", 'role', _default_locale('o.municipality_id'),
     'visit_participants o'),
    ('visit_follow_up_texts', 'owner_id', "'action'", 'action', 'o.lang', 'visit_follow_ups o'),
    ('organisation_contact_texts', 'contact_id', "'role'", 'role',
     "(SELECT m.default_locale FROM municipalities m JOIN organisations g ON g.municipality_id = m.id "
     "WHERE g.id = o.organisation_id)", 'organisation_contacts o'),
]

# The old columns: (table, column, type, nullable, server default used while the downgrade fills them)
OLD_COLUMNS = [
    ('project_milestones', 'title', sa.String(length=200), False),
    ('project_milestones', 'locale', sa.String(length=10), False),
    ('project_funding_lines', 'note', sa.String(length=200), False),
    ('project_funding_lines', 'note_locale', sa.String(length=10), True),
    ('project_contacts', 'role', sa.String(length=120), False),
    ('project_comments', 'locale', sa.String(length=10), False),
    ('project_comments', 'body', sa.Text(), False),
    ('project_participations', 'message', sa.Text(), False),
    ('project_participations', 'message_locale', sa.String(length=10), True),
    ('project_sustainability', 'rationale', sa.Text(), False),
    ('project_sustainability', 'locale', sa.String(length=10), False),
    ('visit_agenda_items', 'title', sa.String(length=200), False),
    ('visit_agenda_items', 'location', sa.String(length=200), False),
    ('visit_agenda_items', 'lang', sa.String(length=10), False),
    ('visit_participants', 'organisation', sa.String(length=200), False),
    ('visit_participants', 'role', sa.String(length=120), False),
    ('visit_follow_ups', 'action', sa.String(length=500), False),
    ('visit_follow_ups', 'lang', sa.String(length=10), False),
    ('organisation_contacts', 'role', sa.String(length=120), False),
]


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
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{name}_{fk}'), [fk], unique=False)


def _now():
    return sa.bindparam('now', value=dt.datetime.now(dt.timezone.utc), type_=sa.DateTime(timezone=True))


def upgrade():
    for name, fk, owner, indexed in TEXT_TABLES:
        _text_table(name, fk, owner, indexed)
    bind = op.get_bind()
    # Every text already written becomes the original ("source") in the language it was written in.
    for table, fk, field, column, locale, source in MOVES:
        owner_id = 'o.project_id' if table == 'project_texts' else 'o.id'
        bind.execute(sa.text(
            f"INSERT INTO {table} ({fk}, field, locale, text, status, updated_at, version) "
            f"SELECT {owner_id}, {field}, {locale}, o.{column}, 'source', :now, 1 FROM {source} "
            f"WHERE o.{column} IS NOT NULL AND o.{column} <> ''").bindparams(_now()))
    # A plain ALTER TABLE … DROP COLUMN, never SQLite's batch mode: that copies the table and drops the
    # original, and dropping a table with foreign keys on deletes (cascades) the rows pointing at it,
    # such as the texts just moved and visit costs' links to funding lines.
    for table, column, _type, _nullable in OLD_COLUMNS:
        op.drop_column(table, column)


def _source_text(table: str, fk: str, field_sql: str, what: str, owner_id: str = 'o.id') -> str:
    return (f"(SELECT t.{what} FROM {table} t WHERE t.{fk} = {owner_id} AND t.field = {field_sql} "
            f"AND t.status = 'source')")


def downgrade():
    # Plain ALTER TABLE … ADD COLUMN (see upgrade() for why not batch mode); SQLite adds a required column
    # only with a default, so the required ones come back with an empty-string default, filled below.
    for table, column, type_, nullable in OLD_COLUMNS:
        op.add_column(table, sa.Column(column, type_, nullable=nullable,
                                       server_default=None if nullable else ''))
    bind = op.get_bind()
    locale_columns = {'project_milestones': 'locale', 'project_funding_lines': 'note_locale',
                      'project_comments': 'locale', 'project_participations': 'message_locale',
                      'project_sustainability': 'locale', 'visit_agenda_items': 'lang', 'visit_follow_ups': 'lang'}
    for table, fk, field, column, _locale, source in MOVES:
        owner_table = source.split()[0]
        owner_id = 'o.project_id' if table == 'project_texts' else 'o.id'
        # An UPDATE cannot alias its table everywhere: name it "o" through a correlated subquery.
        text_sql = _source_text(table, fk, field, 'text', owner_id).replace('o.', f'{owner_table}.')
        bind.execute(sa.text(f"UPDATE {owner_table} SET {column} = COALESCE({text_sql}, '')"))
        if owner_table in locale_columns and column != 'location':
            locale_sql = _source_text(table, fk, field, 'locale', owner_id).replace('o.', f'{owner_table}.')
            bind.execute(sa.text(f"UPDATE {owner_table} SET {locale_columns[owner_table]} = {locale_sql} "
                                 f"WHERE {locale_sql} IS NOT NULL"))
    # Rows without any text get their municipality's language (the columns were required).
    for table, column, municipality in [('project_milestones', 'locale', None),
                                        ('project_comments', 'locale', 'author_municipality_id'),
                                        ('project_sustainability', 'locale', None),
                                        ('visit_agenda_items', 'lang', None), ('visit_follow_ups', 'lang', None)]:
        if municipality:
            fallback = _default_locale(f'{table}.{municipality}')
        elif table.startswith('project_'):
            fallback = (f"(SELECT m.default_locale FROM municipalities m JOIN projects p ON "
                        f"p.lead_municipality_id = m.id WHERE p.id = {table}.project_id)")
        else:
            fallback = (f"(SELECT m.default_locale FROM municipalities m JOIN visits v ON "
                        f"v.host_municipality_id = m.id WHERE v.id = {table}.visit_id)")
        bind.execute(sa.text(f"UPDATE {table} SET {column} = {fallback} WHERE {column} = ''"))
    if bind.dialect.name != 'sqlite':
        for table, column, type_, nullable in OLD_COLUMNS:
            if not nullable:
                op.alter_column(table, column, existing_type=type_, existing_nullable=False, server_default=None)
    for name, fk, _owner, indexed in reversed(TEXT_TABLES):
        if indexed:
            with op.batch_alter_table(name, schema=None) as batch_op:
                batch_op.drop_index(batch_op.f(f'ix_{name}_{fk}'))
        op.drop_table(name)
    # The rationales go back to project_sustainability: drop them from project_texts.
    bind.execute(sa.text("DELETE FROM project_texts WHERE field LIKE 'sustainability%'"))
    bind.execute(sa.text("DELETE FROM project_participation_texts WHERE field = 'message'"))
