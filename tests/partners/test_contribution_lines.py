"""An organisation's contribution in the funding plan (issue 14, point 3): a line of the organisation's own
municipality, in that municipality's currency, valued at its own hourly rate; the visit cost form names every
funding line by municipality and amount, and no two choices read alike."""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from tests.fixtures.core import actor_of, text_of
from tests.fixtures.forms import submitted
from tests.fixtures.partners import tourism


def _accepted_hours(make_org, make_project, in_scope, hours="80"):
    """Pro Loco Perano offers voluntary hours to a Kungälv project, and Kungälv accepts."""
    from exchange.partners import queries, services
    org_id = make_org("perano", "Pro Loco Perano", type="association")
    project_id = make_project("kungalv", **tourism())
    with in_scope("perano") as session:
        link = services.express_interest(queries.get_project(project_id), queries.get_organisation(org_id),
                                         actor_of("perano"), "associate",
                                         services.ContributionInput("voluntary_work", hours=hours))
        session.commit()
        link_id = link.id
    with in_scope("kungalv") as session:
        services.answer(queries.get_partnership(link_id), actor_of("kungalv"), True)
        session.commit()
    return project_id, link_id


def test_perano_books_its_organisations_hours_as_its_own_line_in_euros(sign_in, make_org, make_project, in_scope,
                                                                       towns):
    from exchange.partners.models import Partnership
    from exchange.projects.models import FundingLine
    project_id, link_id = _accepted_hours(make_org, make_project, in_scope)
    perano = sign_in("perano", "staff")
    page = perano.get(f"/perano/partners/projects/{project_id}?lang=it").get_data(as_text=True)
    opened = submitted(page, f"/partnerships/{link_id}/funding")
    assert "(EUR)" in text_of_html(page)  # the hourly value is asked in Perano's currency
    response = perano.post(f"/perano/partners/partnerships/{link_id}/funding", data={**opened, "hourly_value": "12,50"})
    assert response.status_code == 302
    with in_scope("kungalv") as session:
        line = session.scalar(select(FundingLine))
        assert (line.municipality_id, line.currency, line.source) == (towns["perano"], "EUR", "voluntary_work")
        assert (line.hours, line.hourly_value, line.amount) == (Decimal("80.00"), Decimal("12.50"), Decimal("1000.00"))
        assert line.note == "Pro Loco Perano"
        assert session.get(Partnership, link_id).funding_line_id == line.id
    # On the project's page: a Perano line in euros, not a Kungälv line in kronor.
    kungalv = sign_in("kungalv", "coordinator")
    row = re.search(r"<tr>\s*<td>Perano</td>.*?</tr>",
                    kungalv.get(f"/kungalv/projects/{project_id}?lang=sv").get_data(as_text=True), re.S).group(0)
    assert "1\u00a0000,00\u00a0€" in row and "Pro Loco Perano" in row and "kr" not in row


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_third_municipality_cannot_book_it_and_a_second_click_is_a_conflict(sign_in, make_org, make_project,
                                                                              in_scope):
    from exchange.projects.models import FundingLine
    project_id, link_id = _accepted_hours(make_org, make_project, in_scope)
    url = f"/{{}}/partners/partnerships/{link_id}/funding"
    hidden = sign_in("hiddenhausen", "coordinator")
    assert hidden.post(url.format("hiddenhausen"), data={"hourly_value": "10", "version": "2"}).status_code in (403, 404)
    perano = sign_in("perano", "coordinator")
    opened = submitted(perano.get(f"/perano/partners/projects/{project_id}").get_data(as_text=True),
                       f"/partnerships/{link_id}/funding")
    assert perano.post(url.format("perano"), data={**opened, "hourly_value": "10"}).status_code == 302
    assert perano.post(url.format("perano"), data={**opened, "hourly_value": "10"}).status_code == 409
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(FundingLine)) == 1


def test_the_lead_may_remove_a_partner_line_of_a_municipality_that_does_not_take_part(sign_in, make_org,
                                                                                       make_project, in_scope):
    from exchange.partners import queries, services
    from exchange.projects.models import FundingLine
    project_id, link_id = _accepted_hours(make_org, make_project, in_scope)
    with in_scope("perano") as session:
        line = services.add_to_funding_plan(queries.get_partnership(link_id), actor_of("perano"), hourly_value="10")
        session.commit()
        line_id, version = line.id, line.version
    staff = sign_in("kungalv", "staff")
    assert staff.post(f"/kungalv/projects/{project_id}/plan/funding/{line_id}/delete",
                      data={"version": str(version), "confirmed": "yes"}).status_code == 403
    lead = sign_in("kungalv", "coordinator")
    assert lead.post(f"/kungalv/projects/{project_id}/plan/funding/{line_id}/delete",
                     data={"version": str(version), "confirmed": "yes"}).status_code == 302
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(FundingLine)) == 0


def test_the_cost_forms_funding_lines_name_municipality_and_amount_and_never_read_alike(
        client, login_as, make_project, make_visit, in_scope, towns):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed", participants=["perano"], title="Kulturutbyte")
    with in_scope("kungalv") as session:
        project = get_project(project_id)
        for _ in range(2):  # two identical lines: still two distinct choices
            services.add_funding_line(project, actor_of("kungalv"), by_slug("kungalv").id, "voluntary_work", "SEK",
                                      hours="10", hourly_value="250", note="")
        services.add_funding_line(project, actor_of("kungalv"), by_slug("perano").id, "voluntary_work", "EUR",
                                  hours="80", hourly_value="12", note="Pro Loco Perano", partner=True)
        session.commit()
    visit_id = make_visit("perano", visitors=("kungalv",), project_ids=[project_id])
    login_as("perano", "coordinator")
    html = client.get(f"/perano/visits/{visit_id}?lang=sv").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="cost-funding_line_id".*?</select>', html, re.S).group(0)
    labels = [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select_html)][1:]
    assert len(labels) == 3 and len(set(labels)) == 3
    assert any("Kungälv" in label and "2 500,00 kr" in label for label in labels), labels
    assert any("Perano" in label and "960,00 €" in label and "Pro Loco Perano" in label for label in labels)
