"""projects get a sort key per locale (the title its readers see); organisations a key for every locale

Issue 12: the list of projects sorted by title and the partner directory are read in the order of a
(locale, key, owner id) index instead of sorting every row per request.

Revision ID: f3a8c61d2b97
Revises: a7c0e2b4d6f8
Create Date: 2026-11-29 15:10:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'f3a8c61d2b97'
down_revision = 'a7c0e2b4d6f8'
branch_labels = None
depends_on = None

BATCH = 2000

# exchange.i18n.sorting.sort_key as of this revision (a migration never imports the application).
_ALPHABET_TAIL = {"sv": "åäöæø", "fi": "åäö", "da": "æøå", "nb": "æøå", "nn": "æøå", "no": "æøå"}
_TAIL_MARKS = "{|}~"


def _sort_key(name, locale=None):
    tail = _ALPHABET_TAIL.get((locale or "").split("_")[0], "")
    out = []
    for char in (name or "").casefold():
        if char in tail:
            index = tail.index(char)
            out.append("z" + _TAIL_MARKS[min(index, len(_TAIL_MARKS) - 1)] + str(index))
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    return "".join(out)[:255]


def _locales():
    """The configured languages (the application's LANGUAGES; sv, de, it by default)."""
    try:
        from flask import current_app
        return list(current_app.config["LANGUAGES"])
    except (ImportError, RuntimeError, KeyError):
        return ["sv", "de", "it"]


def _insert(conn, table, rows):
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start:start + BATCH])


def upgrade():
    key_type = sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql')
    op.create_table('project_sort_keys',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('key', key_type, nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_sort_keys_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'locale', name=op.f('pk_project_sort_keys'))
    )
    op.create_index(op.f('ix_project_sort_keys_locale_key_project_id'), 'project_sort_keys',
                    ['locale', 'key', 'project_id'], unique=False)

    conn = op.get_bind()
    locales = _locales()
    # Backfill: the title a reader of each locale sees (exchange.i18n.models.Translatable.display): their
    # language when that row has a text (or there is no original), else the original, else nothing.
    texts = sa.table('project_texts', sa.column('project_id', sa.Integer), sa.column('field', sa.String),
                     sa.column('locale', sa.String), sa.column('text', sa.Text), sa.column('status', sa.String))
    projects = sa.table('projects', sa.column('id', sa.Integer))
    titles = {row.id: {} for row in conn.execute(sa.select(projects.c.id))}
    for row in conn.execute(sa.select(texts.c.project_id, texts.c.locale, texts.c.text, texts.c.status)
                            .where(texts.c.field == 'title')):
        titles.setdefault(row.project_id, {})[row.locale] = (row.text or "", row.status)
    keys = sa.table('project_sort_keys', sa.column('project_id', sa.Integer), sa.column('locale', sa.String),
                    sa.column('key', sa.String))
    rows = []
    for project_id, versions in titles.items():
        source = next((text for text, status in versions.values() if status == 'source'), None)
        for locale in locales:
            own = versions.get(locale)
            shown = own[0] if own is not None and (own[0] or source is None) else (source or "")
            rows.append({"project_id": project_id, "locale": locale, "key": _sort_key(shown, locale)})
    _insert(conn, keys, rows)

    # Organisations had a row only where a locale's alphabet differs from the neutral key: now every
    # configured locale has one, so the directory joins it instead of coalescing (which no index serves).
    organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('name', sa.String))
    org_keys = sa.table('organisation_sort_keys', sa.column('organisation_id', sa.Integer),
                        sa.column('locale', sa.String), sa.column('key', sa.String))
    present = {(row.organisation_id, row.locale)
               for row in conn.execute(sa.select(org_keys.c.organisation_id, org_keys.c.locale))}
    rows = [{"organisation_id": row.id, "locale": locale, "key": _sort_key(row.name, locale)}
            for row in conn.execute(sa.select(organisations.c.id, organisations.c.name))
            for locale in locales if (row.id, locale) not in present]
    _insert(conn, org_keys, rows)


def downgrade():
    # Back to "a row only where the alphabet differs from the neutral order" for organisations.
    conn = op.get_bind()
    organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('sort_name', sa.String))
    org_keys = sa.table('organisation_sort_keys', sa.column('organisation_id', sa.Integer),
                        sa.column('key', sa.String))
    conn.execute(org_keys.delete().where(org_keys.c.key == sa.select(organisations.c.sort_name)
                                         .where(organisations.c.id == org_keys.c.organisation_id)
                                         .scalar_subquery()))
    op.drop_index(op.f('ix_project_sort_keys_locale_key_project_id'), table_name='project_sort_keys')
    op.drop_table('project_sort_keys')
