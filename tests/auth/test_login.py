"""Signing in and out: one login per municipality, generic failures, server-side revocation."""
from __future__ import annotations

from tests.fixtures.core import login, text_of


def test_sign_in_lands_on_dashboard_in_the_municipality_language(client, make_user):
    account = make_user("hiddenhausen", "staff")
    response = login(client, account)
    assert response.status_code == 302
    assert response.headers["Location"] == "/hiddenhausen/"
    page = client.get("/hiddenhausen/")
    assert page.status_code == 200
    assert '<html lang="de">' in page.get_data(as_text=True)
    assert "Übersicht" in text_of(page)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, make_user):
    account = make_user("kungalv", "staff")
    wrong = client.post("/kungalv/login?lang=de", data={"email": account.email, "password": "not it at all"})
    unknown = client.post("/kungalv/login", data={"email": "nobody@kungalv.example", "password": "whatever1234"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Die E-Mail-Adresse oder das Passwort ist nicht korrekt." in text_of(wrong)
    assert "Die E-Mail-Adresse oder das Passwort ist nicht korrekt." in text_of(unknown)
    assert client.get("/kungalv/").status_code == 302  # still signed out


def test_an_account_of_kungalv_cannot_sign_in_on_perano(client, make_user):
    account = make_user("kungalv", "admin")
    response = client.post("/perano/login", data={"email": account.email, "password": account.password})
    assert response.status_code == 200
    assert client.get("/perano/").status_code == 302


def test_a_kungalv_session_is_anonymous_on_every_perano_page(client, login_as):
    login_as("kungalv", "admin", "coordinator")
    assert client.get("/kungalv/").status_code == 200
    for path in ("/perano/", "/perano/account", "/perano/admin/users"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/perano/login")


def test_the_same_email_is_two_separate_accounts_in_two_municipalities(client, make_user):
    a = make_user("kungalv", "staff", email="anna@example.org")
    b = make_user("perano", "staff", email="anna@example.org")
    assert a.id != b.id
    assert login(client, a).headers["Location"] == "/kungalv/"
    assert client.get("/perano/").status_code == 302


def test_logout_is_a_post_and_a_replayed_cookie_is_refused(app, client, make_user):
    account = make_user("perano", "staff")
    login(client, account)
    stolen = client.get_cookie("exchange_session").value
    assert client.get("/perano/logout").status_code == 405
    response = client.post("/perano/logout")
    assert response.status_code == 302
    assert client.get("/perano/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("exchange_session", stolen)
    assert replay.get("/perano/").status_code == 302


def test_password_change_signs_out_other_browsers_but_not_this_one(app, client, make_user):
    account = make_user("hiddenhausen", "staff")
    other = app.test_client()
    login(other, account)
    login(client, account)
    response = client.post("/hiddenhausen/account/password", data={
        "current_password": account.password, "new_password": "a much better secret",
        "confirm_password": "a much better secret"})
    assert response.status_code == 302
    assert client.get("/hiddenhausen/").status_code == 200
    assert other.get("/hiddenhausen/").status_code == 302
    fresh = app.test_client()
    assert login(fresh, account).status_code == 200  # the old password no longer works
    assert login(fresh, account, "a much better secret").status_code == 302


def test_wrong_current_password_is_refused_with_a_translated_error(client, login_as):
    login_as("kungalv", "staff")
    response = client.post("/kungalv/account/password", data={
        "current_password": "not my password", "new_password": "another secret 1",
        "confirm_password": "another secret 1"})
    assert response.status_code == 422
    assert "Det nuvarande lösenordet är inte korrekt." in text_of(response)


def test_next_redirects_only_to_local_paths(client, make_user):
    account = make_user("kungalv", "staff")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(f"/kungalv/login?next={evil}", data={"email": account.email,
                                                                    "password": account.password})
        assert response.headers["Location"] == "/kungalv/", evil
        client.post("/kungalv/logout")
    response = client.post("/kungalv/login?next=/kungalv/account",
                           data={"email": account.email, "password": account.password})
    assert response.headers["Location"] == "/kungalv/account"


def test_deactivated_account_is_signed_out_and_cannot_sign_in(app, client, make_user, in_scope):
    from exchange.auth.models import User
    from exchange.auth.services import set_active
    admin = make_user("perano", "admin")
    staff = make_user("perano", "staff")
    login(client, staff)
    assert client.get("/perano/").status_code == 200
    with in_scope("perano") as session:
        set_active(session.get(User, staff.id), False, session.get(User, admin.id))
        session.commit()
    assert client.get("/perano/").status_code == 302
    assert login(app.test_client(), staff).status_code == 200


def test_a_session_expires_on_the_server_after_its_lifetime(app, client, make_user, in_scope):
    import datetime as dt

    from exchange.auth.models import LoginSession
    account = make_user("kungalv", "staff")
    login(client, account)
    assert client.get("/kungalv/").status_code == 200
    with in_scope("kungalv") as session:
        from sqlalchemy import select
        row = session.scalars(select(LoginSession)).one()
        row.created_at = row.created_at - dt.timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"] + 60)
        session.commit()
    assert client.get("/kungalv/").status_code == 302
