"""Bad input: a translated error beside the field, HTTP 422, nothing saved, never a 500; on both databases.
And the edit conflict: HTTP 409, the user's input kept, nothing overwritten."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.projects.test_views import _form, _html, _version


def _count(in_scope, model, slug="kungalv") -> int:
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("overrides, field_id", [
    ({"title_sv": "x" * 201}, "title_sv"),
    ({"title_sv": "Solen\x00ergi"}, "title_sv"),
    ({"summary_it": "troppo" * 500}, "summary_it"),
    ({"description_de": "ok\x07"}, "description_de"),
    ({"title_sv": ""}, "title_sv"),
    ({"end_date": "2024-12-31"}, "end_date"),
    ({"start_date": "31/12/2025"}, "start_date"),
    ({"start_date": "2025-02-30"}, "start_date"),
    ({"themes": ["999999"]}, "themes"),
    ({"themes": ["abc"]}, "themes"),
    ({"priority_areas": []}, "priority_areas"),
    ({"priority_areas": ["world_domination"]}, "priority_areas"),
    ({"locale": "xx"}, "locale"),
    ({"rationale_social": "y" * 1001}, "rationale_social"),
])
def test_bad_project_form_input(client, login_as, themes, in_scope, overrides, field_id):
    from exchange.projects.models import Project
    login_as("kungalv", "staff")
    response = client.post("/kungalv/projects/new", data=_form(themes, **overrides))
    assert response.status_code == 422
    html = _html(response)
    assert f'id="{field_id}-error"' in html, field_id
    assert 'aria-invalid="true"' in html or "<fieldset" in html
    assert _count(in_scope, Project) == 0


@pytest.mark.parametrize("data, field_id", [
    ({"source": "municipal", "currency": "SEK", "amount": "-5"}, "amount"),
    ({"source": "municipal", "currency": "SEK", "amount": "12abc"}, "amount"),
    ({"source": "municipal", "currency": "SEK", "amount": "99999999999999999"}, "amount"),
    ({"source": "municipal", "currency": "SEK", "amount": ""}, "amount"),
    ({"source": "municipal", "currency": "XYZ", "amount": "5"}, "currency"),
    ({"source": "bribes", "currency": "SEK", "amount": "5"}, "source"),
    ({"source": "voluntary_work", "currency": "SEK", "hours": "10", "hourly_value": ""}, "hourly_value"),
    ({"source": "voluntary_work", "currency": "SEK", "hours": "-10", "hourly_value": "200"}, "hours"),
    ({"source": "municipal", "currency": "SEK", "amount": "5", "note": "\x00"}, "note"),
])
def test_bad_funding_line(client, login_as, make_project, in_scope, data, field_id):
    from exchange.projects.models import FundingLine
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    response = client.post(f"/kungalv/projects/{project_id}/plan/funding", data=data)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in _html(response)
    assert _count(in_scope, FundingLine) == 0


def test_another_municipalitys_id_in_the_invite_form(client, login_as, make_project, in_scope):
    from exchange.municipalities.queries import by_slug
    from exchange.projects.models import ProjectParticipation
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    with client.application.app_context():
        own = by_slug("kungalv").id
    for value in (str(own), "999999", "abc", "1 OR 1=1"):
        response = client.post(f"/kungalv/projects/{project_id}/invite", data={"municipality": value})
        assert response.status_code == 422, value
        assert 'id="municipality-error"' in _html(response)
    assert _count(in_scope, ProjectParticipation) == 0


def test_bad_comment_and_contact(client, login_as, make_project, in_scope):
    from exchange.projects.models import ProjectComment, ProjectContact
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "staff")
    for body in ("", "a" * 5001, "nul\x00byte"):
        response = client.post(f"/kungalv/projects/{project_id}/comments", data={"body": body})
        assert response.status_code == 422
        assert 'id="body-error"' in _html(response)
    for data, field_id in (({"name": ""}, "name"), ({"name": "A", "email": "not-an-address"}, "email"),
                           ({"name": "A" * 121}, "name"), ({"name": "A", "phone": "\x00"}, "phone")):
        response = client.post(f"/kungalv/projects/{project_id}/plan/contacts", data=data)
        assert response.status_code == 422
        assert f'id="{field_id}-error"' in _html(response)
    assert _count(in_scope, ProjectComment) == 0 and _count(in_scope, ProjectContact) == 0


def test_milestone_outside_the_period_and_bad_date(client, login_as, make_project, in_scope):
    from exchange.projects.models import Milestone
    project_id = make_project("kungalv")
    login_as("kungalv", "coordinator")
    for due in ("2030-01-01", "not a date", ""):
        response = client.post(f"/kungalv/projects/{project_id}/plan/milestones", data={"title": "M", "due_date": due})
        assert response.status_code == 422, due
        assert 'id="due_date-error"' in _html(response)
    assert _count(in_scope, Milestone) == 0


def test_the_second_of_two_editors_gets_a_conflict_and_keeps_their_input(app, client, make_user, make_project,
                                                                         themes, in_scope):
    from exchange.projects.queries import get_project
    from tests.fixtures.core import login
    project_id = make_project("kungalv", title="Original")
    first, second = make_user("kungalv", "coordinator"), make_user("kungalv", "coordinator")
    other = app.test_client()
    login(client, first)
    login(other, second)
    url = f"/kungalv/projects/{project_id}/edit"
    version_first = _version(_html(client.get(url)))
    version_second = _version(_html(other.get(url)))
    assert client.post(url, data=_form(themes, title_sv="First editor's title",
                                       version=version_first)).status_code == 302
    response = other.post(url, data=_form(themes, title_sv="Second editor's title", version=version_second))
    assert response.status_code == 409
    html = _html(response)
    assert 'role="alert"' in html
    assert 'value="Second editor&#39;s title"' in html  # the input is kept in the form
    with in_scope("kungalv"):
        assert get_project(project_id).plain("title", "sv") == "First editor's title"
    # Saving again, having seen the conflict, is a deliberate overwrite.
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert other.post(url, data=_form(themes, title_sv="Second editor's title", version=new_version)).status_code == 302
    with in_scope("kungalv"):
        assert get_project(project_id).plain("title", "sv") == "Second editor's title"


def test_the_invite_form_offers_the_other_municipalities_and_invites_the_chosen_one(client, login_as, make_project,
                                                                                     in_scope):
    """The choices are plain (id, name) rows rendered by LongSelect (issue 12): every other municipality is
    offered (not the lead, not one already taking part), and the chosen one is the one invited."""
    from sqlalchemy import select
    from exchange.municipalities.queries import by_slug
    from exchange.projects.models import ProjectParticipation
    project_id = make_project("kungalv", status="proposed", participants=("perano",))
    login_as("kungalv", "coordinator")
    with client.application.app_context():
        ids = {slug: by_slug(slug).id for slug in ("kungalv", "perano", "hiddenhausen")}
    page = _html(client.get(f"/kungalv/projects/{project_id}"))
    form = page[page.index('id="h-invite"'):]
    form = form[:form.index("</select>")]
    assert f'<option value="{ids["hiddenhausen"]}">Hiddenhausen</option>' in form
    assert f'value="{ids["kungalv"]}"' not in form and f'value="{ids["perano"]}"' not in form
    response = client.post(f"/kungalv/projects/{project_id}/invite", data={"municipality": str(ids["hiddenhausen"])})
    assert response.status_code == 302
    with in_scope("kungalv") as session:
        invited = session.scalars(select(ProjectParticipation.municipality_id)
                                  .where(ProjectParticipation.project_id == project_id,
                                         ProjectParticipation.status == "invited")).all()
    assert invited == [ids["hiddenhausen"]]
