"""Security baseline (DESIGN.md §6): headers everywhere, CSRF, cookies, production secrets."""
from __future__ import annotations

import pytest

from exchange.config import ConfigError, load_config


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_headers_on_pages_and_error_pages(app, client):
    for path, status in [("/", 200), ("/kungalv/login", 200), ("/nowhere/", 404), ("/kungalv/logout", 405)]:
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)


def test_a_server_error_is_a_translated_page_with_headers(tmp_path):
    from exchange import create_app
    from tests.fixtures.core import make_test_config
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'x.db'}") | {"TESTING": False})

    @app.route("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom-for-test", headers={"Accept-Language": "de"})
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.get_data(as_text=True)
    assert_security_headers(response)


def test_pages_have_no_inline_scripts_or_styles(client, login_as):
    login_as("kungalv", "admin")
    for path in ("/", "/kungalv/", "/kungalv/account", "/kungalv/admin/users", "/kungalv/admin/users/invite"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path


def test_state_changing_requests_need_a_csrf_token(app, client, make_user):
    account = make_user("perano", "staff")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/perano/login", data={"email": account.email, "password": account.password})
        assert response.status_code == 400
        assert "modulo" in response.get_data(as_text=True).lower()  # the Italian expiry message
        page = client.get("/perano/login").get_data(as_text=True)
        import re
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        ok = client.post("/perano/login", data={"email": account.email, "password": account.password,
                                                "csrf_token": token})
        assert ok.status_code == 302
        assert client.post("/perano/logout").status_code == 400  # logout is protected too
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_session_cookie_flags(client, make_user):
    account = make_user("kungalv", "staff")
    response = client.post("/kungalv/login", data={"email": account.email, "password": account.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.delenv("EXCHANGE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config()
    monkeypatch.setenv("EXCHANGE_SECRET_KEY", "s" * 40)
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True and config["HSTS"] is True


def test_passwords_are_hashed_with_argon2id(app, make_user, in_scope):
    from exchange.auth.models import User
    account = make_user("kungalv", "staff")
    with in_scope("kungalv") as session:
        assert session.get(User, account.id).password_hash.startswith("$argon2id$")
