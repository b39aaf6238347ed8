"""GET /healthz reports the database, the schema against the migrations, Redis and the catalogs; the
pages answer a static, translated 503 with the security headers when the database is down."""
from __future__ import annotations

from exchange import create_app
from tests.fixtures.core import make_test_config
from tests.test_security import assert_security_headers


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    # The test schema is made by create_all (no migration record); no Redis is configured.
    assert body == {"status": "ok", "database": "ok", "migrations": "unknown", "redis": "not configured",
                    "catalogs": {"sv": "files", "de": "files", "it": "files"}}


def test_healthz_says_when_the_live_catalogs_need_a_sync(synced, client):
    assert client.get("/healthz").get_json()["catalogs"] == {"sv": "synced", "de": "synced", "it": "synced"}


def _down_app(**extra):
    return create_app(make_test_config("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1") | extra)


def test_healthz_503_when_the_database_is_unreachable():
    response = _down_app().test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_healthz_503_when_configured_redis_is_down(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = app.test_client().get("/healthz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 503 and response.get_json()["redis"] == "unavailable"


def test_pages_answer_a_static_translated_503_when_the_database_is_down():
    client = _down_app(TESTING=False).test_client()
    for path, lang, words in [("/perano/login", "it", "temporaneamente non disponibile"),
                              ("/kungalv/projects/", "sv", "tillfälligt otillgänglig"),
                              ("/hiddenhausen/?lang=de", "de", "vorübergehend nicht verfügbar")]:
        response = client.get(path, headers={"Accept-Language": lang})
        assert response.status_code == 503, path
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html and words in html, (path, html[:400])
        assert response.headers["Retry-After"] == "60" and response.headers["X-Request-ID"] in html
        assert_security_headers(response)
