"""Migrations build the schema from empty, on SQLite and PostgreSQL, and match the models."""
from __future__ import annotations

import contextlib
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from exchange import create_app
from exchange.db import unindexed_foreign_keys
from tests.fixtures.core import PG_URL, REQUIRE_PG, make_test_config, postgres_unavailable_reason

MIGRATIONS = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "migrations")


def _upgrade_check_downgrade(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        check(directory=MIGRATIONS)  # raises when models and migrations disagree
        engine = sa.create_engine(url)
        tables = set(sa.inspect(engine).get_table_names())
        assert {"municipalities", "users", "alembic_version"} <= tables
        # Every foreign key of the migrated schema can be followed from its other side by an index
        # (issue 12: neither database indexes foreign keys by itself).
        reflected = sa.MetaData()
        reflected.reflect(engine)
        assert unindexed_foreign_keys(reflected) == []
        # ... and its primary keys list their columns in the models' order, which alembic's check does not
        # compare: a key's index serves reads by its first column (a batch of visits' links, issue 12).
        from exchange.extensions import db
        assert {name: [c.name for c in reflected.tables[name].primary_key.columns] for name in db.metadata.tables} == {
            name: [c.name for c in table.primary_key.columns] for name, table in db.metadata.tables.items()}
        # The expression index of the visits' lengths (outside the models: neither database reflects it
        # into them), which the calendar reads its look-back from.
        with engine.connect() as connection:
            indexes = set(connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'" if engine.dialect.name == "sqlite"
                else "SELECT indexname FROM pg_indexes WHERE tablename = 'visits'").scalars())
        assert "ix_visits_length_days_expr" in indexes
        engine.dispose()
        downgrade(directory=MIGRATIONS, revision="base")
        from exchange.extensions import db
        db.engine.dispose()


def test_upgrade_on_empty_sqlite(tmp_path):
    _upgrade_check_downgrade(f"sqlite:///{tmp_path / 'fresh.db'}")


@contextlib.contextmanager
def _fresh_postgresql_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards (skipped without PostgreSQL)."""
    reason = postgres_unavailable_reason()
    if reason:
        if REQUIRE_PG:
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"exchange_migr_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_on_empty_postgresql():
    with _fresh_postgresql_database() as url:
        _upgrade_check_downgrade(url)


VERSIONS = "a3c5e7f9b1d2"  # the version column on every editable row


def _existing_rows_get_version_one(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=f"{VERSIONS}-1")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO municipalities (slug, name, country, default_locale, currency, timezone) "
                                 "VALUES ('kungalv', 'Kungälv', 'SE', 'sv', 'SEK', 'Europe/Stockholm')"))
            conn.execute(sa.text("INSERT INTO visit_settings (municipality_id, retention_years) "
                                 "SELECT id, 3 FROM municipalities"))
        upgrade(directory=MIGRATIONS)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT version FROM visit_settings")).scalar_one() == 1
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_rows_existing_before_the_version_column_start_at_version_one(tmp_path):
    _existing_rows_get_version_one(f"sqlite:///{tmp_path / 'existing.db'}")


def test_rows_existing_before_the_version_column_start_at_version_one_on_postgresql():
    with _fresh_postgresql_database() as url:
        _existing_rows_get_version_one(url)


SORT_KEYS = "f3a8c61d2b97"  # per-locale sort keys of projects (the title each reader sees) and organisations


def _sort_keys_are_backfilled(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=f"{SORT_KEYS}-1")
        engine = sa.create_engine(url)
        now = "2026-01-01 00:00:00"
        with engine.begin() as conn:
            town = conn.execute(sa.text(
                "INSERT INTO municipalities (slug, name, country, default_locale, currency, timezone, version) "
                "VALUES ('kungalv', 'Kungälv', 'SE', 'sv', 'SEK', 'Europe/Stockholm', 1) RETURNING id")).scalar_one()
            project = conn.execute(sa.text(
                "INSERT INTO projects (lead_municipality_id, status, updated_at, created_at, version, public) "
                "VALUES (:town, 'proposed', :now, :now, 1, false) RETURNING id"), {"town": town, "now": now}).scalar_one()
            for locale, text, status in (("sv", "Öl", "source"), ("de", "Bier", "translated")):
                conn.execute(sa.text(
                    "INSERT INTO project_texts (project_id, field, locale, text, status, updated_at, version) "
                    "VALUES (:p, 'title', :locale, :text, :status, :now, 1)"),
                    {"p": project, "locale": locale, "text": text, "status": status, "now": now})
            org = conn.execute(sa.text(
                "INSERT INTO organisations (municipality_id, name, sort_name, type, website, active, funder, "
                "last_confirmed_on, updated_at, created_at, version) VALUES (:town, 'Åsa IF', 'asa if', "
                "'association', '', true, false, '2026-01-01', :now, :now, 1) RETURNING id"),
                {"town": town, "now": now}).scalar_one()
            # before: a row only where the alphabet differs from the neutral key
            conn.execute(sa.text("INSERT INTO organisation_sort_keys (organisation_id, locale, key) "
                                 "VALUES (:o, 'sv', 'z{0sa if')"), {"o": org})
        upgrade(directory=MIGRATIONS, revision=SORT_KEYS)
        with engine.begin() as conn:
            projects = dict(conn.execute(sa.text("SELECT locale, key FROM project_sort_keys")).all())
            organisations = dict(conn.execute(sa.text("SELECT locale, key FROM organisation_sort_keys")).all())
        # Swedish readers sort the original (ö after z), German readers their translation, Italian the original
        assert projects == {"sv": "z}2l", "de": "bier", "it": "ol"}
        assert organisations == {"sv": "z{0sa if", "de": "asa if", "it": "asa if"}
        downgrade(directory=MIGRATIONS, revision=f"{SORT_KEYS}-1")
        with engine.begin() as conn:
            assert dict(conn.execute(sa.text("SELECT locale, key FROM organisation_sort_keys")).all()) == \
                {"sv": "z{0sa if"}
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_the_sort_keys_are_backfilled(tmp_path):
    _sort_keys_are_backfilled(f"sqlite:///{tmp_path / 'keys.db'}")


def test_the_sort_keys_are_backfilled_on_postgresql():
    with _fresh_postgresql_database() as url:
        _sort_keys_are_backfilled(url)


PEOPLE_TOWN = "b8e4f2a6c0d3"  # participants per home municipality over all years, summed from the counts per year


def _people_town_is_backfilled(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=f"{PEOPLE_TOWN}-1")
        engine = sa.create_engine(url)
        rows = [("people", 1, 2024, 7, 3), ("people", 1, 2025, 7, 4), ("people", 1, 2025, 8, 1),
                ("people", 2, 2025, 7, 5), ("year", 0, 2025, 0, 9)]
        with engine.begin() as conn:
            for figure, viewer, year, a, n in rows:
                conn.execute(sa.text("INSERT INTO visit_tallies (figure, viewer_id, year, a, b, n) "
                                     "VALUES (:f, :v, :y, :a, 0, :n)"), {"f": figure, "v": viewer, "y": year, "a": a, "n": n})
        upgrade(directory=MIGRATIONS, revision=PEOPLE_TOWN)
        with engine.begin() as conn:
            totals = {(v, a): n for v, a, n in conn.execute(sa.text(
                "SELECT viewer_id, a, n FROM visit_tallies WHERE figure = 'people_town' AND year = 0"))}
        assert totals == {(1, 7): 7, (1, 8): 1, (2, 7): 5}
        downgrade(directory=MIGRATIONS, revision=f"{PEOPLE_TOWN}-1")
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM visit_tallies")).scalar() == len(rows)
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_the_people_per_home_municipality_are_backfilled(tmp_path):
    _people_town_is_backfilled(f"sqlite:///{tmp_path / 'tallies.db'}")


def test_the_people_per_home_municipality_are_backfilled_on_postgresql():
    with _fresh_postgresql_database() as url:
        _people_town_is_backfilled(url)


VISIT_NUMBERS = "b7d9f1a3c5e8"  # the number of visits each municipality hosts or visits, among the running counts


def _visit_numbers_are_backfilled(url: str) -> None:
    app = create_app(make_test_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=f"{VISIT_NUMBERS}-1")
        engine = sa.create_engine(url)
        now = "2026-01-01 00:00:00"
        with engine.begin() as conn:
            towns = [conn.execute(sa.text(
                "INSERT INTO municipalities (slug, name, country, default_locale, currency, timezone, version) "
                "VALUES (:slug, :slug, 'SE', 'sv', 'SEK', 'Europe/Stockholm', 1) RETURNING id"), {"slug": slug}
            ).scalar_one() for slug in ("kungalv", "perano", "hiddenhausen")]
            kungalv, perano, hiddenhausen = towns
            for host, visitors, status in ((kungalv, [perano], "confirmed"), (perano, [kungalv, hiddenhausen], "cancelled"),
                                           (kungalv, [], "planned")):
                visit = conn.execute(sa.text(
                    "INSERT INTO visits (recorded_by_municipality_id, host_municipality_id, start_date, end_date, "
                    "timezone, status, updated_at, created_at, version, lessons_public) "
                    "VALUES (:host, :host, '2026-02-01', '2026-02-02', 'UTC', :status, :now, :now, 1, false) "
                    "RETURNING id"), {"host": host, "status": status, "now": now}).scalar_one()
                for visitor in visitors:
                    conn.execute(sa.text("INSERT INTO visit_municipalities (visit_id, municipality_id) VALUES (:v, :m)"),
                                 {"v": visit, "m": visitor})
        # Counts never built (no stored day): nothing added, the first change or the job builds them all.
        upgrade(directory=MIGRATIONS, revision=VISIT_NUMBERS)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM visit_tallies")).scalar() == 0
        downgrade(directory=MIGRATIONS, revision=f"{VISIT_NUMBERS}-1")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO visit_tally_dates (id, as_of) VALUES (1, '2026-02-01')"))
        upgrade(directory=MIGRATIONS, revision=VISIT_NUMBERS)
        with engine.begin() as conn:
            numbers = dict(conn.execute(sa.text(
                "SELECT viewer_id, n FROM visit_tallies WHERE figure = 'visits' AND year = 0 AND a = 0 AND b = 0")).all())
        assert numbers == {kungalv: 3, perano: 2, hiddenhausen: 1}  # every visit, whatever its status
        downgrade(directory=MIGRATIONS, revision=f"{VISIT_NUMBERS}-1")
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM visit_tallies")).scalar() == 0
        downgrade(directory=MIGRATIONS, revision="base")
        engine.dispose()
        from exchange.extensions import db
        db.engine.dispose()


def test_the_visit_numbers_are_backfilled(tmp_path):
    _visit_numbers_are_backfilled(f"sqlite:///{tmp_path / 'numbers.db'}")


def test_the_visit_numbers_are_backfilled_on_postgresql():
    with _fresh_postgresql_database() as url:
        _visit_numbers_are_backfilled(url)
