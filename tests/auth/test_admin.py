"""A municipality's admin manages its own accounts, and only those."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.fixtures.core import login, text_of


def _invitation_link(app) -> str:
    message = app.extensions["exchange_outbox"][-1]
    # The link is built from the configured public URL, never from the request's Host header.
    return re.search(r"https://exchange\.test(/\S+)", message.get_content()).group(1)


def test_staff_cannot_reach_user_administration(client, login_as, make_user):
    login_as("kungalv", "staff", "coordinator", "translator")
    colleague = make_user("kungalv", "staff")
    assert client.get("/kungalv/admin/users").status_code == 403
    assert client.get("/kungalv/admin/users/invite").status_code == 403
    assert client.post(f"/kungalv/admin/users/{colleague.id}", data={"roles": ["admin"]}).status_code == 403
    assert client.get("/kungalv/admin/audit").status_code == 403


def test_admin_lists_only_own_municipality(client, login_as, make_user):
    login_as("hiddenhausen", "admin", name="Heike Admin")
    make_user("hiddenhausen", "staff", name="Hans Mitarbeiter")
    make_user("perano", "staff", name="Paola Straniera")
    page = text_of(client.get("/hiddenhausen/admin/users"))
    assert "Hans Mitarbeiter" in page and "Heike Admin" in page
    assert "Paola Straniera" not in page


def test_invitation_sets_a_password_once_and_the_person_can_sign_in(app, client, login_as):
    login_as("perano", "admin")
    response = client.post("/perano/admin/users/invite",
                           data={"name": "Rosa Bianchi", "email": "Rosa@Perano.example", "roles": ["coordinator"]})
    assert response.status_code == 302
    message = app.extensions["exchange_outbox"][-1]
    assert message["To"] == "rosa@perano.example"
    assert "Twin-Town Exchange" in message["Subject"]
    link = _invitation_link(app)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    bad = visitor.post(link, data={"new_password": "short", "confirm_password": "short"})
    assert bad.status_code == 422 and "10" in text_of(bad)
    assert visitor.post(link, data={"new_password": "rosa's new secret",
                                    "confirm_password": "rosa's new secret"}).status_code == 302
    assert visitor.get(link).status_code == 404  # one-time
    assert visitor.post("/perano/login", data={"email": "rosa@perano.example",
                                               "password": "rosa's new secret"}).status_code == 302
    assert "Rosa Bianchi" in text_of(visitor.get("/perano/"))


def test_invite_with_bad_input_saves_nothing(app, client, login_as, in_scope):
    from exchange.auth.models import User
    login_as("kungalv", "admin")
    cases = [
        {"name": "", "email": "a@example.org", "roles": ["staff"]},
        {"name": "x" * 121, "email": "b@example.org", "roles": ["staff"]},
        {"name": "Nul\x00byte", "email": "c@example.org", "roles": ["staff"]},
        {"name": "Ok", "email": "not-an-email", "roles": ["staff"]},
        {"name": "Ok", "email": "d@example.org"},
        {"name": "Ok", "email": "e@example.org", "roles": ["emperor"]},
    ]
    for data in cases:
        response = client.post("/kungalv/admin/users/invite", data=data)
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in response.get_data(as_text=True) or "error" in response.get_data(as_text=True)
    with in_scope("kungalv") as session:
        assert len(session.scalars(select(User)).all()) == 1


def test_invite_an_existing_email_is_a_translated_field_error(client, login_as, make_user):
    login_as("kungalv", "admin")
    make_user("kungalv", "staff", email="taken@kungalv.example")
    response = client.post("/kungalv/admin/users/invite",
                           data={"name": "Again", "email": "taken@kungalv.example", "roles": ["staff"]})
    assert response.status_code == 422
    assert "Det finns redan ett konto med den här e-postadressen" in text_of(response)


def test_admin_changes_roles_and_cannot_drop_own_admin(client, login_as, make_user, in_scope):
    from exchange.auth.models import Role, User
    admin = login_as("kungalv", "admin")
    staff = make_user("kungalv", "staff")
    assert client.post(f"/kungalv/admin/users/{staff.id}",
                       data={"roles": ["staff", "coordinator"]}).status_code == 302
    assert client.post(f"/kungalv/admin/users/{admin.id}", data={"roles": ["staff"]}).status_code == 422
    with in_scope("kungalv") as session:
        assert session.get(User, staff.id).roles == {Role.STAFF, Role.COORDINATOR}
        assert Role.ADMIN in session.get(User, admin.id).roles


def test_deactivation_asks_for_confirmation_then_signs_the_person_out(app, client, login_as, make_user):
    login_as("hiddenhausen", "admin")
    staff = make_user("hiddenhausen", "staff", name="Petra Weg")
    theirs = app.test_client()
    login(theirs, staff)
    confirm = client.get(f"/hiddenhausen/admin/users/{staff.id}/deactivate")
    assert confirm.status_code == 200 and "Petra Weg" in text_of(confirm)
    assert theirs.get("/hiddenhausen/").status_code == 200  # nothing happened on GET
    assert client.post(f"/hiddenhausen/admin/users/{staff.id}/deactivate").status_code == 302
    assert theirs.get("/hiddenhausen/").status_code == 302
    assert client.post(f"/hiddenhausen/admin/users/{staff.id}/reactivate").status_code == 302
    assert login(app.test_client(), staff).status_code == 302


def test_admin_actions_are_in_the_audit_log(client, login_as, make_user):
    login_as("perano", "admin")
    staff = make_user("perano", "staff")
    client.post(f"/perano/admin/users/{staff.id}", data={"roles": ["translator"]})
    page = text_of(client.get("/perano/admin/audit"))
    # A sentence in Perano's language naming the person, not a code.
    assert f"ha modificato i ruoli di {staff.name}" in page and "user.roles" not in page


def test_preferred_language_is_used_after_sign_in(client, login_as):
    login_as("kungalv", "staff")
    assert client.post("/kungalv/account/preferences", data={"preferred_locale": "it"}).status_code == 302
    assert '<html lang="it">' in client.get("/kungalv/").get_data(as_text=True)
    assert client.post("/kungalv/account/preferences", data={"preferred_locale": "xx"}).status_code == 422


def test_roles_saved_from_a_page_shown_before_another_admin_changed_them_are_a_409(sign_in, make_user, in_scope,
                                                                                   says, tr):
    """Accounts carry no version column (every sign-in writes to the row), so the roles form carries the
    roles it was opened with: a save from a page shown before another admin's change is a conflict."""
    from exchange.auth.models import Role, User
    from tests.fixtures.forms import submitted
    staff = make_user("kungalv", "staff")
    url = f"/kungalv/admin/users/{staff.id}"
    first, second = sign_in("kungalv", "admin"), sign_in("kungalv", "admin")
    opened = [submitted(c.get(url).get_data(as_text=True), "") for c in (first, second)]
    assert opened[0]["opened_roles"] == ["staff"]
    assert first.post(url, data={**opened[0], "roles": ["staff", "coordinator"]}).status_code == 302
    # The person signs in meanwhile: that alone is no conflict for anyone.
    assert login(first.application.test_client(), staff).status_code == 302
    stale = second.post(url, data={**opened[1], "roles": ["staff", "translator"]})
    assert stale.status_code == 409
    assert says(stale, "Someone else saved this in the meantime, so your changes have not been saved. Your input "
                       "is kept below, beside the saved version: check it, then save again to keep your changes.")
    with in_scope("kungalv") as session:
        assert session.get(User, staff.id).roles == {Role.STAFF, Role.COORDINATOR}
    rows = dict((label, (yours, saved)) for label, yours, saved in re.findall(
        r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>', stale.get_data(as_text=True)))
    yours, saved = rows[tr("sv", "Roles")]
    assert tr("sv", "Translator") in yours and tr("sv", "Coordinator") in saved
    again = submitted(stale.get_data(as_text=True), "")
    assert sorted(again["roles"]) == ["staff", "translator"] and again["opened_roles"] == ["coordinator,staff"]
    assert second.post(url, data=again).status_code == 302
    with in_scope("kungalv") as session:
        assert session.get(User, staff.id).roles == {Role.STAFF, Role.TRANSLATOR}
