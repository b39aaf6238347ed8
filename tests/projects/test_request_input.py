"""Request input is parsed only through the shared kit (issue 11): a blank member of a multi-select, a
tampered version field and a whitespace-only filter never reach ``int()`` (no 500 on either database);
forms answer with a translated 422, filters ignore what they cannot use. And a stale save (409) shows the
user's input beside the saved version."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import login, text_of
from tests.projects.test_views import _form, _html, _version

TAMPERED_VERSIONS = ["²", "1²", "9" * 5000, "-1", "1.0", " 1 2 "]
NOT_SAVED = "This could not be saved. Check your input and try again."


def _themes_of(in_scope, project_id) -> list[str]:
    from exchange.projects.queries import get_project
    with in_scope("kungalv"):
        return [t.key for t in get_project(project_id).themes]


def test_a_blank_member_of_the_themes_is_no_choice(client, login_as, themes, in_scope):
    login_as("kungalv", "staff")
    response = client.post("/kungalv/projects/new",
                           data=_form(themes, themes=["", str(themes["tourism"]), " "]))
    assert response.status_code == 302
    project_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _themes_of(in_scope, project_id) == ["tourism"]
    # Only blank members: no theme at all, which is allowed.
    response = client.post(f"/kungalv/projects/{project_id}/edit",
                           data=_form(themes, themes=[""], version=_version(_html(
                               client.get(f"/kungalv/projects/{project_id}/edit")))))
    assert response.status_code == 302
    assert _themes_of(in_scope, project_id) == []


def test_blank_priority_areas_are_refused_with_a_translated_message(client, login_as, themes, in_scope, says):
    from exchange.projects.models import Project
    login_as("kungalv", "staff", preferred_locale="de")
    for areas in ([""], ["", " "]):
        response = client.post("/kungalv/projects/new", data=_form(themes, priority_areas=areas))
        assert response.status_code == 422, areas
        assert 'id="priority_areas-error"' in _html(response)
        assert says(response, "Choose at least one priority area.")
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(Project)) == 0


@pytest.mark.parametrize("version", TAMPERED_VERSIONS)
def test_a_tampered_version_is_refused_on_every_versioned_form(client, make_user, make_project, themes, in_scope,
                                                              says, version):
    from exchange.municipalities.queries import by_slug
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed", title="Original", participants=["perano"])
    with in_scope("kungalv"):
        hiddenhausen = by_slug("hiddenhausen")
    base = f"/kungalv/projects/{project_id}"
    login(client, make_user("kungalv", "coordinator", preferred_locale="it"))
    edit = client.post(f"{base}/edit", data=_form(themes, title_sv="Changed", version=version))
    status = client.post(f"{base}/status", data={"status": "active", "version": version})
    for response in (edit, status):
        assert response.status_code == 422
        assert says(response, NOT_SAVED)
    # A request to join, answered by the lead with a tampered version.
    with in_scope("hiddenhausen") as session:
        from exchange.projects import services
        from tests.fixtures.core import Actor
        participation = services.request_to_join(get_project(project_id), Actor(hiddenhausen.id, "Anna"))
        session.commit()
        participation_id = participation.id
    decide = client.post(f"{base}/participations/{participation_id}/decide",
                         data={"decision": "accept", "version": version})
    assert decide.status_code == 422 and says(decide, NOT_SAVED)
    client.post("/kungalv/logout")
    login(client, make_user("perano", "staff"))
    contribution = client.post(f"/perano/projects/{project_id}/contribution",
                               data={"locale": "it", "contribution": "Scuole", "version": version})
    assert contribution.status_code == 422 and says(contribution, NOT_SAVED)
    with in_scope("kungalv"):
        project = get_project(project_id)
        assert (project.plain("title", "sv"), project.status) == ("Original", "proposed")
        assert project.participation_of(hiddenhausen.id).status == "requested"
        assert project.participation_of(by_slug("perano").id).source_row("contribution") is None


@pytest.mark.parametrize("query", ["theme=+", "municipality=+", "status=%20", "area=%09", "source=+",
                                   "sort=+", "theme=&municipality=&status=", "theme=+&municipality=%20&q=+"])
def test_blank_or_whitespace_filters_are_ignored(client, login_as, make_project, query):
    make_project("kungalv", status="proposed", title="Solenergi")
    make_project("perano", status="proposed", title="Scuole", locale="it")
    login_as("hiddenhausen", "staff")
    response = client.get(f"/hiddenhausen/projects/?{query}")
    assert response.status_code == 200, query
    page = text_of(response)
    assert "Solenergi" in page and "Scuole" in page
    assert 'class="error"' not in _html(response)
    export = client.get(f"/hiddenhausen/projects/export.csv?{query}")
    assert export.status_code == 200, query
    body = export.get_data(as_text=True)
    assert "Solenergi" in body and "Scuole" in body


def test_the_export_never_holds_contacts(client, login_as, make_project, in_scope):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed", title="Solenergi")
    with in_scope("kungalv") as session:
        services.add_contact(get_project(project_id), Actor(by_slug("kungalv").id, "Johan"), by_slug("kungalv").id,
                             "Karin Kontaktsson", "Samordnare", "karin@kungalv.example", "+46 303 000 00")
        session.commit()
    login_as("kungalv", "staff")
    body = client.get("/kungalv/projects/export.csv").get_data(as_text=True)
    assert "Solenergi" in body
    assert "Karin" not in body and "karin@" not in body and "303 000" not in body


def _conflict_table(html: str) -> list[tuple[str, str, str]]:
    table = html.split('<table class="conflict">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', table, flags=re.S)
    return [tuple(cell.strip() for cell in row) for row in rows]


def test_a_conflict_on_the_project_form_shows_both_versions(app, client, make_user, make_project, themes, in_scope,
                                                           says):
    project_id = make_project("kungalv", title="Original")
    first, second = app.test_client(), client
    login(first, make_user("kungalv", "coordinator"))
    login(second, make_user("kungalv", "coordinator", preferred_locale="de"))
    url = f"/kungalv/projects/{project_id}/edit"
    opened = _version(_html(second.get(url)))
    assert first.post(url, data=_form(themes, title_sv="First editor's title", start_date="2025-02-01",
                                      version=_version(_html(first.get(url))))).status_code == 302
    response = second.post(url, data=_form(themes, title_sv="Second editor's title", version=opened))
    assert response.status_code == 409
    html = _html(response)
    assert says(response, "Someone else saved this in the meantime, so your changes have not been saved. Your "
                          "input is kept below, beside the saved version: check it, then save again to keep your "
                          "changes.")
    rows = {label: (yours, saved) for label, yours, saved in _conflict_table(html)}
    assert rows["Titel"] == ("Second editor&#39;s title", "First editor&#39;s title")
    assert len(rows) == 2  # the title and the start date; unchanged fields are not listed
    assert 'value="Second editor&#39;s title"' in html  # the input is kept in the form


def test_a_conflict_on_the_contribution_shows_both_versions(app, client, make_user, make_project, in_scope):
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    first, second = app.test_client(), client
    login(first, make_user("perano", "staff"))
    login(second, make_user("perano", "coordinator"))
    url = f"/perano/projects/{project_id}/contribution"
    opened = _version(_html(second.get(url)))
    assert first.post(url, data={"locale": "it", "contribution": "Ospitiamo le scuole.",
                                 "version": _version(_html(first.get(url)))}).status_code == 302
    response = second.post(url, data={"locale": "it", "contribution": "Organizziamo le visite.", "version": opened})
    assert response.status_code == 409
    html = _html(response)
    assert [row[1:] for row in _conflict_table(html)] == [("Organizziamo le visite.", "Ospitiamo le scuole.")]
    # The form now carries the saved version: saving again knowingly replaces it.
    again = second.post(url, data={"locale": "it", "contribution": "Organizziamo le visite.",
                                   "version": _version(html)})
    assert again.status_code == 302
