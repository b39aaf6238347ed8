"""the translators' queue's order on every content text table (issue 12)

Revision ID: a7c3e5f1b9d2
Revises: b8d1f3a5c7e9
Create Date: 2026-11-29 18:20:00

The queue reads every text table in one statement, each branch walking its source texts oldest first and
stopping at a limit (exchange.workbench.queue): c1d2e3f4a5b6 gave the four big tables the (status,
updated_at, id) index that order reads; the other text tables (comments, milestones, contacts, visits'
programmes…) get it here, so none of them is read whole and sorted on each dashboard view when it grows.
"""
from alembic import op


revision = 'a7c3e5f1b9d2'
down_revision = 'b8d1f3a5c7e9'
branch_labels = None
depends_on = None

# Every content text table but project_texts, project_participation_texts, organisation_texts and
# visit_texts (indexed by c1d2e3f4a5b6); exchange.i18n.models gives create_all the same index.
TABLES = ["funding_call_texts", "cooperation_texts", "organisation_contact_texts", "project_comment_texts",
          "project_contact_texts", "project_event_texts", "project_funding_line_texts", "project_milestone_texts",
          "project_partnership_texts", "visit_agenda_item_texts", "visit_cost_texts", "visit_follow_up_texts",
          "visit_participant_texts"]


def upgrade():
    # Plain CREATE INDEX, not batch mode: a batch rebuild on SQLite would recreate the tables.
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_status_updated_at_id"), table, ["status", "updated_at", "id"])


def downgrade():
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_status_updated_at_id"), table_name=table)
