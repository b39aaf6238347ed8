"""The permission matrix: each role × own (lead) or other municipality × draft or proposed project.

Another municipality's draft answers 404 everywhere (it does not exist for them); a visible project
that the user may not change answers 403.
"""
from __future__ import annotations

import pytest

ROLES = ("staff", "coordinator", "translator", "admin")

# (status, whose, role) → expected codes for: detail, languages, edit form, plan, status change, join
# (the status change is posted with a stale version: a lead coordinator gets the conflict, 409)
MATRIX = {
    ("draft", "lead", "staff"): (200, 200, 200, 200, 403, 403),
    ("draft", "lead", "coordinator"): (200, 200, 200, 200, 409, 403),
    ("draft", "lead", "translator"): (200, 200, 403, 403, 403, 403),
    ("draft", "lead", "admin"): (200, 200, 403, 403, 403, 403),
    ("proposed", "lead", "staff"): (200, 200, 403, 200, 403, 403),
    ("proposed", "lead", "coordinator"): (200, 200, 200, 200, 409, 403),
    ("proposed", "lead", "translator"): (200, 200, 403, 403, 403, 403),
    ("proposed", "lead", "admin"): (200, 200, 403, 403, 403, 403),
    ("proposed", "other", "staff"): (200, 200, 403, 403, 403, 403),
    ("proposed", "other", "coordinator"): (200, 200, 403, 403, 403, 302),
    ("proposed", "other", "translator"): (200, 200, 403, 403, 403, 403),
    ("proposed", "other", "admin"): (200, 200, 403, 403, 403, 403),
}
MATRIX.update({("draft", "other", role): (404,) * 6 for role in ROLES})


@pytest.mark.parametrize("status, whose, role", sorted(MATRIX))
def test_permission_matrix(client, login_as, make_project, status, whose, role):
    project_id = make_project("kungalv", status=status)
    slug = "kungalv" if whose == "lead" else "perano"
    login_as(slug, role)
    base = f"/{slug}/projects/{project_id}"
    got = (
        client.get(base).status_code,
        client.get(f"{base}/languages").status_code,
        client.get(f"{base}/edit").status_code,
        client.get(f"{base}/plan").status_code,
        client.post(f"{base}/status", data={"status": "withdrawn", "reason": "Test", "version": "99"}).status_code,
        client.post(f"{base}/join", data={"message": ""}).status_code,
    )
    assert got == MATRIX[(status, whose, role)]


def test_a_participant_edits_only_its_own_contribution(client, login_as, make_project, in_scope):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    with in_scope("kungalv") as session:
        project = get_project(project_id)
        line = services.add_funding_line(project, Actor(by_slug("kungalv").id, "Johan"), by_slug("kungalv").id,
                                         "municipal", "SEK", amount="1000")
        line_id = line.id
        session.commit()
    login_as("perano", "staff")
    base = f"/perano/projects/{project_id}"
    assert client.get(f"{base}/edit").status_code == 403
    assert client.get(f"{base}/contribution").status_code == 200
    # Kungälv's funding line is not Perano's to remove.
    assert client.post(f"{base}/plan/funding/{line_id}/delete").status_code == 403
    with in_scope("kungalv"):
        assert len(get_project(project_id).funding_lines) == 1


def test_only_the_invited_coordinator_answers_an_invitation(client, make_user, make_project, in_scope):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import login
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        participation = services.invite(get_project(project_id), by_slug("perano"),
                                        Actor(by_slug("kungalv").id, "Johan"))
        session.commit()
        participation_id = participation.id
    url = "/{slug}/projects/%d/participations/%d/decide" % (project_id, participation_id)
    for slug, roles, expected in (("hiddenhausen", ("coordinator",), 403), ("kungalv", ("coordinator",), 403),
                                  ("perano", ("staff",), 403), ("perano", ("coordinator",), 302)):
        account = make_user(slug, *roles)
        login(client, account)
        assert client.post(url.format(slug=slug), data={"decision": "accept"}).status_code == expected, (slug, roles)
        client.post(f"/{slug}/logout")


def test_signed_out_visitors_are_sent_to_sign_in(client, make_project):
    project_id = make_project("kungalv", status="proposed")
    for url in ("/kungalv/projects/", f"/kungalv/projects/{project_id}", "/kungalv/projects/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/kungalv/login" in response.headers["Location"]


def test_a_session_of_another_municipality_is_anonymous_here(client, login_as, make_project):
    project_id = make_project("kungalv", status="proposed")
    login_as("perano", "coordinator")
    assert client.get(f"/kungalv/projects/{project_id}").status_code == 302
