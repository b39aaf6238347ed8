"""The signed-in side of the public pages: the policy text (admins and coordinators), the open-data
licence (admins), and who publishes a project and a visit's lessons learned."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.fixtures.core import text_of
from tests.fixtures.public import POLICY_DE, POLICY_SV

NEW_POLICY = "Vi prioriterar klimat och näringsliv i vänortssamarbetet."


def _policy_version(in_scope, slug="kungalv"):
    from exchange.cooperation.models import CooperationProfile
    with in_scope(slug) as session:
        profile = session.scalar(select(CooperationProfile))
        return profile.version if profile else ""


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_admins_and_coordinators_write_the_policy(client, sign_in, in_scope, role, says):
    editor = sign_in("kungalv", role)
    page = editor.get("/kungalv/cooperation/")
    assert page.status_code == 200
    assert 'href="/kungalv/public/de/"' in page.get_data(as_text=True)
    response = editor.post("/kungalv/cooperation/policy", data={"policy": POLICY_SV, "locale": "sv", "version": ""})
    assert response.status_code == 302
    assert POLICY_SV in text_of(client.get("/kungalv/public/sv/"))
    assert says(editor.get("/kungalv/cooperation/"), "The policy priorities have been saved.")


def test_editing_the_original_hides_the_outdated_translation_from_the_public(client, sign_in, write_policy, in_scope):
    write_policy("kungalv", POLICY_SV, "sv", {"de": (POLICY_DE, True)})
    assert POLICY_DE in text_of(client.get("/kungalv/public/de/"))
    editor = sign_in("kungalv", "coordinator")
    response = editor.post("/kungalv/cooperation/policy",
                           data={"policy": NEW_POLICY, "locale": "sv", "version": _policy_version(in_scope)})
    assert response.status_code == 302
    german = text_of(client.get("/kungalv/public/de/"))
    assert NEW_POLICY in german and POLICY_DE not in german
    # The translators see the German version as outdated on the management page.
    assert "outdated" in editor.get("/kungalv/cooperation/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "translator"])
def test_other_roles_may_not_edit(sign_in, role):
    client = sign_in("kungalv", role)
    assert client.get("/kungalv/cooperation/").status_code == 403
    assert client.post("/kungalv/cooperation/policy", data={"policy": "x", "locale": "sv"}).status_code == 403
    assert client.post("/kungalv/cooperation/licence", data={"licence": "cc0-1.0"}).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/kungalv/cooperation/").status_code == 302


@pytest.mark.parametrize("data", [
    {"policy": "", "locale": "sv"},
    {"policy": "   ", "locale": "sv"},
    {"policy": "x" * 20001, "locale": "sv"},
    {"policy": "Text\x00with NUL", "locale": "sv"},
    {"policy": "Text", "locale": "en"},
    {"policy": "Text", "locale": ""},
])
def test_bad_policy_input_is_refused_and_nothing_saved(client, sign_in, in_scope, data, tr):
    editor = sign_in("perano", "coordinator")
    response = editor.post("/perano/cooperation/policy", data={**data, "version": ""})
    assert response.status_code == 422
    assert tr("it", "Please correct the marked fields.") in text_of(response)
    assert _policy_version(in_scope, "perano") == ""
    assert "Text" not in text_of(client.get("/perano/public/it/"))


def test_a_stale_policy_save_is_a_conflict(sign_in, write_policy, in_scope):
    write_policy("kungalv", POLICY_SV, "sv")
    stale = _policy_version(in_scope)
    first, second = sign_in("kungalv", "coordinator"), sign_in("kungalv", "admin")
    assert first.post("/kungalv/cooperation/policy",
                      data={"policy": NEW_POLICY, "locale": "sv", "version": stale}).status_code == 302
    response = second.post("/kungalv/cooperation/policy", data={"policy": "Annat", "locale": "sv", "version": stale})
    assert response.status_code == 409
    assert NEW_POLICY in text_of(response)  # the saved version, beside the input


def test_admins_choose_the_licence(client, sign_in, in_scope):
    admin = sign_in("hiddenhausen", "admin")
    assert client.get("/hiddenhausen/public/data/projects.json").get_json()["licence"]["id"] == "CC-BY-4.0"
    response = admin.post("/hiddenhausen/cooperation/licence", data={"licence": "cc0-1.0", "version": ""})
    assert response.status_code == 302
    data = client.get("/hiddenhausen/public/data/visits.csv")
    assert data.get_data(as_text=True).startswith("\ufeffid,")
    assert data.headers["Link"] == '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
    assert client.get("/api/v1/municipalities/hiddenhausen").get_json()["licence"]["id"] == "CC0-1.0"
    refused = admin.post("/hiddenhausen/cooperation/licence", data={"licence": "all-rights-reserved", "version": ""})
    assert refused.status_code == 422, refused.location
    coordinator = sign_in("hiddenhausen", "coordinator")
    assert coordinator.post("/hiddenhausen/cooperation/licence", data={"licence": "cc-by-4.0"}).status_code == 403
    assert 'name="licence"' not in coordinator.get("/hiddenhausen/cooperation/").get_data(as_text=True)


# --- publishing a project and a visit's lessons ------------------------------------------------------

def _version(in_scope, slug, project_id):
    from exchange.projects.queries import get_project
    with in_scope(slug):
        return get_project(project_id).version


def test_the_lead_coordinator_publishes_and_withdraws_a_project(client, sign_in, make_project, in_scope, says):
    project_id = make_project("kungalv", status="proposed", title="Gemensamt cykelprojekt")
    coordinator = sign_in("kungalv", "coordinator")
    assert "set_public" not in client.get(f"/kungalv/public/sv/projects/{project_id}").get_data(as_text=True)
    assert client.get(f"/kungalv/public/sv/projects/{project_id}").status_code == 404
    page = coordinator.get(f"/kungalv/projects/{project_id}")
    assert f'action="/kungalv/projects/{project_id}/public"' in page.get_data(as_text=True)
    response = coordinator.post(f"/kungalv/projects/{project_id}/public",
                                data={"public": "1", "version": _version(in_scope, "kungalv", project_id)})
    assert response.status_code == 302
    assert client.get(f"/kungalv/public/sv/projects/{project_id}").status_code == 200
    assert says(coordinator.get(f"/kungalv/projects/{project_id}"), "The project is now shown on the public pages.")
    response = coordinator.post(f"/kungalv/projects/{project_id}/public",
                                data={"public": "0", "version": _version(in_scope, "kungalv", project_id)})
    assert response.status_code == 302
    assert client.get(f"/kungalv/public/sv/projects/{project_id}").status_code == 404


def test_who_may_not_publish_a_project(sign_in, make_project, in_scope):
    project_id = make_project("kungalv", status="active", participants=["perano"])
    draft_id = make_project("kungalv")
    version = _version(in_scope, "kungalv", project_id)
    assert sign_in("kungalv", "staff").post(f"/kungalv/projects/{project_id}/public",
                                             data={"public": "1", "version": version}).status_code == 403
    assert sign_in("perano", "coordinator").post(f"/perano/projects/{project_id}/public",
                                                  data={"public": "1", "version": version}).status_code == 403
    assert sign_in("hiddenhausen", "coordinator").post(f"/hiddenhausen/projects/{draft_id}/public",
                                                        data={"public": "1"}).status_code == 404
    lead = sign_in("kungalv", "coordinator")
    assert lead.post(f"/kungalv/projects/{draft_id}/public", data={"public": "1"}).status_code == 403
    # A stale form (someone changed the project since) is a conflict, nothing published.
    response = lead.post(f"/kungalv/projects/{project_id}/public", data={"public": "1", "version": str(version - 1)})
    assert response.status_code == 409
    from exchange.projects.queries import get_project
    with in_scope("kungalv"):
        assert get_project(project_id).public is False


def test_the_service_refuses_a_draft(in_scope, make_project):
    from exchange.errors import Refusal
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import actor_of
    draft_id = make_project("kungalv")
    with in_scope("kungalv"):
        with pytest.raises(Refusal) as refused:
            services.set_public(get_project(draft_id), actor_of("kungalv"), True)
        assert refused.value.code == "not_publishable"


def test_coordinators_of_the_visit_publish_its_lessons(client, sign_in, make_visit, in_scope):
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), status="completed", lessons="Lärdom för alla.")
    planned_id = make_visit("perano", visitors=("kungalv",), status="confirmed", lessons="Inte än.")
    assert "Lärdom för alla." not in text_of(client.get("/kungalv/public/sv/visits/"))
    with in_scope("kungalv"):
        version = visit_detail(visit_id).version
    visitor = sign_in("kungalv", "coordinator")
    assert visitor.post(f"/kungalv/visits/{visit_id}/lessons/public",
                        data={"public": "1", "version": version}).status_code == 302
    assert "Lärdom för alla." in text_of(client.get("/kungalv/public/sv/visits/"))
    assert "Lärdom för alla." in text_of(client.get("/perano/public/it/visits/"))
    assert sign_in("kungalv", "staff").post(f"/kungalv/visits/{visit_id}/lessons/public",
                                            data={"public": "0", "version": version + 1}).status_code == 403
    assert sign_in("hiddenhausen", "coordinator").post(f"/hiddenhausen/visits/{visit_id}/lessons/public",
                                                       data={"public": "0"}).status_code == 403
    assert visitor.post(f"/kungalv/visits/{planned_id}/lessons/public", data={"public": "1"}).status_code == 403


def test_translators_of_every_town_translate_the_policy(sign_in, write_policy, in_scope, client):
    """The policy text goes through the shared content mechanism: a Perano translator finds Kungälv's in the
    queue, with a link to the page the text is shown on, and opens it in the editor."""
    from exchange.cooperation.models import CooperationText
    write_policy("kungalv", POLICY_SV, "sv")
    translator = sign_in("perano", "translator")
    queue = translator.get("/perano/workbench/queue?target=it")
    assert queue.status_code == 200
    assert 'href="/kungalv/public/sv/"' in queue.get_data(as_text=True)
    with in_scope("kungalv") as session:
        row_id = session.scalar(select(CooperationText.id).where(CooperationText.status == "source"))
    editor = translator.get(f"/perano/workbench/queue/CooperationProfile/{row_id}/it")
    assert editor.status_code == 200 and POLICY_SV in text_of(editor)
