"""Two people work on the same partner need, organisation contact or partnership at once (issue 11
"Concurrency", DESIGN.md §4): the second save from the same form version is a 409 that keeps the input
and shows the saved version, and nothing is overwritten; buttons (remove a contact, add a contribution to
the funding plan) act only on the version the page showed. SQLite and PostgreSQL.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.fixtures.core import actor_of, text_of
from tests.fixtures.forms import submitted
from tests.fixtures.partners import tourism

CONFLICT = ("Someone else saved this in the meantime, so your changes have not been saved. Your input is kept "
            "below, beside the saved version: check it, then save again to keep your changes.")
ONE_CLICK_CONFLICT = ("Someone else saved this in the meantime, so your change has not been saved. Check the current "
                      "state below and try again.")


def _conflict_rows(html: str) -> dict[str, tuple[str, str]]:
    """The partner pages' conflict list: {label: (your input, the version saved now)}."""
    return {label: (yours, saved) for label, yours, saved in
            re.findall(r'<dt>([^<]+)</dt>\s*<dd>[^:<]*: ([^<]*)<br>[^:<]*: ([^<]*)</dd>', html)}


def test_the_second_save_of_a_partner_need_from_the_same_form_is_a_409(sign_in, make_project, make_need, in_scope,
                                                                       tr, says):
    from exchange.partners.models import PartnerNeed
    project_id = make_project("hiddenhausen", **tourism())
    need_id = make_need(project_id, "hiddenhausen", role="co_applicant")
    url = f"/hiddenhausen/partners/projects/{project_id}/needs/{need_id}"
    first, second = sign_in("hiddenhausen", "coordinator"), sign_in("hiddenhausen", "coordinator")
    opened = [submitted(c.get(url).get_data(as_text=True), f"/needs/{need_id}") for c in (first, second)]
    assert opened[0]["version"] == opened[1]["version"] == ["1"]
    assert first.post(url, data={**opened[0], "role": ["expert"]}).status_code == 302
    stale = second.post(url, data={**opened[1], "role": ["associate"]})
    assert stale.status_code == 409 and says(stale, CONFLICT)
    html = stale.get_data(as_text=True)
    yours, saved = _conflict_rows(html)[tr("de", "Role of the partner")]
    assert (yours, saved) == (tr("de", "Associate partner"), tr("de", "Expert"))
    assert submitted(html, f"/needs/{need_id}")["role"] == ["associate"]  # the input is kept
    with in_scope("hiddenhausen") as session:
        assert session.get(PartnerNeed, need_id).role == "expert"  # nothing overwritten
    # Removing the need from a page shown before the first save is stale too.
    page = first.get(f"/hiddenhausen/partners/projects/{project_id}").get_data(as_text=True)
    remove = submitted(page, f"/needs/{need_id}/delete")
    assert remove["version"] == ["2"]
    assert second.post(f"{url}/delete", data={**remove, "version": ["1"]}).status_code == 409
    with in_scope("hiddenhausen") as session:
        assert session.get(PartnerNeed, need_id) is not None
    assert second.post(f"{url}/delete", data=remove).status_code == 302


def test_removing_a_contact_person_changed_since_the_page_was_shown_is_a_409(sign_in, make_org, in_scope, says):
    from exchange.partners.models import Organisation, OrganisationContact
    org_id = make_org("kungalv", "Kungälvs Bostäder AB", contact={"name": "Karin Ek", "role": "VD"})
    with in_scope("kungalv") as session:
        contact_id = session.get(Organisation, org_id).contacts[0].id
    profile = f"/kungalv/partners/{org_id}"
    remover, editor = sign_in("kungalv", "staff"), sign_in("kungalv", "staff")
    button = submitted(remover.get(profile).get_data(as_text=True), f"/contacts/{contact_id}/delete")
    assert button["version"] == ["1"]  # the contact's own version
    # Meanwhile the other person corrects the contact through the organisation form.
    opened = submitted(editor.get(f"{profile}/edit").get_data(as_text=True), "/edit")
    assert editor.post(f"{profile}/edit", data={**opened, "contact_name": ["Karin Ek-Berg"]}).status_code == 302
    stale = remover.post(f"{profile}/contacts/{contact_id}/delete", data=button)
    assert stale.status_code == 409 and says(stale, ONE_CLICK_CONFLICT)
    assert "Karin Ek-Berg" in text_of(stale)  # the page shows the contact as saved now
    with in_scope("kungalv") as session:
        contact = session.get(OrganisationContact, contact_id)
        assert contact.name == "Karin Ek-Berg" and contact.version == 2
    fresh = submitted(stale.get_data(as_text=True), f"/contacts/{contact_id}/delete")
    assert fresh["version"] == ["2"]
    assert remover.post(f"{profile}/contacts/{contact_id}/delete", data=fresh).status_code == 302
    # A second removal of the same person finds nobody to remove.
    assert editor.post(f"{profile}/contacts/{contact_id}/delete", data=fresh).status_code == 404
    with in_scope("kungalv") as session:
        assert session.get(OrganisationContact, contact_id) is None


def _accepted_money_partner(make_org, make_project, in_scope) -> tuple[int, int]:
    from exchange.partners import queries, services
    org_id = make_org("perano", "Frantoio", type="business")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("perano") as session:
        link = services.express_interest(queries.get_project(project_id), queries.get_organisation(org_id),
                                         actor_of("perano"), "associate",
                                         services.ContributionInput("money", amount="2500", currency="EUR"))
        session.commit()
        link_id = link.id
    with in_scope("hiddenhausen") as session:
        services.answer(queries.get_partnership(link_id), actor_of("hiddenhausen"), True)
        session.commit()
    return project_id, link_id


def test_two_people_adding_the_same_contribution_to_the_funding_plan_add_it_once(sign_in, make_org, make_project,
                                                                                in_scope, says):
    from exchange.projects.models import FundingLine
    project_id, link_id = _accepted_money_partner(make_org, make_project, in_scope)
    page_url = f"/hiddenhausen/partners/projects/{project_id}"
    first, second = sign_in("hiddenhausen", "coordinator"), sign_in("hiddenhausen", "coordinator")
    buttons = [submitted(c.get(page_url).get_data(as_text=True), f"/partnerships/{link_id}/funding")
               for c in (first, second)]
    assert buttons[0]["version"] == buttons[1]["version"] == ["2"]
    url = f"/hiddenhausen/partners/partnerships/{link_id}/funding"
    assert first.post(url, data=buttons[0]).status_code == 302
    stale = second.post(url, data=buttons[1])
    assert stale.status_code == 409 and says(stale, ONE_CLICK_CONFLICT)
    with in_scope("hiddenhausen") as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(FundingLine)) == 1


def test_the_second_answer_to_the_same_interest_is_a_409(sign_in, make_org, make_project, in_scope, says, tr):
    from exchange.partners import queries, services
    from exchange.partners.models import Partnership
    org_id = make_org("perano", "Frantoio", type="business")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("perano") as session:
        link = services.express_interest(queries.get_project(project_id), queries.get_organisation(org_id),
                                         actor_of("perano"), "associate",
                                         services.ContributionInput("money", amount="2500", currency="EUR"))
        session.commit()
        link_id = link.id
    url = f"/hiddenhausen/partners/partnerships/{link_id}"
    first, second = sign_in("hiddenhausen", "coordinator"), sign_in("hiddenhausen", "coordinator")
    opened = [submitted(c.get(url).get_data(as_text=True), f"/partnerships/{link_id}") for c in (first, second)]
    assert first.post(url, data={**opened[0], "decision": ["accept"]}).status_code == 302
    stale = second.post(url, data={**opened[1], "decision": ["decline"], "reason": ["Schon vergeben."]})
    assert stale.status_code == 409 and says(stale, CONFLICT)
    assert "Schon vergeben." in stale.get_data(as_text=True)  # the input is kept
    yours, saved = _conflict_rows(stale.get_data(as_text=True))[tr("de", "Your answer")]
    assert (yours, saved) == (tr("de", "Decline"), tr("de", "Accept"))
    with in_scope("hiddenhausen") as session:
        link = session.get(Partnership, link_id)
        assert link.status == "accepted" and link.decision_reason == ""


@pytest.mark.committed
def test_a_contact_removal_racing_an_edit_fails_at_the_version_column(app, client, login_as, make_org, in_scope,
                                                                       monkeypatch, says):
    from exchange.extensions import db
    from exchange.partners.models import Organisation, OrganisationContact
    from exchange.partners.services import organisations as org_services
    org_id = make_org("kungalv", "Kungälvs Bostäder AB", contact={"name": "Karin Ek"})
    with in_scope("kungalv") as session:
        contact_id = session.get(Organisation, org_id).contacts[0].id
    login_as("kungalv", "staff")
    profile = f"/kungalv/partners/{org_id}"
    button = submitted(client.get(profile).get_data(as_text=True), f"/contacts/{contact_id}/delete")
    real_check = org_services.check_version

    def check_then_lose_the_race(obj, expected):
        real_check(obj, expected)
        with db.engine.begin() as conn:  # another worker renames the contact now
            conn.execute(sa.text("UPDATE organisation_contacts SET name = 'Karin Berg', version = version + 1 "
                                 "WHERE id = :id"), {"id": contact_id})

    monkeypatch.setattr(org_services, "check_version", check_then_lose_the_race)
    response = client.post(f"{profile}/contacts/{contact_id}/delete", data=button)
    assert response.status_code == 409 and says(response, ONE_CLICK_CONFLICT)
    with in_scope("kungalv") as session:
        contact = session.get(OrganisationContact, contact_id)
        assert contact is not None and contact.name == "Karin Berg"
