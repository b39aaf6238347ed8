"""Security baseline (DESIGN.md §6): headers everywhere, CSRF, cookies, production secrets."""
from __future__ import annotations

import pytest

from exchange.config import ConfigError, load_config
from tests.fixtures.core import text_of


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
    monkeypatch.setenv("EXCHANGE_PUBLIC_URL", "https://exchange.example.org")
    monkeypatch.delenv("EXCHANGE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config()
    monkeypatch.setenv("EXCHANGE_SECRET_KEY", "s" * 40)
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True and config["HSTS"] is True
    assert config["TRUSTED_HOSTS"] == ["exchange.example.org"]


@pytest.mark.parametrize("env, message", [
    ({"EXCHANGE_ENV": "Production"}, "EXCHANGE_ENV must be one of"),            # a typo is not "development"
    ({"EXCHANGE_SECRET_KEY": "x"}, "at least 32 bytes"),
    ({"EXCHANGE_PUBLIC_URL": ""}, "EXCHANGE_PUBLIC_URL must be set"),
    ({"EXCHANGE_PUBLIC_URL": "http://exchange.example.org"}, "must use https"),
    ({"EXCHANGE_PUBLIC_URL": "exchange.example.org"}, "http(s) URL"),
    ({"EXCHANGE_PAGE_SIZE": "many"}, "whole number"),
])
def test_unsafe_production_configuration_is_refused(monkeypatch, env, message):
    base = {"EXCHANGE_ENV": "production", "EXCHANGE_SECRET_KEY": "s" * 40,
            "EXCHANGE_PUBLIC_URL": "https://exchange.example.org"}
    for name, value in (base | env).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config()


def test_a_forged_host_is_refused_and_never_reaches_a_link(app):
    app.config["TRUSTED_HOSTS"] = ["exchange.test"]
    try:
        assert app.test_client().get("/kungalv/login", headers={"Host": "evil.example"}).status_code == 400
        assert app.test_client().get("/kungalv/login", headers={"Host": "exchange.test"}).status_code == 200
    finally:
        app.config["TRUSTED_HOSTS"] = None


def test_a_request_body_over_the_limit_is_a_translated_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/hiddenhausen/login", data={"email": "x" * 5000, "password": "y"})
        assert response.status_code == 413
        assert "Zu viele Daten" in text_of(response) or "zu groß" in text_of(response)
        assert_security_headers(response)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024


def test_every_response_has_a_request_id_and_error_pages_show_it(client):
    response = client.get("/kungalv/nowhere", headers={"X-Request-ID": "abcdef123456"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "abcdef123456"
    assert "abcdef123456" in response.get_data(as_text=True)
    generated = client.get("/", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32


def test_passwords_are_hashed_with_argon2id(app, make_user, in_scope):
    from exchange.auth.models import User
    account = make_user("kungalv", "staff")
    with in_scope("kungalv") as session:
        assert session.get(User, account.id).password_hash.startswith("$argon2id$")
