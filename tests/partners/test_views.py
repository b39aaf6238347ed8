"""The partner pages through the test client: happy paths, permissions (403 / 404), bad input (422, a
translated error beside the field, nothing saved), contact details and exports, the workflow."""
from __future__ import annotations

from tests.fixtures.partners import tourism
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from exchange.partners.models import Organisation, Partnership, PartnerNeed
from tests.fixtures.core import text_of


def count(in_scope, model, slug="kungalv") -> int:
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(model))


def org_form(themes, **overrides) -> dict:
    data = {"name": "Kungälvs Bostäder AB", "type": "municipal_company", "description_locale": "sv",
            "description": "Kommunalt bostadsbolag.", "website": "https://example.se",
            "offers": [str(themes["climate-energy"])], "seeks": [str(themes["digitalisation"])],
            "languages": ["sv", "en"], "contact_name": "Karin Ek", "contact_role": "VD",
            "contact_email": "karin@example.se", "contact_phone": "0303-123"}
    data.update(overrides)
    return data


def test_pages_need_a_signed_in_user(client, make_org):
    org_id = make_org("perano", "Frantoio")
    for url in ["/kungalv/partners/", f"/kungalv/partners/{org_id}", "/kungalv/partners/export.csv"]:
        response = client.get(url)
        assert response.status_code == 302 and "/kungalv/login" in response.headers["Location"]


def test_register_and_show_a_profile(client, login_as, themes, in_scope):
    login_as("kungalv", "staff")
    response = client.post("/kungalv/partners/new", data=org_form(themes))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    text = text_of(page)
    for expected in ["Kungälvs Bostäder AB", "Kommunalt bostadsbolag.", "Klimat och energi", "Digitalisering",
                     "Karin Ek", "karin@example.se", "Engelska, Svenska"]:
        assert expected in text, expected
    assert 'lang="sv"' in page.get_data(as_text=True)


@pytest.mark.parametrize("type_value", ["individual", "private_person"])
def test_a_crafted_private_person_is_refused_with_the_leader_explanation(client, login_as, themes, in_scope,
                                                                         type_value):
    login_as("kungalv", "staff")
    response = client.post("/kungalv/partners/new", data=org_form(themes, type=type_value))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="type-error"' in html and "LEADER" in html and "enskilda personer inte beviljas stöd" in text_of(response)
    assert count(in_scope, Organisation) == 0


@pytest.mark.parametrize("field, value, message", [
    ("name", "Bad\x00name", "Remove the invisible control characters"),
    ("name", "x" * 201, "at most 200"),
    ("name", "", "This field is required"),
    ("offers", "abc", "Choose one of the offered options"),
    ("offers", "99999", "Choose one of the offered options"),
    ("languages", "tlh", "Choose one of the offered options"),
    ("description_locale", "fr", "Choose one of the offered options"),
    ("description", "d" * 5001, "at most 5000"),
    ("website", "ftp://example", "full web address"),
    ("contact_email", "no-at-sign", "valid e-mail"),
    ("contact_name", "", "Give the contact person's name"),
    ("type", "", "Choose the type"),
])
def test_bad_input_is_a_translated_error_beside_the_field(client, login_as, themes, in_scope, field, value,
                                                          message):
    login_as("kungalv", "staff", preferred_locale="sv")
    response = client.post("/kungalv/partners/new?lang=sv", data=org_form(themes, **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error and error.group(1).strip(), field
    # Our own message (or its translation), never WTForms' built-in English one or a raw placeholder.
    text = error.group(1)
    assert "Not a valid choice" not in text and "Invalid choice" not in text and "%(" not in text
    with_english_ui = message in text
    assert with_english_ui or text != message  # the msgid until the catalogs translate it
    assert count(in_scope, Organisation) == 0


def test_editing_is_for_the_owning_municipality_only(client, login_as, make_org, themes):
    org_id = make_org("perano", "Frantoio")
    login_as("kungalv", "coordinator")
    assert client.get(f"/kungalv/partners/{org_id}").status_code == 200
    assert client.get(f"/kungalv/partners/{org_id}/edit").status_code == 403
    assert client.post(f"/kungalv/partners/{org_id}/edit", data=org_form(themes)).status_code == 403
    assert client.post(f"/kungalv/partners/{org_id}/retire").status_code == 403
    assert client.get("/kungalv/partners/999999").status_code == 404


def test_translators_and_admins_do_not_register(client, login_as, themes):
    login_as("kungalv", "translator", "admin")
    assert client.get("/kungalv/partners/new").status_code == 403
    assert client.post("/kungalv/partners/new", data=org_form(themes)).status_code == 403


def test_a_stale_save_is_refused_as_a_conflict(client, login_as, make_org, themes, in_scope):
    org_id = make_org("kungalv", "Gamla namnet")
    login_as("kungalv", "staff")
    first = client.post(f"/kungalv/partners/{org_id}/edit", data=org_form(themes, name="Första", version="1"))
    assert first.status_code == 302
    second = client.post(f"/kungalv/partners/{org_id}/edit", data=org_form(themes, name="Andra", version="1"))
    assert second.status_code == 409
    assert "Someone else saved" in text_of(second) or "någon annan" in text_of(second).lower()
    with in_scope("kungalv") as session:
        assert session.get(Organisation, org_id).name == "Första"


def test_contact_people_are_exported_only_to_their_own_municipality(client, login_as, make_org, make_user):
    make_org("perano", "Frantoio", contact={"name": "Maria Rossi", "email": "maria@example.it"})
    make_org("kungalv", "Bostäder", contact={"name": "Karin Ek", "email": "karin@example.se"})
    login_as("kungalv", "staff")
    csv_text = client.get("/kungalv/partners/export.csv").get_data(as_text=True)
    assert "Frantoio" in csv_text and "Bostäder" in csv_text
    assert "Karin Ek" in csv_text and "karin@example.se" in csv_text
    assert "Maria Rossi" not in csv_text and "maria@example.it" not in csv_text
    # On the profile page a signed-in user of another municipality does see the contact person.
    page = client.get("/kungalv/partners/?q=Frantoio")
    assert "Frantoio" in text_of(page)


def test_the_directory_searches_and_refuses_bad_filters(client, login_as, make_org):
    make_org("perano", "Frantoio Perano", description="Olio extravergine.", locale="it")
    make_org("kungalv", "Ölands förening")
    login_as("kungalv", "staff")
    assert "Frantoio Perano" in text_of(client.get("/kungalv/partners/?q=olio"))
    assert "Ölands" not in text_of(client.get("/kungalv/partners/?q=olio"))
    for bad in ["?theme=abc", "?type=individual", "?municipality=999", "?q=%00", "?q=" + "x" * 101]:
        assert client.get("/kungalv/partners/" + bad).status_code == 422, bad


# --- needs --------------------------------------------------------------------------------------------

def need_form(themes, **overrides) -> dict:
    data = {"role": "co_applicant", "themes": [str(themes["tourism"])], "types": ["association", "business"],
            "origin": "any"}
    data.update(overrides)
    return data


def test_needs_are_edited_by_whoever_edits_the_project(sign_in, make_project, themes, in_scope):
    project_id = make_project("hiddenhausen", **tourism(participants=("perano",), leader_funding=True))
    draft_id = make_project("hiddenhausen", **tourism(status="draft"))
    client = sign_in("perano", "coordinator")
    assert client.post(f"/perano/partners/projects/{project_id}/needs/new", data=need_form(themes)).status_code == 403
    assert client.get(f"/perano/partners/projects/{draft_id}").status_code == 404
    client = sign_in("hiddenhausen", "staff")
    # Lead staff edit a draft's needs only (as they edit the draft itself).
    assert client.post(f"/hiddenhausen/partners/projects/{project_id}/needs/new",
                       data=need_form(themes)).status_code == 403
    assert client.post(f"/hiddenhausen/partners/projects/{draft_id}/needs/new",
                       data=need_form(themes)).status_code == 302
    client = sign_in("hiddenhausen", "coordinator")
    response = client.post(f"/hiddenhausen/partners/projects/{project_id}/needs/new",
                           data=need_form(themes, types=["association", "individual"]))
    assert response.status_code == 422 and "LEADER" in text_of(response)
    response = client.post(f"/hiddenhausen/partners/projects/{project_id}/needs/new",
                           data=need_form(themes, origin="municipality"))
    assert response.status_code == 422 and 'id="origin_municipality-error"' in response.get_data(as_text=True)
    assert count(in_scope, PartnerNeed, "hiddenhausen") == 1
    assert client.post(f"/hiddenhausen/partners/projects/{project_id}/needs/new",
                       data=need_form(themes)).status_code == 302
    assert count(in_scope, PartnerNeed, "hiddenhausen") == 2


# --- suggestions and the workflow ---------------------------------------------------------------------

def test_invitation_workflow(sign_in, make_org, make_project, make_need, in_scope):
    org_id = make_org("perano", "Cooperativa Olearia", type="business", offers=("tourism", "rural-development"),
                      languages=("it", "de"))
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism",)))
    make_need(project_id, "hiddenhausen", theme_keys=("tourism", "rural-development"))
    client = sign_in("hiddenhausen", "coordinator")
    page = client.get(f"/hiddenhausen/partners/projects/{project_id}/suggestions?lang=de")
    text = text_of(page)
    for expected in ["Cooperativa Olearia", "Tourismus", "Ländliche Entwicklung", "Perano", "Deutsch"]:
        assert expected in text, expected
    response = client.post(f"/hiddenhausen/partners/projects/{project_id}/invite/{org_id}",
                           data={"role": "co_applicant", "need": "", "message": "Wir freuen uns!"})
    assert response.status_code == 302
    assert "Cooperativa Olearia" in text_of(client.get(response.headers["Location"]))  # listed as invited
    # The invited organisation is not suggested again; the organisation's municipality must answer.
    assert "Cooperativa Olearia" not in text_of(client.get(f"/hiddenhausen/partners/projects/{project_id}/suggestions"))
    with in_scope("perano") as session:
        link_id = session.scalar(select(Partnership.id))
    assert client.get(f"/hiddenhausen/partners/partnerships/{link_id}").status_code == 403

    client = sign_in("perano", "staff")
    assert client.get(f"/perano/partners/partnerships/{link_id}").status_code == 403
    client = sign_in("perano", "coordinator")
    dashboard = text_of(client.get("/perano/?lang=it"))
    assert "Cooperativa Olearia" in dashboard
    response = client.post(f"/perano/partners/partnerships/{link_id}", data={"decision": "decline", "reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    response = client.post(f"/perano/partners/partnerships/{link_id}",
                           data={"decision": "accept", "contribution_kind": "voluntary_work",
                                 "contribution_hours": "abc", "version": "1"})
    assert response.status_code == 422 and 'id="contribution_hours-error"' in response.get_data(as_text=True)
    response = client.post(f"/perano/partners/partnerships/{link_id}",
                           data={"decision": "accept", "contribution_kind": "voluntary_work",
                                 "contribution_hours": "80", "version": "1"})
    assert response.status_code == 302
    partners = text_of(client.get(f"/perano/partners/projects/{project_id}"))
    assert "Cooperativa Olearia" in partners and "80" in partners
    assert "Cooperativa Olearia" not in text_of(client.get("/perano/"))


def test_interest_workflow(sign_in, make_org, make_project, in_scope):
    org_id = make_org("kungalv", "Kungälvs Bostäder", type="municipal_company", offers=("tourism",))
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism",)))
    client = sign_in("perano", "staff")
    assert client.get(f"/perano/partners/projects/{project_id}/interest").status_code == 403  # no organisations
    client = sign_in("kungalv", "staff")
    response = client.post(f"/kungalv/partners/projects/{project_id}/interest",
                           data={"organisation": str(org_id), "role": "expert", "contribution_kind": "money",
                                 "contribution_amount": "-1", "contribution_currency": "SEK"})
    assert response.status_code == 422 and 'id="contribution_amount-error"' in response.get_data(as_text=True)
    assert count(in_scope, Partnership, "kungalv") == 0
    response = client.post(f"/kungalv/partners/projects/{project_id}/interest",
                           data={"organisation": str(org_id), "role": "expert", "contribution_kind": "money",
                                 "contribution_amount": "25000", "contribution_currency": "SEK",
                                 "message": "Vi vill gärna vara med."})
    assert response.status_code == 302
    client = sign_in("hiddenhausen", "coordinator")
    assert "Kungälvs Bostäder" in text_of(client.get("/hiddenhausen/"))
    with in_scope("hiddenhausen") as session:
        link_id = session.scalar(select(Partnership.id))
    response = client.post(f"/hiddenhausen/partners/partnerships/{link_id}",
                           data={"decision": "decline", "reason": "Schon vergeben.", "version": "1"})
    assert response.status_code == 302
    with in_scope("hiddenhausen") as session:
        assert session.get(Partnership, link_id).status == "declined"


def test_stale_profiles_are_on_the_dashboard_to_confirm(sign_in, make_org, in_scope):
    org_id = make_org("kungalv", "Gammal förening", confirmed=dt.date.today() - dt.timedelta(days=400))
    make_org("perano", "Vecchia", confirmed=dt.date.today() - dt.timedelta(days=400))
    client = sign_in("kungalv", "staff")
    page = client.get("/kungalv/")
    dashboard = text_of(page)
    assert "Gammal förening" in dashboard and "Vecchia" not in dashboard
    version = re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True)).group(1)
    stale = client.post(f"/kungalv/partners/{org_id}/confirm", data={"version": "0", "back": "dashboard"})
    assert stale.status_code == 409 and "panel-partners-stale" in client.get("/kungalv/").get_data(as_text=True)
    response = client.post(f"/kungalv/partners/{org_id}/confirm", data={"version": version, "back": "dashboard"})
    assert response.status_code == 302
    assert "panel-partners-stale" not in client.get("/kungalv/").get_data(as_text=True)
    client = sign_in("perano", "translator")
    assert "Vecchia" not in text_of(client.get("/perano/"))
