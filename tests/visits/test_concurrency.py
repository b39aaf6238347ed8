"""Two people work on the same programme item, participant, cost or follow-up action of a visit at once
(issue 11 "Concurrency", DESIGN.md §4): both opened the same page; the first saves; the second's save,
made from the same version, is a 409 that keeps their input and shows the saved version beside it, and
nothing is overwritten. Then the form carries the saved version, so saving again knowingly replaces it.
The same holds for the one-click actions (remove, mark done) and for the municipality's visit settings,
and a save racing another one is caught at the version column itself. SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.fixtures.core import Actor, text_of
from tests.fixtures.forms import submitted

CONFLICT = ("Someone else saved this in the meantime, so your changes have not been saved. Your input is kept "
            "below, beside the saved version: check it, then save again to keep your changes.")
ONE_CLICK_CONFLICT = ("Someone else saved this in the meantime, so your change has not been saved. Check the current "
                      "state below and try again.")


@pytest.fixture
def visit_id(make_visit, in_scope, towns):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), participants=[("kungalv", "Åsa Öberg", "Kultur")],
                          follow_ups=[("Skicka rapporten", "Johan", dt.date(2024, 6, 1))])
    with in_scope("perano") as session:
        visit = visit_detail(visit_id)
        actor = Actor(towns["perano"])
        services.add_agenda_item(visit, dt.date(2024, 5, 4), "Visita al porto", "Porto", "it", actor)
        services.add_cost(visit, towns["perano"], "accommodation", "480", "EUR", "Hotel Ricci", actor)
        session.commit()
    return visit_id


def _child(in_scope, visit_id, kind: str):
    """The visit's first child of ``kind`` as saved now (detached: read its columns only)."""
    from exchange.visits.queries import visit_detail
    with in_scope("perano") as session:
        visit = visit_detail(visit_id)
        rows = {"agenda": visit.agenda_items, "participants": visit.participants, "costs": visit.costs,
                "follow-ups": visit.follow_ups}[kind]
        child = rows[0] if rows else None
        if child is not None:
            session.expunge(child)
        return child


# kind: (the form's field, the first person's value, the second person's value, the label, how it is stored)
EDITS = {
    "agenda": ("agenda-title", "Besök i hamnen", "Visita al museo", "What", lambda c: c.title),
    "participants": ("participant-role", "samordnare", "tolk", "Role in the visit (optional)", lambda c: c.role),
    "costs": ("cost-amount", "500", "650", "Amount", lambda c: str(int(c.amount))),
    "follow-ups": ("follow_up-owner", "Åsa", "Marco", "Or the name of someone without an account (optional)",
                   lambda c: c.owner),
}


def _conflict_rows(html: str) -> dict[str, tuple[str, str]]:
    """The conflict table: {label: (your input, the saved version)}."""
    return {label: (yours, saved) for label, yours, saved in
            re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>', html)}


@pytest.mark.parametrize("kind", EDITS)
def test_the_second_of_two_saves_from_the_same_form_is_a_409_and_overwrites_nothing(sign_in, visit_id, in_scope,
                                                                                    tr, says, kind):
    name, first_value, second_value, label, stored = EDITS[kind]
    child = _child(in_scope, visit_id, kind)
    path = f"/visits/{visit_id}/{kind}/{child.id}/edit"
    # A coordinator of the host and one of the visitors open the same form, at the same version.
    first, second = sign_in("perano", "coordinator"), sign_in("kungalv", "coordinator")
    url = f"/kungalv{path}"
    opened_first = submitted(first.get(f"/perano{path}").get_data(as_text=True), "/edit")
    opened_second = submitted(second.get(url).get_data(as_text=True), "/edit")
    version = next(v for k, v in opened_first.items() if k.endswith("-version"))
    assert version == [str(child.version)] and opened_second == opened_first

    assert first.post(f"/perano{path}", data={**opened_first, name: first_value}).status_code == 302
    stale = second.post(url, data={**opened_second, name: second_value})
    assert stale.status_code == 409
    assert says(stale, CONFLICT)
    html = stale.get_data(as_text=True)
    rows = _conflict_rows(html)
    yours, saved = rows[tr("sv", label)]
    assert second_value in yours and first_value in saved
    # The user's input is kept in the form; nothing was overwritten.
    assert submitted(html, "/edit")[name] == [second_value]
    assert stored(_child(in_scope, visit_id, kind)) == first_value

    # The form now carries the saved version: saving again knowingly replaces the first save.
    again = submitted(html, "/edit")
    assert next(v for k, v in again.items() if k.endswith("-version")) == [str(child.version + 1)]
    assert second.post(url, data=again).status_code == 302
    assert stored(_child(in_scope, visit_id, kind)) == second_value


# kind, the button's path, what the first person did meanwhile (an edit of the same row)
BUTTONS = [
    ("agenda", "remove"),
    ("participants", "remove"),
    ("costs", "remove"),
    ("follow-ups", "remove"),
    ("follow-ups", "done"),
]


@pytest.mark.parametrize("kind, action", BUTTONS)
def test_a_button_shown_before_someone_else_saved_the_row_is_a_409(sign_in, visit_id, in_scope, says, kind,
                                                                   action):
    """Remove and mark done act on the row the page showed: one changed since is not removed (or marked)."""
    name, first_value, _second, _label, stored = EDITS[kind]
    child = _child(in_scope, visit_id, kind)
    page_url = f"/kungalv/visits/{visit_id}"
    path = f"/{kind}/{child.id}/{action}"
    first, second = sign_in("perano", "coordinator"), sign_in("kungalv", "coordinator")
    button = submitted(second.get(page_url).get_data(as_text=True), path)
    assert button["version"] == [str(child.version)]

    edit_url = f"/perano/visits/{visit_id}/{kind}/{child.id}/edit"
    opened = submitted(first.get(edit_url).get_data(as_text=True), "/edit")
    assert first.post(edit_url, data={**opened, name: first_value}).status_code == 302

    stale = second.post(f"{page_url}{path}", data=button)
    assert stale.status_code == 409
    assert says(stale, ONE_CLICK_CONFLICT)
    after = _child(in_scope, visit_id, kind)
    assert after is not None and after.id == child.id and stored(after) == first_value
    if action == "done":
        assert not after.is_done
    # The page answering the conflict shows the row as saved now, its button with the current version.
    html = stale.get_data(as_text=True)
    assert first_value in text_of(stale)
    fresh = submitted(html, path)
    assert fresh["version"] == [str(after.version)]
    assert second.post(f"{page_url}{path}", data=fresh).status_code == 302
    after = _child(in_scope, visit_id, kind)
    assert (after is None or after.id != child.id) if action == "remove" else after.is_done


def test_two_people_pressing_the_same_button_do_it_once(sign_in, visit_id, in_scope):
    """Mark done, then a second "mark done" from the same page: the second is refused, not repeated."""
    child = _child(in_scope, visit_id, "follow-ups")
    first, second = sign_in("perano", "coordinator"), sign_in("kungalv", "coordinator")
    path = f"/follow-ups/{child.id}/done"
    buttons = [submitted(c.get(f"/{slug}/visits/{visit_id}").get_data(as_text=True), path)
               for c, slug in ((first, "perano"), (second, "kungalv"))]
    assert first.post(f"/perano/visits/{visit_id}{path}", data=buttons[0]).status_code == 302
    done_at = _child(in_scope, visit_id, "follow-ups").done_at
    assert second.post(f"/kungalv/visits/{visit_id}{path}", data=buttons[1]).status_code == 409
    assert _child(in_scope, visit_id, "follow-ups").done_at == done_at


@pytest.mark.parametrize("version", ["", "abc", "²", "9" * 5000, "-1"])
def test_a_missing_or_tampered_version_on_a_child_is_a_conflict_never_a_500(client, login_as, visit_id, in_scope,
                                                                            version):
    child = _child(in_scope, visit_id, "costs")
    login_as("perano", "coordinator")
    url = f"/perano/visits/{visit_id}/costs/{child.id}/edit"
    opened = submitted(client.get(url).get_data(as_text=True), "/edit")
    assert client.post(url, data={**opened, "cost-amount": "1", "cost-version": version}).status_code == 409
    assert client.post(f"/perano/visits/{visit_id}/costs/{child.id}/remove",
                       data={"version": version}).status_code == 409
    assert _child(in_scope, visit_id, "costs").amount == child.amount


def test_the_retention_setting_saved_from_a_stale_page_is_a_409(sign_in, in_scope, tr, says):
    from exchange.visits import services
    url = "/perano/visits/settings"
    first, second = sign_in("perano", "admin"), sign_in("perano", "admin")
    opened_first = submitted(first.get(url).get_data(as_text=True), "/settings")
    opened_second = submitted(second.get(url).get_data(as_text=True), "/settings")
    assert opened_first["version"] == ["0"]  # nothing saved yet: the defaults
    assert first.post(url, data={**opened_first, "retention_years": "3"}).status_code == 302
    stale = second.post(url, data={**opened_second, "retention_years": "7"})
    assert stale.status_code == 409 and says(stale, CONFLICT)
    yours, saved = _conflict_rows(stale.get_data(as_text=True))[
        tr("it", "Keep participants' names for (years after the visit)")]
    assert (yours, saved) == ("7", "3")
    with in_scope("perano"):
        assert services.settings().retention_years == 3
    again = submitted(stale.get_data(as_text=True), "/settings")
    assert again["version"] == ["1"] and again["retention_years"] == ["7"]
    assert second.post(url, data=again).status_code == 302
    with in_scope("perano"):
        assert services.settings().retention_years == 7


# --- the race at the version column ------------------------------------------------------------------

@pytest.mark.committed
@pytest.mark.parametrize("kind", ["costs", "participants"])
def test_a_save_racing_another_one_fails_at_the_version_column(app, client, login_as, make_visit, in_scope, towns,
                                                               monkeypatch, kind):
    """Both requests passed the form's version check; the other one commits first (between our check and
    our write): our UPDATE finds no row at the version we read, and the request kit answers 409."""
    from exchange.extensions import db
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), participants=[("kungalv", "Åsa Öberg", "Kultur")])
    with in_scope("perano") as session:
        services.add_cost(visit_detail(visit_id), towns["perano"], "travel", "100", "EUR", "Tåg", Actor(towns["perano"]))
        session.commit()
    child = _child(in_scope, visit_id, kind)
    # (the other save changes a column of the row itself: a cost's note lives in its text table)
    table, column, value = {"costs": ("visit_costs", "amount", 250),
                            "participants": ("visit_participants", "name", "Åsa Ek")}[kind]
    name = {"costs": "cost-note", "participants": "participant-name"}[kind]
    login_as("perano", "coordinator")
    url = f"/perano/visits/{visit_id}/{kind}/{child.id}/edit"
    opened = submitted(client.get(url).get_data(as_text=True), "/edit")

    real_check = services.children.check_version

    def check_then_lose_the_race(obj, expected):
        real_check(obj, expected)  # passes: the form is up to date
        with db.engine.begin() as conn:  # another worker saves the row now, on its own connection
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :v, version = version + 1 WHERE id = :id"),
                         {"v": value, "id": child.id})

    monkeypatch.setattr(services.children, "check_version", check_then_lose_the_race)
    response = client.post(url, data={**opened, name: "Mine"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert submitted(html, "/edit")[name] == ["Mine"]  # the input is kept
    saved = _child(in_scope, visit_id, kind)
    assert getattr(saved, column) == value and saved.version == child.version + 1  # the other save stands


@pytest.mark.committed
def test_an_edit_racing_the_removal_of_the_same_row_is_a_409_not_a_500(app, client, login_as, make_visit, in_scope,
                                                                       towns, monkeypatch, says):
    """The other request removes the cost between our check and our write: nothing is left to show as
    the saved version, so the page says what happened instead."""
    from exchange.extensions import db
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",))
    with in_scope("perano") as session:
        services.add_cost(visit_detail(visit_id), towns["perano"], "travel", "100", "EUR", "Tåg", Actor(towns["perano"]))
        session.commit()
    cost = _child(in_scope, visit_id, "costs")
    login_as("perano", "coordinator")
    url = f"/perano/visits/{visit_id}/costs/{cost.id}/edit"
    opened = submitted(client.get(url).get_data(as_text=True), "/edit")
    real_check = services.children.check_version

    def check_then_lose_the_race(obj, expected):
        real_check(obj, expected)
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM visit_costs WHERE id = :id"), {"id": cost.id})

    monkeypatch.setattr(services.children, "check_version", check_then_lose_the_race)
    response = client.post(url, data={**opened, "cost-note": "Flyg"})
    assert response.status_code == 409 and says(response, ONE_CLICK_CONFLICT)
    assert submitted(response.get_data(as_text=True), "/edit")["cost-note"] == ["Flyg"]  # the input is kept
    assert _child(in_scope, visit_id, "costs") is None
