"""Issue 11: the content queue and its editor obey the owners' own visibility rules (a visit's purpose and
lessons only for the host and the visitors, as on the visit's page), for reading and for writing; every
kind of owner is listed with a link to its page, on every page of the queue."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from exchange.errors import Refusal
from exchange.visits.models import VisitText
from tests.fixtures.core import Actor, text_of

PURPOSE = "Hemligt syfte mellan Hiddenhausen och Kungälv"
LESSONS = "Lärdomar som bara värdarna och besökarna läser"


@pytest.fixture
def private_visit(make_visit, in_scope):
    """A visit hosted by Hiddenhausen with visitors from Kungälv, purpose and lessons written in Swedish:
    {"id": visit id, "purpose": text row id, "lessons": text row id}."""
    visit_id = make_visit("hiddenhausen", visitors=("kungalv",), purpose=PURPOSE, locale="sv", lessons=LESSONS)
    with in_scope("hiddenhausen") as session:
        rows = session.execute(select(VisitText.field, VisitText.id).where(
            VisitText.owner_id == visit_id, VisitText.status == "source")).all()
    return {"id": visit_id, **dict(rows)}


def visit_texts(in_scope, visit_id):
    with in_scope("kungalv") as session:
        return {(r.field, r.locale): r.text for r in session.scalars(select(VisitText).where(
            VisitText.owner_id == visit_id))}


@pytest.mark.parametrize("role", ["translator", "admin"])
def test_a_third_municipality_neither_lists_nor_reads_nor_writes_a_visits_texts(
        client, login_as, private_visit, in_scope, role, tr, visit_shapes):
    login_as("perano", role)
    # the visit's own page hides the purpose from Perano: the queue must not show more
    assert PURPOSE not in text_of(client.get(f"/perano/visits/{private_visit['id']}"))
    for url in ("/perano/workbench/queue?type=Visit", "/perano/workbench/queue", "/perano/workbench/queue?page=2"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/workbench/queue/Visit/" not in response.get_data(as_text=True), url
    assert tr("it", "%(num)d text waits for a translation.", "%(num)d texts wait for a translation.", 0) in \
        text_of(client.get("/perano/workbench/queue?type=Visit&lang=it"))
    for field in ("purpose", "lessons"):
        url = f"/perano/workbench/queue/Visit/{private_visit[field]}/it"
        assert client.get(url).status_code == 404
        assert client.get(f"/perano/workbench/queue/Visit/{private_visit[field]}/de").status_code == 404
        response = client.post(url, data={"text": "Sovrascritto", "snapshot": PURPOSE if field == "purpose" else LESSONS})
        assert response.status_code == 404
    assert visit_texts(in_scope, private_visit["id"]) == {("purpose", "sv"): PURPOSE, ("lessons", "sv"): LESSONS}


def test_the_host_and_the_visitors_translate_the_visit(client, login_as, private_visit, in_scope, visit_shapes):
    login_as("kungalv", "translator")
    html = client.get("/kungalv/workbench/queue?type=Visit").get_data(as_text=True)
    for field in ("purpose", "lessons"):
        assert f'href="/kungalv/workbench/queue/Visit/{private_visit[field]}/de"' in html
    assert f'href="/kungalv/visits/{private_visit["id"]}"' in html
    url = f"/kungalv/workbench/queue/Visit/{private_visit['purpose']}/de"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"text": "Geheimer Zweck", "snapshot": PURPOSE, "version": "0"}).status_code == 302
    client.post("/kungalv/logout")
    login_as("hiddenhausen", "translator")
    html = client.get("/hiddenhausen/workbench/queue?type=Visit").get_data(as_text=True)
    assert f"/Visit/{private_visit['lessons']}/de" in html and f"/Visit/{private_visit['purpose']}/de" not in html
    assert PURPOSE in text_of(client.get(f"/hiddenhausen/workbench/queue/Visit/{private_visit['purpose']}/it"))
    assert visit_texts(in_scope, private_visit["id"])[("purpose", "de")] == "Geheimer Zweck"


def test_the_dashboard_counts_only_readable_texts(client, login_as, private_visit, tr):
    login_as("perano", "translator")
    assert tr("it", "%(num)d text waits in the content queue.", "%(num)d texts wait in the content queue.", 0) in \
        text_of(client.get("/perano/?lang=it"))


def test_the_service_refuses_a_translator_who_may_not_read_the_texts(app, private_visit, in_scope, towns):
    from exchange.workbench.services import translate_content
    with in_scope("perano") as session:
        row = session.get(VisitText, private_visit["purpose"])
        with pytest.raises(Refusal) as refused:
            translate_content(row, "it", "Sovrascritto", Actor(towns["perano"], "Chiara"))
        assert refused.value.code == "not_allowed"
        session.rollback()


# --- every owner type, every page ----------------------------------------------------------------

@pytest.fixture
def one_of_each(make_project, make_org, make_visit, in_scope, towns, write_policy, make_call):
    """A text of every kind of owner in the queue, all readable by Hiddenhausen: {type: owner page path}."""
    from exchange.i18n.services import set_source
    from exchange.projects import services as project_services
    from exchange.projects.queries import get_project
    from exchange.visits import services as visit_services
    from exchange.visits.queries import visit_detail
    project_id = make_project("kungalv", status="proposed", title="Projekt för kön", participants=["perano"])
    with in_scope("perano") as session:
        participation = get_project(project_id).participation_of(towns["perano"])
        set_source(participation, "contribution", "Il nostro contributo", "it", Actor(towns["perano"], "Marco"))
        session.commit()
    with in_scope("kungalv") as session:
        project, author = get_project(project_id), Actor(towns["kungalv"], "Karin")
        project_services.add_milestone(project, author, "Förstudien klar", dt.date(2025, 6, 1), "sv")
        project_services.add_funding_line(project, author, towns["kungalv"], "municipal", "SEK", amount="100",
                                          note="Egen budget", locale="sv")
        project_services.add_contact(project, author, towns["kungalv"], "Karin Ek", "Projektledare", locale="sv")
        comment_id = project_services.add_comment(project, author, "Bra idé!", "sv").id
        session.commit()
    org_id = make_org("kungalv", "Föreningen Kön", description="Vi ordnar kurser.",
                      contact={"name": "Bo Ek", "role": "Ordförande"})
    visit_id = make_visit("hiddenhausen", visitors=("kungalv",), purpose="Besöket i kön", locale="sv",
                          participants=[("kungalv", "Åsa Öberg", "Kulturförvaltningen")],
                          follow_ups=[("Skicka rapporten", "", None)])
    with in_scope("hiddenhausen") as session:
        visit_services.add_agenda_item(visit_detail(visit_id), dt.date(2024, 5, 3), "Rundgang", "Rathaus", "de",
                                       Actor(towns["hiddenhausen"]))
        session.commit()
    with in_scope("kungalv") as session:
        visit_services.add_cost(visit_detail(visit_id), towns["kungalv"], "travel", "900", "SEK", "Flyg till Hannover",
                                Actor(towns["kungalv"]), lang="sv")
        session.commit()
    partner_id = make_org("perano", "Pro Loco della coda", locale="it")
    withdrawn_id = make_project("kungalv", status="proposed", title="Indraget projekt")
    with in_scope("kungalv") as session:
        from exchange.partners.models import Organisation
        from exchange.partners.services import invite_organisation
        author = Actor(towns["kungalv"], "Karin")
        invite_organisation(get_project(project_id), session.get(Organisation, partner_id), author, "expert",
                            "Vi bjuder in er.", "sv")
        project_services.change_status(get_project(withdrawn_id), author, "withdrawn", reason="Ändrade planer.",
                                       locale="sv")
        session.commit()
    write_policy("perano", "Le priorità della nostra politica.", "it")
    call_id = make_call("perano", title="Bando per la coda", locale="it")
    return {"CooperationProfile": "/perano/public/it/", "FundingCall": f"/hiddenhausen/calls/{call_id}",
            "Project": f"/hiddenhausen/projects/{project_id}",
            "ProjectParticipation": f"/hiddenhausen/projects/{project_id}",
            "Milestone": f"/hiddenhausen/projects/{project_id}#h-milestones",
            "FundingLine": f"/hiddenhausen/projects/{project_id}#h-funding",
            "ProjectContact": f"/hiddenhausen/projects/{project_id}#h-contacts",
            "ProjectComment": f"/hiddenhausen/projects/{project_id}#comment-{comment_id}",
            "Organisation": f"/hiddenhausen/partners/{org_id}",
            "OrganisationContact": f"/hiddenhausen/partners/{org_id}#h-contact",
            "Visit": f"/hiddenhausen/visits/{visit_id}",
            "AgendaItem": f"/hiddenhausen/visits/{visit_id}#programme",
            "Participant": f"/hiddenhausen/visits/{visit_id}#participants",
            "FollowUp": f"/hiddenhausen/visits/{visit_id}#follow-ups",
            "Cost": f"/hiddenhausen/visits/{visit_id}#costs",
            "ProjectEvent": f"/hiddenhausen/projects/{withdrawn_id}#h-history",
            "Partnership": f"/hiddenhausen/partners/projects/{project_id}#h-pending"}


def test_every_owner_type_is_listed_with_a_link_to_its_page(app, client, login_as, one_of_each):
    from exchange.workbench.display import OWNER_PAGES
    from exchange.workbench.queue import content_models, content_type
    assert sorted(content_type(m) for m in content_models()) == sorted(one_of_each) == sorted(OWNER_PAGES)
    login_as("hiddenhausen", "translator")
    for type_name, path in one_of_each.items():
        response = client.get(f"/hiddenhausen/workbench/queue?type={type_name}")
        assert response.status_code == 200, type_name
        html = response.get_data(as_text=True)
        assert f'href="{path}"' in html, type_name
        assert client.get(path).status_code == 200, path  # the link leads to the owner's page
        row_link = re.search(rf'href="(/hiddenhausen/workbench/queue/{type_name}/\d+/[a-z]+)"', html).group(1)
        assert client.get(row_link).status_code == 200, row_link


VISIT_KINDS = ("Visit", "AgendaItem", "Participant", "FollowUp", "Cost")  # a visit's texts and its children's


def test_a_visits_texts_and_its_childrens_are_listed_for_its_municipalities_only(client, login_as, one_of_each,
                                                                                visit_shapes):
    # the visit is Hiddenhausen's with visitors from Kungälv; Perano took no part
    for slug, listed in (("hiddenhausen", True), ("kungalv", True), ("perano", False)):
        login_as(slug, "translator")
        for type_name in VISIT_KINDS:
            html = client.get(f"/{slug}/workbench/queue?type={type_name}").get_data(as_text=True)
            assert (f"/{slug}/workbench/queue/{type_name}/" in html) is listed, (slug, type_name, visit_shapes)
        client.post(f"/{slug}/logout")


def test_the_kept_queue_statement_follows_the_shape_of_a_towns_visits(app, client, login_as, private_visit,
                                                                        count_queries):
    # The queue keeps its statements per process. A town's, built while it had few visits, reads its
    # texts from its own visits; once the town has many (FEW_VISITS 0 here), the kept statement must not
    # go on reading all of them: it is built anew, testing each text's visit.
    login_as("kungalv", "translator")

    def statements() -> str:
        with count_queries() as counter:
            assert client.get("/kungalv/workbench/queue?type=Visit").status_code == 200
        return " ".join(counter.statements)

    probe = "visit_municipalities.visit_id = visits.id"  # the per-visit test of the visitors
    assert probe not in statements()
    app.config["FEW_VISITS"] = 0
    try:
        assert probe in statements()
    finally:
        app.config.pop("FEW_VISITS")
    assert probe not in statements()


def test_owner_pages_name_registered_endpoints(app):
    from exchange.workbench.display import OWNER_PAGES
    for type_name, (endpoint, _arguments) in OWNER_PAGES.items():
        assert endpoint in app.view_functions, (type_name, endpoint)


def test_later_pages_of_the_queue(app, client, login_as, one_of_each, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login_as("hiddenhausen", "translator")
    seen = set()
    for page in range(1, 20):
        response = client.get(f"/hiddenhausen/workbench/queue?page={page}")
        assert response.status_code == 200, page
        seen.update(re.findall(r'href="/hiddenhausen/workbench/queue/([A-Za-z]+)/', response.get_data(as_text=True)))
    assert seen == set(one_of_each)
    for type_name in one_of_each:
        assert client.get(f"/hiddenhausen/workbench/queue?type={type_name}&page=2").status_code == 200


@pytest.mark.parametrize("query", ["page=%C2%B2", "page=1%C2%B2", "page=+", "page=-1", "page=" + "9" * 5000,
                                   "type=+", "source=%20", "target=", "type=Visit&type=", "page=99999999999"])
def test_hostile_queue_parameters_never_fail(client, login_as, query, one_of_each):
    login_as("hiddenhausen", "translator")
    assert client.get(f"/hiddenhausen/workbench/queue?{query}").status_code == 200


def test_a_changed_original_is_a_409_that_shows_both_versions_and_a_second_save_succeeds(
        client, login_as, make_project, in_scope, edit_source, tr):
    project_id = make_project("kungalv", status="proposed", description="Projektet startar i maj.")
    login_as("hiddenhausen", "translator", preferred_locale="de")
    with in_scope("kungalv") as session:
        from exchange.projects.models import ProjectText
        desc = session.scalar(select(ProjectText.id).where(ProjectText.project_id == project_id,
                                                          ProjectText.field == "description"))
    url = f"/hiddenhausen/workbench/queue/Project/{desc}/de"
    assert client.post(url, data={"text": "Das Projekt beginnt im Mai.",
                                  "snapshot": "Projektet startar i maj.", "version": "0"}).status_code == 302
    edit_source("kungalv", project_id, "description", "Projektet startar i juni.")
    response = client.post(url, data={"text": "Das Projekt beginnt im Juni.", "snapshot": "Projektet startar i maj."})
    assert response.status_code == 409
    page = text_of(response)
    assert tr("de", "Your input") in page and tr("de", "Saved version") in page
    assert "Das Projekt beginnt im Juni." in page and "Das Projekt beginnt im Mai." in page
    snapshot = re.search(r'name="snapshot"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="snapshot"',
                         response.get_data(as_text=True))
    assert "Projektet startar i juni." in snapshot.group(0)
    version = re.search(r'name="version"[^>]*value="(\d+)"', response.get_data(as_text=True)).group(1)
    assert client.post(url, data={"text": "Das Projekt beginnt im Juni.",
                                  "snapshot": "Projektet startar i juni.", "version": version}).status_code == 302



def test_the_queue_sends_the_same_statements_whichever_kinds_of_content_it_shows(client, login_as, one_of_each,
                                                                                  count_queries):
    """Issue 12: the rows shown are loaded in a fixed number of statements, not one (or three) per kind of
    content on the page: a page of one kind, of a kind named by its parent (a milestone by its project), of
    a kind whose owner is joined with its municipality, and of every kind cost the same."""
    login_as("hiddenhausen", "translator")
    counts = {}
    for type_name in ("Project", "Milestone", "Partnership", "CooperationProfile", ""):
        with count_queries() as counter:
            response = client.get(f"/hiddenhausen/workbench/queue?type={type_name}")
            assert response.status_code == 200
        assert "/hiddenhausen/workbench/queue/" in response.get_data(as_text=True), type_name  # rows shown
        counts[type_name or "every kind"] = counter.n
    assert len(set(counts.values())) == 1, counts
