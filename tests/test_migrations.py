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
