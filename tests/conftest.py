"""Shared fixtures. The suite runs on SQLite; when EXCHANGE_TEST_DATABASE_URL points at PostgreSQL
every database-backed test runs there too (the ``app`` fixture is parametrised by backend).

Tests never hold an app context while they use the test client: Flask would reuse it for the request
and leak ``g`` (the municipality scope) between requests. Use ``in_scope(slug)`` for database work.
"""
from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from html import unescape

import pytest
import sqlalchemy as sa

from exchange import create_app
from exchange.extensions import db, limiter

PG_URL = os.environ.get("EXCHANGE_TEST_DATABASE_URL")
REQUIRE_PG = os.environ.get("EXCHANGE_REQUIRE_POSTGRES") == "1"
PASSWORD = "correct horse battery"
TOWNS = [
    ("kungalv", "Kungälv", "SE", "sv", "SEK", "Europe/Stockholm"),
    ("hiddenhausen", "Hiddenhausen", "DE", "de", "EUR", "Europe/Berlin"),
    ("perano", "Perano", "IT", "it", "EUR", "Europe/Rome"),
]


def postgres_unavailable_reason() -> str | None:
    """Why the PostgreSQL leg cannot run, or None when it can."""
    if not PG_URL:
        return "EXCHANGE_TEST_DATABASE_URL is not set"
    try:
        engine = sa.create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL at EXCHANGE_TEST_DATABASE_URL is unreachable: {exc.__class__.__name__}"
    return None


def make_test_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": None,
        "SERVER_NAME": None,
        # Still argon2id, with the library's cheapest parameters: production strength is for production.
        "ARGON2_PROFILE": "CHEAPEST",
    }


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    reason = postgres_unavailable_reason()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"EXCHANGE_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return PG_URL


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app(make_test_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def wipe(app) -> None:
    """Empty every table (faster than re-creating the schema, and the same on both backends)."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables)
                                     + " RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())


@pytest.fixture
def app(_app):
    """The app on an empty database with the three twin towns (rows only, no accounts)."""
    wipe(_app)
    limiter.reset()
    _app.extensions.pop("exchange_outbox", None)
    with _app.app_context():
        from exchange.municipalities.services import create_or_update
        for row in TOWNS:
            create_or_update(*row)
        db.session.commit()
    yield _app
    with _app.app_context():
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def in_scope(app):
    """``with in_scope("perano"): …`` runs database code inside one municipality's scope."""

    @contextlib.contextmanager
    def scope(slug: str):
        from exchange.municipalities.queries import by_slug
        from exchange.tenancy import municipality_scope
        with app.app_context():
            with municipality_scope(by_slug(slug)):
                yield db.session
    return scope


@dataclass
class Account:
    id: int
    slug: str
    email: str
    password: str
    name: str


@pytest.fixture
def make_user(app, in_scope):
    """Create an account: make_user("perano", "coordinator", "admin") → Account."""
    counter = iter(range(1, 10_000))

    def make(slug: str, *roles: str, email: str | None = None, name: str | None = None,
             preferred_locale: str | None = None) -> Account:
        from exchange.auth.models import Role
        from exchange.auth.services import create_user
        n = next(counter)
        email = email or f"{'-'.join(roles) or 'user'}{n}@{slug}.example"
        name = name or f"{slug.capitalize()} {'/'.join(roles)} {n}"
        with in_scope(slug) as session:
            user = create_user(email, name, {Role(r) for r in roles or ("staff",)}, password=PASSWORD,
                               preferred_locale=preferred_locale)
            session.commit()
            return Account(user.id, slug, email, PASSWORD, name)
    return make


def login(client, account: Account, password: str | None = None):
    """Sign in through the real form; returns the response (not followed)."""
    return client.post(f"/{account.slug}/login",
                       data={"email": account.email, "password": password or account.password})


@pytest.fixture
def login_as(client, make_user):
    """Create an account with these roles and sign the test client in as it."""
    def do(slug: str, *roles: str, **kwargs) -> Account:
        account = make_user(slug, *roles, **kwargs)
        response = login(client, account)
        assert response.status_code == 302, response.get_data(as_text=True)
        return account
    return do


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace collapsed (for 'the page says …' checks)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: …; counter.n`` counts SQL statements sent to the database."""

    @contextlib.contextmanager
    def counting():
        class Counter:
            n = 0
            statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            Counter.n += 1
            Counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield Counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
    return counting
