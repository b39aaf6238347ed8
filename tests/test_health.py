"""GET /healthz reports the database status."""
from __future__ import annotations

from exchange import create_app
from tests.fixtures.core import make_test_config


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(make_test_config("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
