"""The second factor (issue 11): TOTP with recovery codes, required for admins and optional for everyone,
in every language; and "My sign-ins" with revoke."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import update

from tests.fixtures.core import login, text_of


def _fresh(app, in_scope, account):
    from exchange.auth.models import User
    with in_scope(account.slug) as session:
        session.execute(update(User).where(User.id == account.id).values(totp_last_step=None))
        session.commit()


def test_an_admin_without_a_second_factor_can_only_set_it_up(app, client, make_user):
    admin = make_user("hiddenhausen", "admin", second_factor=False)
    response = client.post("/hiddenhausen/login", data={"email": admin.email, "password": admin.password})
    assert response.status_code == 302 and response.location.endswith("/hiddenhausen/account/two-factor")
    # Every other page leads back to the enrolment until it is done.
    assert client.get("/hiddenhausen/admin/users").location.endswith("/hiddenhausen/account/two-factor")
    page = client.get("/hiddenhausen/account/two-factor")
    assert "Zweiter Faktor" in text_of(page)
    client.post("/hiddenhausen/account/two-factor/start")
    setup = client.get("/hiddenhausen/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)
    assert 'src="data:image/svg+xml' in setup  # the QR code, as an image (no inline SVG under the CSP)
    wrong = client.post("/hiddenhausen/account/two-factor/confirm", data={"code": "000000"})
    assert wrong.status_code == 422 and "nicht korrekt" in text_of(wrong)
    done = client.post("/hiddenhausen/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10
    assert client.get("/hiddenhausen/admin/users").status_code == 200


def test_sign_in_asks_for_the_code_and_a_recovery_code_works_once(app, client, make_user, in_scope):
    admin = make_user("perano", "admin")
    first = client.post("/perano/login", data={"email": admin.email, "password": admin.password})
    assert first.location.endswith("/perano/login/second-factor")
    assert client.get("/perano/").status_code == 302  # not signed in yet
    step = client.get("/perano/login/second-factor")
    assert "Secondo fattore" in text_of(step)
    bad = client.post("/perano/login/second-factor", data={"code": "123456"})
    assert bad.status_code == 422 and "non è corretto" in text_of(bad)
    _fresh(app, in_scope, admin)  # the enrolment used this step's code; the next step's code is new
    code = admin.code()
    assert client.post("/perano/login/second-factor", data={"code": code}).status_code == 302
    assert client.get("/perano/").status_code == 200
    # The same code cannot be used again (a replayed code: the very string, even if the clock has moved on
    # to the next 30-second step meanwhile on a slow machine).
    other = app.test_client()
    other.post("/perano/login", data={"email": admin.email, "password": admin.password})
    assert other.post("/perano/login/second-factor", data={"code": code}).status_code == 422
    # Recovery codes: renew (with a current code), then one signs in once.
    _fresh(app, in_scope, admin)
    renewed = client.post("/perano/account/two-factor/recovery-codes", data={"code": admin.code()})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", renewed.get_data(as_text=True))
    assert len(codes) == 10
    third = app.test_client()
    third.post("/perano/login", data={"email": admin.email, "password": admin.password})
    assert third.post("/perano/login/second-factor", data={"code": codes[0]}).status_code == 302
    fourth = app.test_client()
    fourth.post("/perano/login", data={"email": admin.email, "password": admin.password})
    assert fourth.post("/perano/login/second-factor", data={"code": codes[0]}).status_code == 422


def test_the_code_step_expires_and_belongs_to_its_municipality(app, client, make_user, in_scope):
    admin = make_user("kungalv", "admin")
    _fresh(app, in_scope, admin)
    client.post("/kungalv/login", data={"email": admin.email, "password": admin.password})
    # The half-signed-in state does not carry over to another municipality's page (it is dropped).
    assert client.get("/perano/login/second-factor").location.endswith("/perano/login")
    client.post("/kungalv/login", data={"email": admin.email, "password": admin.password})
    with client.session_transaction() as session:
        session["pending_2fa"] = {**session["pending_2fa"], "at": session["pending_2fa"]["at"] - 3600}
    assert client.post("/kungalv/login/second-factor", data={"code": admin.code()}).status_code == 302
    assert client.get("/kungalv/").status_code == 302  # expired: sign in again


def test_staff_may_turn_it_on_and_off_admins_may_not_turn_it_off(app, client, make_user, in_scope):
    staff = make_user("kungalv", "staff", second_factor=True)
    assert login(client, staff).status_code == 302
    _fresh(app, in_scope, staff)
    assert client.post("/kungalv/account/two-factor/off", data={"code": staff.code()}).status_code == 302
    assert re.search(r"Andra faktorn\s*:\s*av", text_of(client.get("/kungalv/account")))
    admin = make_user("kungalv", "admin")
    admin_client = app.test_client()
    login(admin_client, admin)
    _fresh(app, in_scope, admin)
    refused = admin_client.post("/kungalv/account/two-factor/off", data={"code": admin.code()})
    assert refused.status_code in (302, 422)
    from exchange.auth.models import User
    with in_scope("kungalv") as session:
        assert session.get(User, admin.id).has_second_factor


def test_an_admin_resets_a_colleagues_second_factor_in_their_own_municipality_only(app, client, make_user, in_scope):
    from exchange.auth.models import User
    colleague = make_user("perano", "coordinator", second_factor=True)
    stranger = make_user("kungalv", "staff", second_factor=True)
    login(client, make_user("perano", "admin"))
    assert client.post(f"/perano/admin/users/{stranger.id}/two-factor/reset").status_code == 404
    assert client.post(f"/perano/admin/users/{colleague.id}/two-factor/reset").status_code == 302
    with in_scope("perano") as session:
        assert not session.get(User, colleague.id).has_second_factor
    staff_client = app.test_client()
    login(staff_client, make_user("perano", "staff"))
    assert staff_client.post(f"/perano/admin/users/{colleague.id}/two-factor/reset").status_code == 403


def test_my_sign_ins_lists_sessions_and_signs_one_out(app, make_user, in_scope):
    account = make_user("hiddenhausen", "staff")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, account)
    phone.environ_base = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36",
                          "REMOTE_ADDR": "192.0.2.44"}
    login(phone, account)
    page = laptop.get("/hiddenhausen/account/sessions")
    text = text_of(page)
    assert "Meine Anmeldungen" in text and "Chrome · Android" in text and "192.0.2.44" in text
    session_ids = re.findall(r"/hiddenhausen/account/sessions/(\d+)/revoke", page.get_data(as_text=True))
    assert len(session_ids) == 1  # the other one; this browser has no button
    assert laptop.post(f"/hiddenhausen/account/sessions/{session_ids[0]}/revoke").status_code == 302
    assert phone.get("/hiddenhausen/").status_code == 302  # the phone is signed out
    assert laptop.get("/hiddenhausen/").status_code == 200
    # A colleague cannot sign out someone else's session by its id.
    from sqlalchemy import select
    from exchange.auth.models import LoginSession
    with in_scope("hiddenhausen") as session:
        laptop_session = session.scalar(select(LoginSession.id).where(LoginSession.user_id == account.id))
    other_client = app.test_client()
    login(other_client, make_user("hiddenhausen", "staff"))
    assert other_client.post(f"/hiddenhausen/account/sessions/{laptop_session}/revoke").status_code == 422
    assert laptop.get("/hiddenhausen/").status_code == 200
