"""partnership decision reasons through the shared content mechanism (issue 13)

The reason given with the answer to an organisation's interest or invitation (read by the other
municipality) becomes the field ``decision_reason`` of ``project_partnership_texts``, beside the message:
every existing reason becomes the *source* row in the language it was stored with (``decision_locale``)
or, where none was stored, the default language of the deciding municipality (the organisation's
municipality for an invitation, the project's lead for an interest: the other side of the requester),
then the two columns are dropped. The downgrade moves the originals back (translations are lost).

Plain ALTER TABLE only, never SQLite's batch mode: rebuilding ``project_partnerships`` copies and drops
it, and dropping it deletes (cascades) the rows of its text table.

Revision ID: b8d1f3a5c7e9
Revises: f2a7c4e9d1b3
Create Date: 2026-11-29 16:00:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d1f3a5c7e9'
down_revision = 'f2a7c4e9d1b3'
branch_labels = None
depends_on = None


def _default_locale(municipality_id_sql: str) -> str:
    return f"(SELECT m.default_locale FROM municipalities m WHERE m.id = {municipality_id_sql})"


ORGANISATION_MUNICIPALITY = "(SELECT g.municipality_id FROM organisations g WHERE g.id = o.organisation_id)"
LEAD_MUNICIPALITY = "(SELECT p.lead_municipality_id FROM projects p WHERE p.id = o.project_id)"
# Who decided: the organisation's municipality answers an invitation, the lead an interest. The status
# says only accepted or declined, so the requester tells the round: whoever did not ask answered.
DECIDER = (f"CASE WHEN o.requested_by_municipality_id = {LEAD_MUNICIPALITY} "
           f"THEN {ORGANISATION_MUNICIPALITY} ELSE {LEAD_MUNICIPALITY} END")
LOCALE = f"COALESCE(o.decision_locale, {_default_locale(DECIDER)}, {_default_locale(LEAD_MUNICIPALITY)})"
SOURCE = ("FROM project_partnership_texts t WHERE t.link_id = project_partnerships.id "
          "AND t.field = 'decision_reason' AND t.status = 'source'")


def upgrade():
    now = sa.bindparam('now', value=dt.datetime.now(dt.timezone.utc), type_=sa.DateTime(timezone=True))
    op.get_bind().execute(sa.text(
        "INSERT INTO project_partnership_texts (link_id, field, locale, text, status, updated_at, version) "
        f"SELECT o.id, 'decision_reason', {LOCALE}, o.decision_reason, 'source', :now, 1 "
        "FROM project_partnerships o "
        "WHERE o.decision_reason IS NOT NULL AND o.decision_reason <> ''").bindparams(now))
    op.drop_column('project_partnerships', 'decision_locale')
    op.drop_column('project_partnerships', 'decision_reason')


def downgrade():
    # SQLite adds a required column only with a default: it comes back with an empty-string default,
    # filled below, and loses it again on PostgreSQL.
    op.add_column('project_partnerships', sa.Column('decision_reason', sa.Text(), nullable=False,
                                                    server_default=''))
    op.add_column('project_partnerships', sa.Column('decision_locale', sa.String(length=10), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text(f"UPDATE project_partnerships SET decision_reason = COALESCE((SELECT t.text {SOURCE}), '')"))
    bind.execute(sa.text(f"UPDATE project_partnerships SET decision_locale = (SELECT t.locale {SOURCE}) "
                         "WHERE decision_reason <> ''"))
    if bind.dialect.name != 'sqlite':
        op.alter_column('project_partnerships', 'decision_reason', existing_type=sa.Text(),
                        existing_nullable=False, server_default=None)
    bind.execute(sa.text("DELETE FROM project_partnership_texts WHERE field = 'decision_reason'"))
