"""The migration that moves the small texts of projects, visits and organisations into the shared content
mechanism keeps every existing text as its original, in the language it was written in, on SQLite and
PostgreSQL, and gives them back on downgrade."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from exchange import create_app
from tests.fixtures.core import make_test_config
from tests.test_migrations import MIGRATIONS, _fresh_postgresql_database

BEFORE = "b4cd74bf8bb5"
NOW = "'2026-01-01 10:00:00'"

ROWS = [
    "INSERT INTO municipalities (id, slug, name, country, default_locale, currency, timezone) VALUES "
    "(1, 'kungalv', 'Kungälv', 'SE', 'sv', 'SEK', 'Europe/Stockholm'), "
    "(2, 'perano', 'Perano', 'IT', 'it', 'EUR', 'Europe/Rome')",
    f"INSERT INTO projects (id, lead_municipality_id, status, updated_at) VALUES (1, 1, 'active', {NOW})",
    "INSERT INTO project_milestones (id, project_id, title, locale, due_date, done) "
    "VALUES (1, 1, 'Förstudie klar', 'sv', '2026-03-01', false)",
    "INSERT INTO project_funding_lines (id, project_id, municipality_id, source, amount, currency, note, note_locale) "
    "VALUES (1, 1, 1, 'municipal', 100, 'SEK', 'Egen budget', 'sv'), "
    "(2, 1, 2, 'municipal', 50, 'EUR', 'Fondi propri', NULL), (3, 1, 1, 'eu_leader', 10, 'SEK', '', NULL)",
    "INSERT INTO project_contacts (id, project_id, municipality_id, name, role, email, phone) "
    "VALUES (1, 1, 2, 'Anna Rossi', 'Referente', '', '')",
    "INSERT INTO project_comments (id, project_id, author_name, author_municipality_id, locale, body) "
    "VALUES (1, 1, 'Anna', 2, 'it', 'Ottima idea')",
    "INSERT INTO project_participations (id, project_id, municipality_id, status, message, message_locale) "
    "VALUES (1, 1, 2, 'requested', 'Vorremmo partecipare', 'it')",
    "INSERT INTO project_sustainability (project_id, dimension, rationale, locale) "
    "VALUES (1, 'social', 'Fler möten', 'sv')",
    f"INSERT INTO visits (id, recorded_by_municipality_id, host_municipality_id, start_date, end_date, timezone, "
    f"status, updated_at) VALUES (1, 2, 2, '2026-05-01', '2026-05-02', 'Europe/Rome', 'planned', {NOW})",
    "INSERT INTO visit_municipalities (visit_id, municipality_id) VALUES (1, 1)",
    "INSERT INTO visit_agenda_items (id, visit_id, day, title, location, lang) "
    "VALUES (1, 1, '2026-05-01', 'Benvenuto', 'Municipio', 'it')",
    "INSERT INTO visit_participants (id, visit_id, municipality_id, name, organisation, role) "
    "VALUES (1, 1, 1, 'Åsa', 'Kommunledningskontoret', '')",
    "INSERT INTO visit_follow_ups (id, visit_id, action, owner, owner_key, status, lang) "
    "VALUES (1, 1, 'Inviare il rapporto', '', '', 'open', 'it')",
    f"INSERT INTO organisations (id, municipality_id, name, sort_name, type, website, active, last_confirmed_on, "
    f"updated_at) VALUES (1, 1, 'Föreningen', 'foreningen', 'association', '', true, '2026-01-01', {NOW})",
    "INSERT INTO organisation_contacts (id, organisation_id, name, role, email, phone) "
    "VALUES (1, 1, 'Bo', 'Ordförande', '', '')",
]

EXPECTED = {
    ("project_milestone_texts", "milestone_id"): [(1, "title", "sv", "Förstudie klar")],
    ("project_funding_line_texts", "line_id"): [(1, "note", "sv", "Egen budget"), (2, "note", "it", "Fondi propri")],
    ("project_contact_texts", "contact_id"): [(1, "role", "it", "Referente")],
    ("project_comment_texts", "comment_id"): [(1, "body", "it", "Ottima idea")],
    ("project_participation_texts", "participation_id"): [(1, "message", "it", "Vorremmo partecipare")],
    ("project_texts", "project_id"): [(1, "sustainability_social", "sv", "Fler möten")],
    ("visit_agenda_item_texts", "owner_id"): [(1, "location", "it", "Municipio"), (1, "title", "it", "Benvenuto")],
    ("visit_participant_texts", "owner_id"): [(1, "organisation", "sv", "Kommunledningskontoret")],
    ("visit_follow_up_texts", "owner_id"): [(1, "action", "it", "Inviare il rapporto")],
    ("organisation_contact_texts", "contact_id"): [(1, "role", "sv", "Ordförande")],
}


def _texts_move_and_come_back(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=BEFORE)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for statement in ROWS:
                conn.execute(sa.text(statement))
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            for (table, fk), rows in EXPECTED.items():
                found = conn.execute(sa.text(
                    f"SELECT {fk}, field, locale, text, status FROM {table} ORDER BY {fk}, field")).all()
                assert [tuple(r[:4]) for r in found] == rows, table
                assert {r[4] for r in found} == {"source"}
        downgrade(directory=MIGRATIONS, revision=BEFORE)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT title, locale FROM project_milestones")).one() == (
                "Förstudie klar", "sv")
            assert conn.execute(sa.text("SELECT note, note_locale FROM project_funding_lines ORDER BY id")).all() == [
                ("Egen budget", "sv"), ("Fondi propri", "it"), ("", None)]
            assert conn.execute(sa.text("SELECT message, message_locale FROM project_participations")).one() == (
                "Vorremmo partecipare", "it")
            assert conn.execute(sa.text("SELECT rationale, locale FROM project_sustainability")).one() == (
                "Fler möten", "sv")
            assert conn.execute(sa.text("SELECT title, location, lang FROM visit_agenda_items")).one() == (
                "Benvenuto", "Municipio", "it")
            assert conn.execute(sa.text("SELECT organisation, role FROM visit_participants")).one() == (
                "Kommunledningskontoret", "")
            assert conn.execute(sa.text("SELECT role FROM organisation_contacts")).scalar_one() == "Ordförande"
            assert conn.execute(sa.text("SELECT body, locale FROM project_comments")).one() == ("Ottima idea", "it")
            assert conn.execute(sa.text("SELECT count(*) FROM project_texts")).scalar_one() == 0
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_texts_move_into_source_rows_and_back_on_sqlite(tmp_path):
    _texts_move_and_come_back(f"sqlite:///{tmp_path / 'texts.db'}")


def test_texts_move_into_source_rows_and_back_on_postgresql():
    with _fresh_postgresql_database() as url:
        _texts_move_and_come_back(url)


# --- visit cost notes, withdrawal reasons and partnership messages (revision a7c0e2b4d6f8) ----------

BEFORE_MORE = "f2a3b4c5d6e7"

MORE_ROWS = [
    "INSERT INTO municipalities (id, slug, name, country, default_locale, currency, timezone) VALUES "
    "(1, 'kungalv', 'Kungälv', 'SE', 'sv', 'SEK', 'Europe/Stockholm'), "
    "(2, 'perano', 'Perano', 'IT', 'it', 'EUR', 'Europe/Rome'), "
    "(3, 'hiddenhausen', 'Hiddenhausen', 'DE', 'de', 'EUR', 'Europe/Berlin')",
    f"INSERT INTO projects (id, lead_municipality_id, status, updated_at) VALUES (1, 1, 'withdrawn', {NOW})",
    # a reason with its language, one without (its actor's municipality's), one of no actor (the lead's),
    # and an event without a reason
    "INSERT INTO project_events (id, project_id, kind, to_status, reason, reason_locale, actor_municipality_id) "
    "VALUES (1, 1, 'status', 'withdrawn', 'Finanzierung fehlt', 'de', 1), "
    "(2, 1, 'status', 'withdrawn', 'Mancano i fondi', NULL, 2), "
    "(3, 1, 'status', 'withdrawn', 'Inga pengar', NULL, NULL), "
    "(4, 1, 'status', 'proposed', '', NULL, 1)",
    f"INSERT INTO visits (id, recorded_by_municipality_id, host_municipality_id, start_date, end_date, timezone, "
    f"status, updated_at) VALUES (1, 2, 2, '2026-05-01', '2026-05-02', 'Europe/Rome', 'planned', {NOW})",
    "INSERT INTO visit_municipalities (visit_id, municipality_id) VALUES (1, 1)",
    "INSERT INTO visit_costs (id, visit_id, municipality_id, category, amount, currency, note, version) "
    "VALUES (1, 1, 1, 'travel', 100, 'SEK', 'Tåg till Pescara', 1), (2, 1, 2, 'meals', 50, 'EUR', '', 1)",
    f"INSERT INTO organisations (id, municipality_id, name, sort_name, type, website, active, last_confirmed_on, "
    f"updated_at) VALUES (1, 3, 'Heimatverein', 'heimatverein', 'association', '', true, '2026-01-01', {NOW}), "
    f"(2, 2, 'Pro Loco', 'pro loco', 'association', '', true, '2026-01-01', {NOW})",
    "INSERT INTO project_partnerships (id, project_id, organisation_id, status, role, message, message_locale, "
    "requested_by_municipality_id, decision_reason, version) VALUES "
    "(1, 1, 1, 'invited', 'expert', 'Vi bjuder in er', 'sv', 1, '', 1), "
    "(2, 1, 2, 'interested', 'host', 'Vorremmo ospitare', NULL, NULL, '', 1)",
]

MORE_EXPECTED = {
    ("visit_cost_texts", "owner_id"): [(1, "note", "sv", "Tåg till Pescara")],
    ("project_event_texts", "event_id"): [(1, "reason", "de", "Finanzierung fehlt"),
                                          (2, "reason", "it", "Mancano i fondi"), (3, "reason", "sv", "Inga pengar")],
    ("project_partnership_texts", "link_id"): [(1, "message", "sv", "Vi bjuder in er"),
                                               (2, "message", "it", "Vorremmo ospitare")],
}


def _more_texts_move_and_come_back(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=BEFORE_MORE)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for statement in MORE_ROWS:
                conn.execute(sa.text(statement))
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            for (table, fk), rows in MORE_EXPECTED.items():
                found = conn.execute(sa.text(
                    f"SELECT {fk}, field, locale, text, status, version FROM {table} ORDER BY {fk}, field")).all()
                assert [tuple(r[:4]) for r in found] == rows, table
                assert {(r[4], r[5]) for r in found} == {("source", 1)}
            columns = {table: {c["name"] for c in sa.inspect(conn).get_columns(table)}
                       for table in ("visit_costs", "project_events", "project_partnerships")}
            assert "note" not in columns["visit_costs"]
            assert not {"reason", "reason_locale"} & columns["project_events"]
            assert not {"message", "message_locale"} & columns["project_partnerships"]
            # A translation made after the upgrade goes with its table on downgrade; the original comes back.
            conn.execute(sa.text("INSERT INTO project_event_texts (event_id, field, locale, text, status, updated_at, "
                                 f"version) VALUES (1, 'reason', 'sv', 'Finansiering saknas', 'translated', {NOW}, 1)"))
        downgrade(directory=MIGRATIONS, revision=BEFORE_MORE)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT note FROM visit_costs ORDER BY id")).scalars().all() == [
                "Tåg till Pescara", ""]
            assert conn.execute(sa.text("SELECT reason, reason_locale FROM project_events ORDER BY id")).all() == [
                ("Finanzierung fehlt", "de"), ("Mancano i fondi", "it"), ("Inga pengar", "sv"), ("", None)]
            assert conn.execute(sa.text(
                "SELECT message, message_locale FROM project_partnerships ORDER BY id")).all() == [
                ("Vi bjuder in er", "sv"), ("Vorremmo ospitare", "it")]
            tables = set(sa.inspect(conn).get_table_names())
            assert not {"visit_cost_texts", "project_event_texts", "project_partnership_texts"} & tables
        # And up again: the restored columns move once more.
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM project_event_texts")).scalar_one() == 3
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_cost_notes_reasons_and_messages_move_and_back_on_sqlite(tmp_path):
    _more_texts_move_and_come_back(f"sqlite:///{tmp_path / 'more.db'}")


def test_cost_notes_reasons_and_messages_move_and_back_on_postgresql():
    with _fresh_postgresql_database() as url:
        _more_texts_move_and_come_back(url)


# --- partnership decision reasons (revision b8d1f3a5c7e9) ------------------------------------------

BEFORE_DECISION = "f2a7c4e9d1b3"

DECISION_ROWS = MORE_ROWS[:2] + [
    f"INSERT INTO projects (id, lead_municipality_id, status, updated_at) VALUES (2, 1, 'active', {NOW})",
    f"INSERT INTO organisations (id, municipality_id, name, sort_name, type, website, active, last_confirmed_on, "
    f"updated_at) VALUES (1, 3, 'Heimatverein', 'heimatverein', 'association', '', true, '2026-01-01', {NOW}), "
    f"(2, 2, 'Pro Loco', 'pro loco', 'association', '', true, '2026-01-01', {NOW}), "
    f"(3, 2, 'Frantoio', 'frantoio', 'business', '', true, '2026-01-01', {NOW})",
    # an invitation declined without a stored language (the organisation's municipality answered: German),
    # an interest declined without one (the lead answered: Swedish), one with its language, one without a
    # reason
    "INSERT INTO project_partnerships (id, project_id, organisation_id, status, role, "
    "requested_by_municipality_id, decision_reason, decision_locale, version) VALUES "
    "(1, 1, 1, 'declined', 'expert', 1, 'Keine Zeit in diesem Jahr', NULL, 1), "
    "(2, 1, 2, 'declined', 'host', 2, 'Passar inte projektet', NULL, 1), "
    "(3, 1, 3, 'accepted', 'associate', 1, 'Volentieri', 'it', 1), "
    "(4, 2, 1, 'accepted', 'expert', NULL, '', NULL, 1)",
    "INSERT INTO project_partnership_texts (link_id, field, locale, text, status, updated_at, version) "
    f"VALUES (1, 'message', 'sv', 'Vi bjuder in er', 'source', {NOW}, 1)",
]


def _decision_reasons_move_and_come_back(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=BEFORE_DECISION)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for statement in DECISION_ROWS:
                conn.execute(sa.text(statement))
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            found = conn.execute(sa.text("SELECT link_id, field, locale, text, status, version "
                                         "FROM project_partnership_texts ORDER BY link_id, field")).all()
            assert [tuple(r) for r in found] == [
                (1, "decision_reason", "de", "Keine Zeit in diesem Jahr", "source", 1),
                (1, "message", "sv", "Vi bjuder in er", "source", 1),
                (2, "decision_reason", "sv", "Passar inte projektet", "source", 1),
                (3, "decision_reason", "it", "Volentieri", "source", 1)]
            columns = {c["name"] for c in sa.inspect(conn).get_columns("project_partnerships")}
            assert not {"decision_reason", "decision_locale"} & columns
            # A translation made after the upgrade is lost on downgrade; the original comes back.
            conn.execute(sa.text("INSERT INTO project_partnership_texts (link_id, field, locale, text, status, "
                                 f"updated_at, version) VALUES (1, 'decision_reason', 'sv', 'Ingen tid i år', "
                                 f"'translated', {NOW}, 1)"))
        downgrade(directory=MIGRATIONS, revision=BEFORE_DECISION)
        with engine.begin() as conn:
            assert conn.execute(sa.text(
                "SELECT decision_reason, decision_locale FROM project_partnerships ORDER BY id")).all() == [
                ("Keine Zeit in diesem Jahr", "de"), ("Passar inte projektet", "sv"), ("Volentieri", "it"),
                ("", None)]
            # The message stays where it is; the reasons' rows are gone.
            assert conn.execute(sa.text("SELECT link_id, field, text FROM project_partnership_texts")).all() == [
                (1, "message", "Vi bjuder in er")]
            # A new link without a reason can be written (the column is required, as before).
            conn.execute(sa.text("INSERT INTO project_partnerships (id, project_id, organisation_id, status, role, "
                                 "decision_reason, version) VALUES (5, 2, 2, 'invited', 'host', '', 1)"))
        # And up again: the restored reasons move once more.
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM project_partnership_texts "
                                        "WHERE field = 'decision_reason'")).scalar_one() == 3
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_decision_reasons_move_and_back_on_sqlite(tmp_path):
    _decision_reasons_move_and_come_back(f"sqlite:///{tmp_path / 'decisions.db'}")


def test_decision_reasons_move_and_back_on_postgresql():
    with _fresh_postgresql_database() as url:
        _decision_reasons_move_and_come_back(url)
