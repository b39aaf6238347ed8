"""Suggestions per partner need (issue 14, point 6): each need has its own group, in the need's role, so a
second need ("an expert from Italy") is never hidden behind the first; equal scores keep a stable, explained
order; another municipality's draft stays invisible."""
from __future__ import annotations

import re

from tests.fixtures.core import text_of
from tests.fixtures.partners import tourism


def test_every_need_gets_its_own_group_in_its_own_role(client, login_as, make_org, make_project, make_need, tr):
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism", "culture")))
    make_need(project_id, "hiddenhausen", theme_keys=("tourism",), role="co_applicant")
    make_need(project_id, "hiddenhausen", theme_keys=("culture",), role="expert", origin="country",
              origin_country="IT")
    make_org("kungalv", "Turistbyrån", type="association", offers=("tourism",))
    make_org("perano", "Museo Civico", type="association", offers=("culture",))
    make_org("kungalv", "Kulturhuset", type="association", offers=("culture",))  # not from Italy
    login_as("hiddenhausen", "coordinator")
    html = client.get(f"/hiddenhausen/partners/projects/{project_id}/suggestions?lang=de").get_data(as_text=True)
    sections = re.findall(r"<section aria-labelledby=\"need-\d+\">(.*?)</section>", html, re.S)
    assert len(sections) == 2
    first, second = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)) for s in sections)
    assert "Turistbyrån" in first and "Museo Civico" not in first
    assert "Museo Civico" in second and "Kulturhuset" not in second and "Turistbyrån" not in second
    assert tr("de", "Co-applicant") in first or "Mitantrag" in first
    expert = re.search(r"(\w[\w -]*)", tr("de", "Expert")).group(1)
    assert expert in second
    assert tr("de", "Equal scores are listed in alphabetical order of the organisations' names, so the order "
                    "never changes by chance.") in text_of_html(html)


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_equal_scores_are_ordered_by_name_stably(app, in_scope, make_org, make_project, make_need):
    from exchange.partners import queries
    project_id = make_project("hiddenhausen", **tourism())
    make_need(project_id, "hiddenhausen", theme_keys=("tourism",))
    for name in ("Zeta", "Alfa", "Mitte"):
        make_org("perano", name, type="association", offers=("tourism",))
    with in_scope("hiddenhausen"):
        project = queries.get_project(project_id)
        [(_need, rows)] = queries.suggestions_per_need(project, queries.needs_of_project(project_id))
        assert len({s.score for s, _o in rows}) == 1
        assert [o.name for _s, o in rows] == ["Alfa", "Mitte", "Zeta"]


def test_another_towns_draft_has_no_suggestions_page(client, login_as, make_project):
    project_id = make_project("kungalv", status="draft")
    login_as("perano", "coordinator")
    assert client.get(f"/perano/partners/projects/{project_id}/suggestions").status_code == 404
    assert "Solenergi" not in text_of(client.get("/perano/partners/"))


# --- organisations that fund are never co-applicants --------------------------------------------------

def test_a_funder_is_never_suggested_as_co_applicant_but_may_be_an_expert(app, in_scope, make_org, make_project,
                                                                         make_need):
    from exchange.partners import queries
    from exchange.partners.models import Organisation
    project_id = make_project("hiddenhausen", **tourism())
    make_need(project_id, "hiddenhausen", theme_keys=("tourism",), role="co_applicant")
    make_need(project_id, "hiddenhausen", theme_keys=("tourism",), role="expert")
    gal = make_org("perano", "GAL Costa dei Trabocchi", type="public_authority", offers=("tourism",))
    club = make_org("perano", "Pro Loco", type="association", offers=("tourism",))
    with in_scope("perano") as session:
        session.get(Organisation, gal).funder = True
        session.commit()
    with in_scope("hiddenhausen"):
        project = queries.get_project(project_id)
        (co, co_rows), (expert, expert_rows) = queries.suggestions_per_need(project,
                                                                           queries.needs_of_project(project_id))
        assert co.role == "co_applicant" and [o.id for _s, o in co_rows] == [club]
        assert expert.role == "expert" and {o.id for _s, o in expert_rows} == {gal, club}
        assert {s.role for s, _o in expert_rows} == {"expert"}


def test_a_funder_cannot_be_invited_or_offer_itself_as_co_applicant(in_scope, make_org, make_project, says, client,
                                                                     login_as):
    from exchange.errors import Refusal
    from exchange.partners import queries, services
    from exchange.partners.models import Organisation
    from tests.fixtures.core import actor_of
    project_id = make_project("hiddenhausen", **tourism())
    gal = make_org("perano", "GAL Costa dei Trabocchi", type="public_authority", offers=("tourism",))
    with in_scope("perano") as session:
        session.get(Organisation, gal).funder = True
        session.commit()
    with in_scope("hiddenhausen") as session:
        try:
            services.invite_organisation(queries.get_project(project_id), queries.get_organisation(gal),
                                         actor_of("hiddenhausen"), "co_applicant")
            raise AssertionError("a funder was invited as co-applicant")
        except Refusal as refusal:
            assert (refusal.code, refusal.field) == ("funder_not_co_applicant", "role")
        session.rollback()
    login_as("hiddenhausen", "coordinator")
    response = client.post(f"/hiddenhausen/partners/projects/{project_id}/invite/{gal}",
                           data={"role": "co_applicant", "need": "", "message": ""})
    assert response.status_code == 422
    assert says(response, "This organisation funds projects, so it cannot be a co-applicant. Choose another role.")
    assert client.post(f"/hiddenhausen/partners/projects/{project_id}/invite/{gal}",
                       data={"role": "expert", "need": "", "message": ""}).status_code == 302


def test_the_funder_flag_is_set_by_its_own_municipality_only(client, login_as, make_org, in_scope):
    from exchange.partners.models import Organisation
    gal = make_org("perano", "GAL Costa dei Trabocchi", type="public_authority", offers=("tourism",))
    login_as("perano", "staff")
    page = client.get(f"/perano/partners/{gal}/edit").get_data(as_text=True)
    assert 'name="funder"' in page and 'type="checkbox"' in page
    login_as("kungalv", "coordinator")
    assert client.get(f"/kungalv/partners/{gal}/edit").status_code == 403
    with in_scope("perano") as session:
        assert session.get(Organisation, gal).funder is False
