"""Request input through the kit (issue 11): blank members of multiple choices, whitespace-only selects
and tampered versions never reach ``int()`` (no 500 on SQLite or PostgreSQL); stale saves are 409 with
the user's input beside the saved version; confirmed actions carry the version; the CSV is streamed."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from exchange.partners.models import Organisation, OrganisationTheme, PartnerNeed, Partnership
from tests.fixtures.core import text_of
from tests.fixtures.forms import submitted
from tests.fixtures.partners import tourism
from tests.partners.test_views import need_form, org_form


def _count(in_scope, model, slug="kungalv") -> int:
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(model))


# --- blank members and whitespace-only selects --------------------------------------------------------

def test_a_blank_member_of_a_multiple_choice_is_no_choice(client, login_as, themes, in_scope):
    login_as("kungalv", "staff")
    data = org_form(themes, offers=[str(themes["tourism"]), ""], seeks=["", " "], languages=["sv", ""])
    response = client.post("/kungalv/partners/new", data=data)
    assert response.status_code == 302, text_of(response)
    with in_scope("kungalv") as session:
        kinds = session.execute(select(OrganisationTheme.kind, OrganisationTheme.theme_id)).all()
        assert kinds == [("offers", themes["tourism"])]


def test_only_blank_members_are_a_translated_error(client, login_as, themes, in_scope, says):
    login_as("kungalv", "staff")
    response = client.post("/kungalv/partners/new?lang=sv", data=org_form(themes, offers=["", " "]))
    assert response.status_code == 422
    assert 'id="offers-error"' in response.get_data(as_text=True)
    assert says(response, "Choose at least one theme the organisation can offer.")
    assert _count(in_scope, Organisation) == 0


def test_the_need_form_ignores_blank_members_and_blank_selects(sign_in, make_project, themes, in_scope):
    project_id = make_project("hiddenhausen", **tourism())
    client = sign_in("hiddenhausen", "coordinator")
    url = f"/hiddenhausen/partners/projects/{project_id}/needs/new"
    data = {**need_form(themes), "themes": [str(themes["tourism"]), ""], "types": ["association", ""],
            "origin_municipality": " "}
    response = client.post(url, data=data)
    assert response.status_code == 302, text_of(response)
    response = client.post(url, data={**need_form(themes), "themes": [""]})
    assert response.status_code == 422 and 'id="themes-error"' in response.get_data(as_text=True)
    response = client.post(url, data=need_form(themes, origin="municipality", origin_municipality=" "))
    assert response.status_code == 422
    assert 'id="origin_municipality-error"' in response.get_data(as_text=True)
    assert _count(in_scope, PartnerNeed, "hiddenhausen") == 1


def test_whitespace_only_filters_are_ignored(client, login_as, make_org):
    make_org("perano", "Frantoio Perano")
    make_org("kungalv", "Kungälvs förening")
    login_as("kungalv", "staff")
    for query in ["?theme=+", "?municipality=+", "?type=+&language=%20", "?theme_kind=+&municipality=%09"]:
        response = client.get("/kungalv/partners/" + query)
        assert response.status_code == 200, query
        assert "Frantoio Perano" in text_of(response) and "Kungälvs förening" in text_of(response), query
        assert client.get("/kungalv/partners/export.csv" + query).status_code == 200, query
    assert client.get("/kungalv/partners/?theme=abc").status_code == 422


def test_a_tampered_version_is_no_500(client, login_as, make_org, themes, in_scope):
    org_id = make_org("kungalv", "Förening")
    login_as("kungalv", "staff")
    for version in ["²", "1²", "9" * 5000, "-1", " "]:
        response = client.post(f"/kungalv/partners/{org_id}/edit", data=org_form(themes, version=version))
        assert response.status_code in (302, 409), version
        response = client.post(f"/kungalv/partners/{org_id}/confirm", data={"version": version})
        assert response.status_code in (302, 409), version


# --- conflicts ----------------------------------------------------------------------------------------

def test_a_stale_profile_save_shows_both_versions_and_a_second_save_wins(client, login_as, make_org, themes,
                                                                          in_scope, says):
    org_id = make_org("kungalv", "Gamla namnet")
    login_as("kungalv", "staff")
    assert client.post(f"/kungalv/partners/{org_id}/edit",
                       data=org_form(themes, name="Första", version="1")).status_code == 302
    stale = client.post(f"/kungalv/partners/{org_id}/edit", data=org_form(themes, name="Andra", version="1"))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert says(stale, "Your input") and says(stale, "The version saved now")
    assert "Andra" in text_of(stale) and "Första" in text_of(stale)
    saved_version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    assert saved_version == "2"
    with in_scope("kungalv") as session:
        assert session.get(Organisation, org_id).name == "Första"
    again = client.post(f"/kungalv/partners/{org_id}/edit",
                        data=org_form(themes, name="Andra", version=saved_version))
    assert again.status_code == 302
    with in_scope("kungalv") as session:
        assert session.get(Organisation, org_id).name == "Andra"


def test_stale_need_edits_and_deletes_are_conflicts(sign_in, make_project, make_need, themes, in_scope):
    project_id = make_project("hiddenhausen", **tourism())
    need_id = make_need(project_id, "hiddenhausen")
    client = sign_in("hiddenhausen", "coordinator")
    base = f"/hiddenhausen/partners/projects/{project_id}/needs/{need_id}"
    assert client.post(base, data=need_form(themes, role="expert", version="1")).status_code == 302
    stale = client.post(base, data=need_form(themes, role="host", version="1"))
    assert stale.status_code == 409
    assert client.post(base + "/delete", data={"version": "1"}).status_code == 409
    assert _count(in_scope, PartnerNeed, "hiddenhausen") == 1
    page = client.get(f"/hiddenhausen/partners/projects/{project_id}").get_data(as_text=True)
    version = re.search(rf'needs/{need_id}/delete"[^>]*>.*?name="version" value="(\d+)"', page, re.S).group(1)
    assert client.post(base + "/delete", data={"version": version}).status_code == 302
    assert _count(in_scope, PartnerNeed, "hiddenhausen") == 0
    # Another project's need is not found through this project.
    other = make_project("hiddenhausen", **tourism(title="Anderes"))
    other_need = make_need(other, "hiddenhausen")
    assert client.get(f"/hiddenhausen/partners/projects/{project_id}/needs/{other_need}").status_code == 404


def test_a_stale_answer_is_a_conflict(sign_in, make_org, make_project, in_scope):
    from exchange.partners import queries, services
    from tests.fixtures.core import actor_of
    org_id = make_org("perano", "Frantoio")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("hiddenhausen") as session:
        link = services.invite_organisation(queries.get_project(project_id), queries.get_organisation(org_id),
                                            actor_of("hiddenhausen"), "host")
        session.commit()
        link_id = link.id
    client = sign_in("perano", "coordinator")
    response = client.post(f"/perano/partners/partnerships/{link_id}",
                           data={"decision": "accept", "version": "7"})
    assert response.status_code == 409
    with in_scope("perano") as session:
        assert session.get(Partnership, link_id).status == "invited"


# --- the funding plan and the export ------------------------------------------------------------------

def test_adding_voluntary_hours_to_the_funding_plan_needs_an_hourly_value(sign_in, make_org, make_project,
                                                                          in_scope, says):
    from exchange.partners import queries, services
    from tests.fixtures.core import actor_of
    org_id = make_org("perano", "Circolo")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("perano") as session:
        link = services.express_interest(queries.get_project(project_id), queries.get_organisation(org_id),
                                         actor_of("perano"), "associate",
                                         services.ContributionInput("voluntary_work", hours="200"))
        session.commit()
        link_id = link.id
    with in_scope("hiddenhausen") as session:
        services.answer(queries.get_partnership(link_id), actor_of("hiddenhausen"), True)
        session.commit()
    client = sign_in("hiddenhausen", "coordinator")
    url = f"/hiddenhausen/partners/partnerships/{link_id}/funding"
    page = client.get(f"/hiddenhausen/partners/projects/{project_id}").get_data(as_text=True)
    opened = submitted(page, f"/partnerships/{link_id}/funding")  # with the partnership's version
    for bad in ["", "abc", "-5"]:
        response = client.post(url, data={**opened, "hourly_value": bad})
        assert response.status_code == 422, bad
        assert f'id="hourly-{link_id}-error"' in response.get_data(as_text=True), bad
    assert client.post(url, data={**opened, "hourly_value": "15"}).status_code == 302
    with in_scope("hiddenhausen") as session:
        assert session.get(Partnership, link_id).funding_line_id is not None
    # Once only: the same button again is stale (409); a hand-made request with the new version is refused.
    assert client.post(url, data={**opened, "hourly_value": "15"}).status_code == 409
    with in_scope("hiddenhausen") as session:
        current = str(session.get(Partnership, link_id).version)
    response = client.post(url, data={"hourly_value": "15", "version": current})
    assert response.status_code == 422
    assert says(response, "Only an accepted contribution of money or voluntary hours can be added to the "
                          "funding plan, once.")


def test_the_export_streams_every_row_in_batches(app, client, login_as, in_scope, themes):
    from tests.partners.test_queries import random_network
    random_network(app, in_scope, themes, 620, seed=3)
    login_as("kungalv", "staff")
    response = client.get("/kungalv/partners/export.csv?retired=y")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 1 + 620
    # 16 columns (the original language and the description in each of 3 languages), the separator a
    # Swedish spreadsheet expects
    assert lines[0].count(";") == 15
