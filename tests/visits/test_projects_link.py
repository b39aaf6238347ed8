"""Visits linked to joint development projects (exchange.projects) and costs paid from a funding line."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from exchange.errors import Refusal
from tests.fixtures.core import Actor, text_of


@pytest.fixture
def project_ids(in_scope, make_user):
    """A proposed Perano project with a EUR funding line, and a Kungälv draft (private to Kungälv)."""
    from exchange.auth.models import User
    from exchange.projects import services as projects
    coordinator = make_user("perano", "coordinator")
    swede = make_user("kungalv", "coordinator")
    with in_scope("perano") as session:
        user = session.get(User, coordinator.id)
        project = projects.create_project(user, projects.ProjectInput(
            locale="it", texts={"it": {"title": "Vie del vino", "summary": "S", "description": "D"}},
            priority_areas=["growth"]))
        projects.change_status(project, user, "proposed")
        line = projects.add_funding_line(project, user, project.lead_municipality_id, "eu_leader", "EUR",
                                         amount="5000")
        session.commit()
        published, line_id = project.id, line.id
    with in_scope("kungalv") as session:
        user = session.get(User, swede.id)
        draft = projects.create_project(user, projects.ProjectInput(
            locale="sv", texts={"sv": {"title": "Hemligt utkast", "summary": "S", "description": "D"}},
            priority_areas=["growth"]))
        session.commit()
        return {"published": published, "line": line_id, "draft": draft.id}


def test_link_projects_and_pay_a_cost_from_a_funding_line(make_visit, in_scope, towns, project_ids):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), project_ids=(project_ids["published"],))
    with in_scope("perano") as session:
        visit = visit_detail(visit_id)
        assert [p.id for p in visit.projects] == [project_ids["published"]]
        with pytest.raises(Refusal) as info:
            services.add_cost(visit, towns["perano"], "travel", "10", "SEK", "", Actor(towns["perano"]),
                              funding_line_id=project_ids["line"])
        assert info.value.code == "funding_currency"
        cost = services.add_cost(visit, towns["perano"], "travel", "10", "EUR", "", Actor(towns["perano"]),
                                 funding_line_id=project_ids["line"])
        session.commit()
        assert cost.funding_line.project_id == project_ids["published"]


def test_another_municipalitys_draft_cannot_be_linked(make_visit, in_scope, towns, project_ids):
    from exchange.visits import services
    # Perano cannot see Kungälv's draft: to Perano it does not exist.
    with in_scope("perano"):
        with pytest.raises(Refusal) as info:
            services.create_visit(services.VisitData(
                host_id=towns["perano"], visiting_ids={towns["kungalv"]}, start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2024, 1, 1), purpose="P", purpose_locale="it", project_ids={project_ids["draft"]}),
                Actor(towns["perano"]))
        assert (info.value.code, info.value.field) == ("unknown_choice", "project_ids")


def test_a_funding_line_of_an_unlinked_project_is_refused(make_visit, in_scope, towns, project_ids):
    from exchange.visits import services
    from exchange.visits.models import Cost
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",))
    with in_scope("perano") as session:
        with pytest.raises(Refusal) as info:
            services.add_cost(visit_detail(visit_id), towns["perano"], "travel", "10", "EUR", "",
                              Actor(towns["perano"]), funding_line_id=project_ids["line"])
        assert info.value.code == "unknown_choice"
        session.rollback()
        assert session.scalars(select(Cost)).all() == []


def test_list_filter_by_linked_project(client, login_as, make_visit, project_ids):
    make_visit("perano", visitors=("kungalv",), project_ids=(project_ids["published"],))
    make_visit("perano", visitors=("hiddenhausen",))
    login_as("hiddenhausen", "staff")
    import re
    page = text_of(client.get(f"/hiddenhausen/visits/?project={project_ids['published']}&lang=sv"))
    assert "Vie del vino" in page and "Kungälv" in page
    assert int(re.search(r"(\d+) (?:besök|visits?) ", page).group(1)) == 1


def test_a_co_editors_unchanged_save_keeps_the_link_to_a_draft_they_cannot_see(client, login_as, make_visit,
                                                                              in_scope, project_ids):
    """Issue 11: Hiddenhausen's coordinator opens a visit linked to Kungälv's never-proposed draft and
    saves it untouched; the link stays (an editor adds or removes only links to projects they see)."""
    from exchange.visits.queries import visit_detail
    from tests.fixtures.forms import submitted
    visit_id = make_visit("kungalv", visitors=("hiddenhausen",),
                          project_ids=(project_ids["draft"], project_ids["published"]))
    login_as("hiddenhausen", "coordinator")
    opened = client.get(f"/hiddenhausen/visits/{visit_id}/edit").get_data(as_text=True)
    import re
    assert "Hemligt utkast" not in opened
    assert re.findall(r'name="project_ids"[^>]*value="(\d+)"', opened) == [str(project_ids["published"])]
    data = submitted(opened, "/edit")
    assert data["project_ids"] == [str(project_ids["published"])]
    assert client.post(f"/hiddenhausen/visits/{visit_id}/edit", data=data).status_code == 302
    with in_scope("kungalv"):
        assert {link.project_id for link in visit_detail(visit_id).project_links} == {
            project_ids["draft"], project_ids["published"]}
    # Unticking the project they see removes that link only; the draft's link still stays.
    data = submitted(client.get(f"/hiddenhausen/visits/{visit_id}/edit").get_data(as_text=True), "/edit")
    data["project_ids"] = []
    assert client.post(f"/hiddenhausen/visits/{visit_id}/edit", data=data).status_code == 302
    with in_scope("kungalv"):
        assert [link.project_id for link in visit_detail(visit_id).project_links] == [project_ids["draft"]]
    # And the draft cannot be linked by its id from outside Kungälv.
    data = submitted(client.get(f"/hiddenhausen/visits/{visit_id}/edit").get_data(as_text=True), "/edit")
    data["project_ids"] = [str(project_ids["draft"])]
    assert client.post(f"/hiddenhausen/visits/{visit_id}/edit", data=data).status_code == 422


def test_the_service_keeps_links_the_editor_cannot_see(make_visit, in_scope, towns, project_ids):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("kungalv", visitors=("hiddenhausen",), project_ids=(project_ids["draft"],))
    with in_scope("hiddenhausen") as session:
        visit = visit_detail(visit_id)
        assert visit.projects == []  # hidden from Hiddenhausen
        data = services.VisitData(host_id=towns["kungalv"], visiting_ids={towns["hiddenhausen"]},
                                  start_date=visit.start_date, end_date=visit.end_date, status="completed",
                                  purpose="Neuer Zweck", purpose_locale="de", project_ids=set())
        services.update_visit(visit, data, visit.version, Actor(towns["hiddenhausen"]))
        session.commit()
    with in_scope("kungalv"):
        assert [p.id for p in visit_detail(visit_id).projects] == [project_ids["draft"]]
