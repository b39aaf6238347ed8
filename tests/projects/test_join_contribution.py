"""A request to join carries the municipality's contribution (issue 14, point 2): once accepted, what it said
is its contribution on the project page, attributed to it; nothing of another municipality's contribution can
be changed by anyone else, and a stale edit of it is a 409."""
from __future__ import annotations

import re

from tests.fixtures.core import login, text_of


def _join_and_accept(client, make_user, project_id: int, message: str):
    hidden = make_user("hiddenhausen", "coordinator", name="Anna Schmidt")
    kungalv = make_user("kungalv", "coordinator")
    login(client, hidden)
    client.get(f"/hiddenhausen/projects/{project_id}?lang=de")
    assert client.post(f"/hiddenhausen/projects/{project_id}/join", data={"message": message}).status_code == 302
    client.post("/hiddenhausen/logout")
    login(client, kungalv)
    page = client.get(f"/kungalv/projects/{project_id}").get_data(as_text=True)
    action = re.search(r'action="(/kungalv/projects/\d+/participations/\d+/decide)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page[page.index(action):]).group(1)
    assert client.post(action, data={"decision": "accept", "version": version}).status_code == 302
    client.post("/kungalv/logout")
    return hidden, kungalv


def test_the_join_message_becomes_the_attributed_contribution(client, make_user, make_project, in_scope, tr):
    project_id = make_project("kungalv", status="proposed")
    said = "Wir bringen zwei Schulen und 80 Stunden ehrenamtliche Arbeit ein."
    hidden, kungalv = _join_and_accept(client, make_user, project_id, said)

    login(client, hidden)
    page = client.get(f"/hiddenhausen/projects/{project_id}?lang=de")
    html, text = page.get_data(as_text=True), text_of(page)
    assert tr("de", "Contribution of your municipality") in text
    assert said in text and f'lang="de">' in html
    assert tr("de", "Written by %(name)s, %(municipality)s", name="Anna Schmidt", municipality="Hiddenhausen") in text
    client.post("/hiddenhausen/logout")

    login(client, kungalv)
    text = text_of(client.get(f"/kungalv/projects/{project_id}?lang=sv"))
    assert tr("sv", "Contribution of %(municipality)s", municipality="Hiddenhausen") in text
    assert said in text
    # The contribution form opens with it, so the participant goes on from what it said.
    client.post("/kungalv/logout")
    login(client, hidden)
    form = client.get(f"/hiddenhausen/projects/{project_id}/contribution").get_data(as_text=True)
    assert said in form


def test_an_existing_contribution_is_not_overwritten_and_a_declined_request_keeps_none(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed")
    with in_scope("perano") as session:
        services.request_to_join(get_project(project_id), Actor(by_slug("perano").id, "Marco"), "Portiamo il vino.",
                                 "it")
        session.commit()
    with in_scope("kungalv") as session:
        participation = get_project(project_id).participation_of(by_slug("perano").id)
        services.decide(participation, Actor(by_slug("kungalv").id, "Johan"), False)
        session.commit()
        assert participation.source_row("contribution") is None
    with in_scope("perano") as session:
        services.request_to_join(get_project(project_id), Actor(by_slug("perano").id, "Marco"), "Di nuovo.", "it")
        session.commit()
    with in_scope("kungalv") as session:
        participation = get_project(project_id).participation_of(by_slug("perano").id)
        services.decide(participation, Actor(by_slug("kungalv").id, "Johan"), True)
        session.commit()
        row = participation.source_row("contribution")
        assert (row.text, row.locale, row.updated_by_name) == ("Di nuovo.", "it", "Marco")
        assert row.updated_by_municipality_id == by_slug("perano").id


def test_only_the_participant_edits_its_contribution_and_a_stale_save_is_a_conflict(client, make_user, make_project,
                                                                                   in_scope):
    project_id = make_project("kungalv", status="proposed")
    hidden, kungalv = _join_and_accept(client, make_user, project_id, "Zwei Schulen.")
    # The lead cannot edit Hiddenhausen's part; Perano (not taking part) cannot either.
    login(client, kungalv)
    assert client.get(f"/kungalv/projects/{project_id}/contribution").status_code == 403
    client.post("/kungalv/logout")
    login(client, hidden)
    opened = client.get(f"/hiddenhausen/projects/{project_id}/contribution").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', opened).group(1)
    assert client.post(f"/hiddenhausen/projects/{project_id}/contribution",
                       data={"locale": "de", "contribution": "Drei Schulen.", "version": version}).status_code == 302
    stale = client.post(f"/hiddenhausen/projects/{project_id}/contribution",
                        data={"locale": "de", "contribution": "Vier Schulen.", "version": version})
    assert stale.status_code == 409
    assert "Drei Schulen." in text_of(client.get(f"/hiddenhausen/projects/{project_id}"))
