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
