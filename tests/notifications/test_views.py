"""The notification centre, the header's count, following, e-mail settings and the unsubscribe link:
happy paths, permissions (someone else's notification or another municipality's object is a 404),
bad input (a translated error, nothing saved, never a 500)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import login


def _html(response) -> str:
    return response.get_data(as_text=True)


def _request_to_join(user_of, account, project_id):
    from exchange.extensions import db
    from exchange.projects import services
    from exchange.projects.queries import get_project
    with user_of(account) as user:
        services.request_to_join(get_project(project_id), user, "Vorremmo partecipare.", "it")
        db.session.commit()


@pytest.fixture
def waiting(make_user, make_project, user_of):
    """A Kungälv coordinator (the client signs in as them) with an unread join request from Perano."""
    project_id = make_project("kungalv", status="proposed", title="Solenergi på skolorna")

    def make(client, **kwargs):
        coordinator = make_user("kungalv", "coordinator", **kwargs)
        _request_to_join(user_of, make_user("perano", "coordinator"), project_id)
        assert login(client, coordinator).status_code == 302
        return coordinator, project_id
    return make


def test_the_header_counts_unread_notifications_with_an_accessible_name(client, waiting, tr):
    waiting(client, preferred_locale="de")
    html = _html(client.get("/kungalv/"))
    link = re.search(r'<a class="notifications-link"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert tr("de", "Notifications") in link
    assert '<span class="count" aria-hidden="true">1</span>' in link  # seen as a number, not a colour
    assert tr("de", "(%(num)d unread)", "(%(num)d unread)", 1) in link  # heard as words


def test_the_centre_lists_links_and_marks_read(client, waiting, says, in_scope):
    coordinator, project_id = waiting(client)
    page = client.get("/kungalv/notifications/")
    assert page.status_code == 200
    assert says(page, "%(municipality)s asks to join the project %(project)s.", municipality="Perano",
                project="Solenergi på skolorna")
    assert f'href="/kungalv/projects/{project_id}#participation-' in _html(page)  # to its object
    assert 'class="badge badge-unread"' in _html(page)
    [item_id] = re.findall(r'/kungalv/notifications/(\d+)/read', _html(page))
    read = client.post(f"/kungalv/notifications/{item_id}/read", follow_redirects=True)
    assert read.status_code == 200 and says(read, "The notification is marked as read.")
    assert 'class="badge badge-unread"' not in _html(read)
    assert '<span class="count"' not in _html(read)
    unread_only = client.get("/kungalv/notifications/?show=unread")
    assert says(unread_only, "No unread notifications.")


def test_mark_all_read(client, waiting, user_of, make_user, make_project):
    coordinator, project_id = waiting(client)
    other = make_project("kungalv", status="proposed", title="Andra projektet")
    _request_to_join(user_of, make_user("hiddenhausen", "coordinator"), other)
    before = re.search(r'<span class="count" aria-hidden="true">(\d+)</span>', _html(client.get("/kungalv/notifications/")))
    assert int(before.group(1)) >= 2
    done = client.post("/kungalv/notifications/read-all", follow_redirects=True)
    assert done.status_code == 200 and '<span class="count"' not in _html(done)


def test_someone_elses_notification_is_not_found(client, app, waiting, make_user, inbox, sign_in):
    coordinator, _ = waiting(client)
    [note] = inbox(coordinator)
    colleague = sign_in("kungalv", "coordinator")  # same municipality, another person
    assert colleague.post(f"/kungalv/notifications/{note.id}/read").status_code == 404
    stranger = sign_in("perano", "coordinator")  # another municipality
    assert stranger.post(f"/perano/notifications/{note.id}/read").status_code == 404
    assert not inbox(coordinator)[0].read
    anonymous = app.test_client()
    assert anonymous.get("/kungalv/notifications/").status_code == 302


def test_expired_notifications_are_gone(client, waiting, in_scope, app):
    from exchange.notifications.models import Notification
    from exchange.notifications.services import prune
    waiting(client)
    with in_scope("kungalv") as session:
        for note in session.scalars(select(Notification)):
            note.updated_at = note.updated_at - dt.timedelta(days=app.config["NOTIFICATIONS_EXPIRE_DAYS"] + 1)
        session.commit()
    page = client.get("/kungalv/notifications/")
    assert '<span class="count"' not in _html(page) and "/read" not in _html(page).split("read-all")[-1]
    with in_scope("kungalv") as session:
        assert prune() >= 1
        session.commit()
        assert session.scalar(select(func.count()).select_from(Notification)) == 0


# --- following ---------------------------------------------------------------------------------------

def test_follow_and_unfollow_a_project_and_a_visit(client, login_as, make_project, make_visit, says, in_scope):
    project_id = make_project("kungalv", status="proposed")
    visit_id = make_visit("kungalv", visitors=("perano",))
    login_as("hiddenhausen", "staff")
    page = client.get(f"/hiddenhausen/projects/{project_id}")
    assert f"/hiddenhausen/notifications/follow/projects/{project_id}/follow" in _html(page)
    followed = client.post(f"/hiddenhausen/notifications/follow/projects/{project_id}/follow", follow_redirects=True)
    assert says(followed, "You follow it now: you will be notified of what happens to it.")
    assert f"/notifications/follow/projects/{project_id}/unfollow" in _html(followed)
    client.post(f"/hiddenhausen/notifications/follow/projects/{project_id}/follow")  # twice: still one
    from exchange.notifications.models import Follow
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(func.count()).select_from(Follow)) == 1
    unfollowed = client.post(f"/hiddenhausen/notifications/follow/projects/{project_id}/unfollow",
                             follow_redirects=True)
    assert says(unfollowed, "You no longer follow it.")
    visit = client.post(f"/hiddenhausen/notifications/follow/visits/{visit_id}/follow", follow_redirects=True)
    assert visit.status_code == 200 and f"/notifications/follow/visits/{visit_id}/unfollow" in _html(visit)


def test_another_municipalitys_draft_cannot_be_followed(client, login_as, make_project, in_scope):
    draft_id = make_project("kungalv")
    login_as("perano", "staff")
    assert client.post(f"/perano/notifications/follow/projects/{draft_id}/follow").status_code == 404
    assert client.post("/perano/notifications/follow/visits/999999/follow").status_code == 404
    assert client.post("/perano/notifications/follow/nonsense/1/follow").status_code == 404
    from exchange.notifications.models import Follow
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(Follow)) == 0


# --- e-mail settings -----------------------------------------------------------------------------------

def _modes(in_scope, account):
    from exchange.auth.models import User
    from exchange.notifications.services import effective_modes
    with in_scope(account.slug) as session:
        return {code: mode.value for code, mode in effective_modes(session.get(User, account.id)).items()}


def test_settings_offer_what_the_roles_receive_with_defaults_per_role(client, login_as, in_scope, make_user):
    staff = login_as("perano", "staff")
    page = client.get("/perano/notifications/settings")
    assert page.status_code == 200
    assert "project__commented" in _html(page) and "project__join_requested" not in _html(page)
    coordinator, translator = make_user("perano", "coordinator"), make_user("perano", "translator")
    assert _modes(in_scope, coordinator)["project.join_requested"] == "immediately"
    assert _modes(in_scope, staff)["project.commented"] == "daily"
    assert _modes(in_scope, translator) == {"translations.texts_waiting": "daily"}


def test_saving_settings(client, login_as, in_scope, says):
    staff = login_as("perano", "staff")
    form = {f"{code.replace('.', '__')}": mode for code, mode in _modes(in_scope, staff).items()}
    form["project__commented"] = "off"
    form["visits__lessons_published"] = "immediately"
    saved = client.post("/perano/notifications/settings", data=form, follow_redirects=True)
    assert saved.status_code == 200 and says(saved, "Your e-mail settings have been saved.")
    modes = _modes(in_scope, staff)
    assert modes["project.commented"] == "off" and modes["visits.lessons_published"] == "immediately"


@pytest.mark.parametrize("value", ["hourly", "off\x00", "", "x" * 5000])
def test_bad_settings_are_refused_and_nothing_is_saved(client, login_as, in_scope, says, value):
    staff = login_as("perano", "staff")
    before = _modes(in_scope, staff)
    form = {f"{code.replace('.', '__')}": mode for code, mode in before.items()}
    form["project__commented"] = value
    refused = client.post("/perano/notifications/settings", data=form)
    assert refused.status_code == 422
    assert says(refused, "Choose one of the offered options.") or says(refused, "This field is required.")
    assert _modes(in_scope, staff) == before


def test_pending_digest_items_follow_a_changed_setting(client, waiting, in_scope, inbox, user_of):
    from exchange.extensions import db
    from exchange.notifications import services
    coordinator, _ = waiting(client)
    with user_of(coordinator) as user:
        services.set_preferences(user, {"project.status_changed": "weekly"})
        db.session.commit()
    # The earlier status change of the project (draft → proposed) waited for the daily summary.
    assert {n.email for n in inbox(coordinator, "project.status_changed")} <= {"weekly"}


# --- the unsubscribe link ---------------------------------------------------------------------------

def _token(app, in_scope, account, scope):
    from exchange.auth.models import User
    from exchange.notifications.mailing import unsubscribe_token
    with in_scope(account.slug) as session:
        return unsubscribe_token(session.get(User, account.id), scope)


def test_one_click_unsubscribe(app, make_user, in_scope, says, tr):
    account = make_user("hiddenhausen", "coordinator")
    token = _token(app, in_scope, account, "project.join_requested")
    anonymous = app.test_client()
    page = anonymous.get(f"/hiddenhausen/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and _modes(in_scope, account)["project.join_requested"] == "immediately"
    # What a mail program sends (RFC 8058): no session, no CSRF token, just this body.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        done = anonymous.post(f"/hiddenhausen/notifications/unsubscribe/{token}",
                              data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert done.status_code == 302
    assert says(anonymous.get(done.location), "Done: you will no longer receive e-mails for: %(what)s. Your "
                "notifications stay in the notification centre, and you can change this in your e-mail settings.",
                what=tr("de", "A municipality asks to join a project you lead"))
    assert _modes(in_scope, account)["project.join_requested"] == "off"
    assert _modes(in_scope, account)["project.invitation_received"] == "immediately"  # only that one


def test_unsubscribing_from_a_digest_turns_off_what_went_into_it(app, make_user, in_scope):
    account = make_user("perano", "coordinator")
    token = _token(app, in_scope, account, "digest:daily")
    assert app.test_client().post(f"/perano/notifications/unsubscribe/{token}").status_code == 302
    modes = _modes(in_scope, account)
    assert modes["project.status_changed"] == "off" and modes["partners.partnership_decided"] == "off"
    assert modes["project.join_requested"] == "immediately" and modes["partners.profile_stale"] == "weekly"


def test_a_forged_or_foreign_unsubscribe_link_is_not_found(app, make_user, in_scope):
    account = make_user("perano", "coordinator")
    token = _token(app, in_scope, account, "project.join_requested")
    anonymous = app.test_client()
    assert anonymous.post(f"/kungalv/notifications/unsubscribe/{token}").status_code == 404  # another town
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert anonymous.get(f"/perano/notifications/unsubscribe/{tampered}").status_code == 404
    assert anonymous.post("/perano/notifications/unsubscribe/%00").status_code == 404
    assert _modes(in_scope, account)["project.join_requested"] == "immediately"


def test_the_centre_costs_the_same_queries_for_few_or_many(client, login_as, make_project, make_visit, user_of,
                                                          make_user, count_queries):
    login_as("kungalv", "coordinator")

    def measure() -> int:
        with count_queries() as counter:
            assert client.get("/kungalv/notifications/").status_code == 200
        return counter.n

    def add(n: int) -> None:
        for i in range(n):
            project_id = make_project("kungalv", status="proposed", title=f"Projekt {i}")
            _request_to_join(user_of, make_user("perano", "coordinator"), project_id)
            make_visit("perano", visitors=("kungalv",), start=dt.date(2025, 5, 1) + dt.timedelta(days=i))

    add(1)
    few = measure()
    add(6)
    assert measure() == few


def test_settings_saved_from_a_stale_form_are_a_conflict(client, login_as, in_scope, says):
    """Two tabs: the second save, opened before the first, does not silently undo it."""
    import re
    staff = login_as("perano", "staff")
    opened = re.search(r'name="opened" type="hidden" value="([0-9a-f]+)"',
                       client.get("/perano/notifications/settings").get_data(as_text=True)).group(1)
    form = {f"{code.replace('.', '__')}": mode for code, mode in _modes(in_scope, staff).items()}
    first = {**form, "project__commented": "off", "opened": opened}
    assert client.post("/perano/notifications/settings", data=first).status_code == 302
    second = client.post("/perano/notifications/settings",
                         data={**form, "project__commented": "weekly", "opened": opened})
    assert second.status_code == 409
    assert _modes(in_scope, staff)["project.commented"] == "off"
