"""No dead ends (issue 14, point 4): what a person cannot do is explained where the button would be and on the
403 page, naming who can; every destructive action asks first, without JavaScript."""
from __future__ import annotations

import re

import pytest

from tests.fixtures.core import text_of


def test_lead_staff_are_told_who_edits_a_proposed_project(client, login_as, make_project, tr):
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "staff")
    reason = tr("sv", "Proposed projects are edited by the lead coordinator: ask a coordinator of %(lead)s.",
                lead="Kungälv")
    assert reason in text_of(client.get(f"/kungalv/projects/{project_id}?lang=sv"))
    refused = client.get(f"/kungalv/projects/{project_id}/edit")
    assert refused.status_code == 403
    page = text_of(refused)
    assert reason in page and tr("sv", "This is not possible for you here") in page
    assert tr("sv", "You do not have permission to do this.") not in page
    # A draft is still theirs to edit: no such sentence then.
    draft_id = make_project("kungalv", status="draft", title="Utkast")
    assert client.get(f"/kungalv/projects/{draft_id}/edit").status_code == 200
    assert reason not in text_of(client.get(f"/kungalv/projects/{draft_id}"))


@pytest.mark.parametrize("lang", ["de", "it"])
def test_staff_of_another_town_learn_that_their_coordinator_can_ask_to_join(client, login_as, make_project, tr,
                                                                             lang):
    project_id = make_project("kungalv", status="proposed")
    login_as("hiddenhausen", "staff")
    hint = tr(lang, "Your coordinator can ask to join on behalf of %(municipality)s.", municipality="Hiddenhausen")
    assert hint in text_of(client.get(f"/hiddenhausen/projects/{project_id}?lang={lang}"))
    refused = client.post(f"/hiddenhausen/projects/{project_id}/join", data={"message": "Gerne"})
    assert refused.status_code == 403 and hint in text_of(refused)
    assert client.get(f"/hiddenhausen/projects/{project_id}/plan").status_code == 403


def test_the_coordinator_gets_the_join_form_and_no_hint(client, login_as, make_project, tr):
    project_id = make_project("kungalv", status="proposed")
    login_as("hiddenhausen", "coordinator")
    page = client.get(f"/hiddenhausen/projects/{project_id}?lang=de")
    assert f"/hiddenhausen/projects/{project_id}/join" in page.get_data(as_text=True)
    assert tr("de", "Your coordinator can ask to join on behalf of %(municipality)s.",
              municipality="Hiddenhausen") not in text_of(page)


def test_a_draft_of_another_town_stays_not_found_with_no_hint(client, login_as, make_project):
    project_id = make_project("kungalv", status="draft")
    login_as("hiddenhausen", "staff")
    assert client.get(f"/hiddenhausen/projects/{project_id}").status_code == 404
    assert client.get(f"/hiddenhausen/projects/{project_id}/edit").status_code == 404


def test_visit_staff_are_told_who_logs_and_edits_visits(client, login_as, make_visit, tr):
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "staff")
    logs = tr("it", "Visits are logged by the coordinators of %(municipality)s: ask one of them.",
              municipality="Perano")
    edits = tr("it", "Visits are edited by the coordinators of %(municipality)s: ask one of them.",
               municipality="Perano")
    assert logs in text_of(client.get("/perano/visits/?lang=it"))
    assert edits in text_of(client.get(f"/perano/visits/{visit_id}"))
    for url in ("/perano/visits/new", f"/perano/visits/{visit_id}/edit"):
        refused = client.get(url)
        assert refused.status_code == 403 and (logs if url.endswith("new") else edits) in text_of(refused)


def _remove_control(html: str, action: str) -> str:
    """The markup from the disclosure holding ``action``'s form back to its start."""
    end = html.index(f'action="{action}"')
    start = html.rindex("<details", 0, end)
    return html[start:html.index("</details>", end)]


def test_removing_a_funding_line_asks_first(client, login_as, make_project, in_scope, tr):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import actor_of
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        line = services.add_funding_line(get_project(project_id), actor_of("kungalv"), by_slug("kungalv").id,
                                         "municipal", "SEK", amount="1000")
        session.commit()
        line_id = line.id
    login_as("kungalv", "coordinator")
    html = client.get(f"/kungalv/projects/{project_id}/plan?lang=sv").get_data(as_text=True)
    action = f"/kungalv/projects/{project_id}/plan/funding/{line_id}/delete"
    control = _remove_control(html, action)
    # The visible button only opens the question; the button that removes is inside it.
    assert re.search(r"<summary[^>]*>", control) and control.index("<summary") < control.index("<form")
    question = tr("sv", "Do you really want to remove “%(what)s” from the funding plan? This cannot be undone.",
                  what="X").split("”")[-1].strip()
    assert question in re.sub(r"\s+", " ", control)


@pytest.mark.parametrize("path", ["visits/_macros.html", "partners/project.html", "projects/_macros.html",
                                  "partners/profile.html"])
def test_every_remove_button_in_these_templates_asks_first(app, path):
    """A template that offers removal passes ``confirm=`` to its button macro."""
    source = app.jinja_env.loader.get_source(app.jinja_env, path)[0]
    for call in re.findall(r"(?:post_button|action_button)\((?:[^()]|\([^()]*\))*\)", source):
        if "Remove" in call or "Retire" in call:
            assert "confirm=" in call, call
