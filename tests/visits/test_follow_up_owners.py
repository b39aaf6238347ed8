"""Follow-up owners are accounts (issue 14, point 10): the owner is chosen among the municipality's own
accounts and is the one reminded; someone without an account is still a name; an owner of the other
municipality survives a co-editor's unchanged save; nobody can hand a task to another town's account."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.fixtures.core import text_of
from tests.fixtures.forms import submitted


def _follow_up(in_scope, slug="kungalv"):
    from exchange.visits.models import FollowUp
    with in_scope(slug) as session:
        item = session.scalars(select(FollowUp)).one()
        return item.id, item.owner, item.owner_user_id


def test_an_account_owns_the_action_and_alone_is_told(client, login_as, make_user, make_visit, in_scope, types_of):
    visit_id = make_visit("kungalv", visitors=("perano",))
    owner = make_user("kungalv", "staff", name="Sara Lindqvist")
    coordinator = login_as("kungalv", "coordinator")
    form = client.get(f"/kungalv/visits/{visit_id}?lang=sv").get_data(as_text=True)
    assert f'<option value="{owner.id}">Sara Lindqvist</option>' in form
    response = client.post(f"/kungalv/visits/{visit_id}/follow-ups", data={
        "follow_up-action": "Skicka rapporten", "follow_up-owner_account": str(owner.id),
        "follow_up-due_date": "2030-01-01"})
    assert response.status_code == 302, text_of(response)
    _id, name, account = _follow_up(in_scope)
    assert (name, account) == ("Sara Lindqvist", owner.id)
    assert "visits.follow_up_assigned" in types_of(owner)
    assert "visits.follow_up_assigned" not in types_of(coordinator)  # the coordinator only stands in for names


def test_another_towns_account_cannot_be_given_the_task(client, login_as, make_user, make_visit, in_scope, says):
    visit_id = make_visit("kungalv", visitors=("perano",))
    foreign = make_user("perano", "staff", name="Giulia Russo")
    login_as("kungalv", "coordinator")
    assert ">Giulia Russo</option>" not in client.get(f"/kungalv/visits/{visit_id}").get_data(as_text=True)
    response = client.post(f"/kungalv/visits/{visit_id}/follow-ups?lang=it", data={
        "follow_up-action": "Inviare il rapporto", "follow_up-owner_account": str(foreign.id)})
    assert response.status_code == 422 and says(response, "Choose one of the offered options.")
    from exchange.visits.models import FollowUp
    with in_scope("kungalv") as session:
        assert session.scalars(select(FollowUp)).all() == []


def test_a_name_without_an_account_still_works_and_coordinators_stand_in(client, login_as, make_visit, in_scope,
                                                                         types_of):
    visit_id = make_visit("kungalv", visitors=("perano",))
    coordinator = login_as("kungalv", "coordinator")
    assert client.post(f"/kungalv/visits/{visit_id}/follow-ups", data={
        "follow_up-action": "Boka lokal", "follow_up-owner": "Åsa Öberg"}).status_code == 302
    assert _follow_up(in_scope)[1:] == ("Åsa Öberg", None)
    client.post("/kungalv/logout")
    other = login_as("kungalv", "coordinator")
    assert client.post(f"/kungalv/visits/{visit_id}/follow-ups", data={
        "follow_up-action": "Boka buss", "follow_up-owner": "Per Olsson"}).status_code == 302
    assert "visits.follow_up_assigned" in types_of(coordinator)
    assert other  # the actor is never told of their own change


def test_a_co_editors_unchanged_save_keeps_the_other_towns_owner(client, login_as, make_user, make_visit, in_scope):
    visit_id = make_visit("kungalv", visitors=("perano",))
    owner = make_user("kungalv", "staff", name="Sara Lindqvist")
    login_as("kungalv", "coordinator")
    client.post(f"/kungalv/visits/{visit_id}/follow-ups", data={
        "follow_up-action": "Skicka rapporten", "follow_up-owner_account": str(owner.id)})
    follow_up_id = _follow_up(in_scope)[0]
    client.post("/kungalv/logout")
    login_as("perano", "coordinator")
    page = client.get(f"/perano/visits/{visit_id}/follow-ups/{follow_up_id}/edit").get_data(as_text=True)
    assert re.search(rf'<option selected value="{owner.id}">Sara Lindqvist</option>', page)
    response = client.post(f"/perano/visits/{visit_id}/follow-ups/{follow_up_id}/edit",
                           data=submitted(page, "/edit"))
    assert response.status_code == 302, text_of(response)
    assert _follow_up(in_scope)[1:] == ("Sara Lindqvist", owner.id)
