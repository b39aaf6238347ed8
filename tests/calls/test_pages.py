"""The calls pages: the list (filters, pagination, exports), a call's page, the call form (who may, bad
input, stale saves, history), linking projects and the rules check on the project page."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exchange.calls.models import CallRevision, FundingCall, ProjectCall
from tests.fixtures.calls import in_days
from tests.fixtures.core import actor_of, text_of
from tests.fixtures.forms import submitted


def _count(in_scope, model, slug="kungalv") -> int:
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(model))


def _form(client, url: str, marker: str = "") -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:2000]
    return submitted(r.get_data(as_text=True), marker)


def _valid(themes) -> dict:
    return {"title": "CERV Town Twinning 2027", "description": "Möten mellan vänorter.", "locale": "sv",
            "programme": "cerv_twinning", "official_url": "https://ec.europa.eu/info/funding-tenders/",
            "opens_on": in_days(-5).isoformat(), "closes_on": in_days(40).isoformat(), "closes_time": "17:00",
            "timezone": "Europe/Brussels", "applicant_types": ["municipality", "association"],
            "countries": ["SE", "DE", "IT"], "themes": [str(themes["culture"])], "min_partners": "2",
            "min_countries": "2", "max_aid_intensity": "90", "min_grant": "", "max_grant": "30 000",
            "currency": "EUR"}


# --- the list ---------------------------------------------------------------------------------------

def test_list_shows_current_calls_and_filters_them(client, login_as, make_call, themes):
    make_call(title="Leader Sydväst", closes_in=20)
    make_call(title="Erasmus+ KA2", programme="erasmus", currency="EUR", timezone="Europe/Brussels",
              closes_in=80, theme_keys=("schools-youth",))
    make_call(title="Kommande utlysning", opens_in=5, closes_in=60)
    make_call(title="Stängd utlysning", opens_in=-60, closes_in=-1)
    login_as("perano", "staff")
    page = text_of(client.get("/perano/calls/"))
    assert "Leader Sydväst" in page and "Erasmus+ KA2" in page and "Kommande utlysning" in page
    assert "Stängd utlysning" not in page
    # ordered by deadline
    assert page.index("Leader Sydväst") < page.index("Kommande utlysning") < page.index("Erasmus+ KA2")
    only_erasmus = text_of(client.get("/perano/calls/?programme=erasmus"))
    assert "Erasmus+ KA2" in only_erasmus and "Leader Sydväst" not in only_erasmus
    by_theme = text_of(client.get(f"/perano/calls/?theme={themes['schools-youth']}"))
    assert "Erasmus+ KA2" in by_theme and "Leader Sydväst" not in by_theme
    open_now = text_of(client.get("/perano/calls/?state=open"))
    assert "Kommande utlysning" not in open_now and "Leader Sydväst" in open_now
    closing = text_of(client.get("/perano/calls/?closing_within=30"))
    assert "Leader Sydväst" in closing and "Erasmus+ KA2" not in closing
    closed = text_of(client.get("/perano/calls/?state=closed"))
    assert "Stängd utlysning" in closed and "Leader Sydväst" not in closed
    r = client.get("/perano/calls/?programme=nonsense&closing_within=%00")
    assert r.status_code == 422 and "Leader Sydväst" in text_of(r)


def test_list_paginates(app, client, login_as, make_call):
    for n in range(app.config["PAGE_SIZE"] + 2):
        make_call(title=f"Utlysning nummer {n:02d}", closes_in=10 + n)
    login_as("kungalv", "staff")
    first, second = text_of(client.get("/kungalv/calls/")), text_of(client.get("/kungalv/calls/?page=2"))
    assert "Utlysning nummer 00" in first and "Utlysning nummer 00" not in second
    assert f"Utlysning nummer {app.config['PAGE_SIZE'] + 1:02d}" in second


def test_csv_and_xlsx_exports_follow_the_filters(client, login_as, make_call):
    import openpyxl
    make_call(title="Leader Sydväst", max_aid_intensity="60")
    make_call(title="Erasmus+ KA2", programme="erasmus", currency="EUR", timezone="Europe/Brussels")
    login_as("hiddenhausen", "staff")
    r = client.get("/hiddenhausen/calls/export.csv?programme=leader")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True)
    text = text.lstrip("\ufeff")  # the BOM that tells Excel the file is UTF-8
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    assert rows[0][:2] == ["id", "title"]
    assert [row[1] for row in rows[1:]] == ["Leader Sydväst"]
    assert rows[1][rows[0].index("max_aid_intensity")] == "60.00"
    r = client.get("/hiddenhausen/calls/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(r.get_data())).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["Erasmus+ KA2", "Leader Sydväst"]


# --- the form: who may, what is kept ------------------------------------------------------------------

@pytest.mark.parametrize("roles", [("staff",), ("translator",)])
def test_staff_and_translators_read_but_do_not_edit(client, login_as, make_call, themes, in_scope, roles):
    call_id = make_call()
    login_as("perano", *roles)
    assert client.get("/perano/calls/").status_code == 200
    assert client.get(f"/perano/calls/{call_id}").status_code == 200
    assert client.get("/perano/calls/new").status_code == 403
    assert client.get(f"/perano/calls/{call_id}/edit").status_code == 403
    assert client.post("/perano/calls/new", data=_valid(themes)).status_code == 403
    assert client.post(f"/perano/calls/{call_id}/edit", data=_valid(themes)).status_code == 403
    assert _count(in_scope, FundingCall) == 1


def test_signed_out_is_sent_to_sign_in(client, make_call):
    call_id = make_call()
    assert client.get(f"/kungalv/calls/{call_id}").status_code == 302


def test_coordinator_adds_a_call_closing_17_brussels_time(client, login_as, themes, in_scope, towns, says):
    login_as("hiddenhausen", "coordinator")
    r = client.post("/hiddenhausen/calls/new", data=_valid(themes))
    assert r.status_code == 302, text_of(client.get(r.location))
    with in_scope("kungalv") as session:  # shared: another town reads it too
        call = session.scalars(select(FundingCall)).one()
        assert call.owner_municipality_id == towns["hiddenhausen"]
        assert call.closes_local.time() == dt.time(17, 0) and call.timezone == "Europe/Brussels"
        assert call.closes_utc.time() in (dt.time(15, 0), dt.time(16, 0))  # CEST or CET
        assert call.max_grant == Decimal("30000.00") and call.countries == ["DE", "IT", "SE"]
        assert [r.action for r in call.revisions] == ["created"]
        call_id = call.id
    page = client.get(r.location)
    assert "17:00" in text_of(page) and "Brüssel" in text_of(page)  # the German reader sees the city's name
    assert "Hiddenhausen" in text_of(page)


def test_any_towns_coordinator_edits_and_history_is_kept(client, sign_in, make_call, themes, in_scope, towns):
    call_id = make_call("kungalv", title="Leader Sydväst")
    admin = sign_in("perano", "coordinator")
    data = _form(admin, f"/perano/calls/{call_id}/edit", "edit")
    data.update({"title": ["Leader Sydväst 2027"], "max_aid_intensity": ["60"]})
    r = admin.post(f"/perano/calls/{call_id}/edit", data=data)
    assert r.status_code == 302
    with in_scope("hiddenhausen") as session:
        call = session.get(FundingCall, call_id)
        assert call.owner_municipality_id == towns["kungalv"]  # the owner stays
        assert call.plain("title", "sv") == "Leader Sydväst 2027" and call.version == 2
        newest, first = call.revisions
        assert (newest.action, newest.actor_municipality_id, newest.version) == ("edited", towns["perano"], 2)
        assert newest.changes["title"] == ["Leader Sydväst", "Leader Sydväst 2027"]
        assert newest.changes["max_aid_intensity"] == [None, "60"]
        assert first.action == "created"
    page = text_of(admin.get(f"/perano/calls/{call_id}"))
    assert "Perano" in page and "Kungälv" in page
    # Saving the same form again changes nothing: no new version, no new history line.
    data["version"] = ["2"]
    assert admin.post(f"/perano/calls/{call_id}/edit", data=data).status_code == 302
    assert _count(in_scope, CallRevision) == 2


def test_stale_save_is_a_conflict_and_saves_nothing(client, sign_in, make_call, in_scope):
    call_id = make_call(title="Leader Sydväst")
    first, second = sign_in("kungalv", "coordinator"), sign_in("perano", "admin")
    old = _form(second, f"/perano/calls/{call_id}/edit", "edit")
    data = _form(first, f"/kungalv/calls/{call_id}/edit", "edit")
    data["title"] = ["Första ändringen"]
    assert first.post(f"/kungalv/calls/{call_id}/edit", data=data).status_code == 302
    old["title"] = ["Andra ändringen"]
    r = second.post(f"/perano/calls/{call_id}/edit", data=old)
    assert r.status_code == 409
    assert "Första ändringen" in text_of(r)  # the saved version beside the user's input
    with in_scope("kungalv") as session:
        assert session.get(FundingCall, call_id).plain("title", "sv") == "Första ändringen"


@pytest.mark.parametrize(("changes", "field_marker"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "Nul\x00byte"}, "title"),
    ({"description": "y" * 5001}, "description"),
    ({"closes_on": "2020-01-01"}, "closes_on"),
    ({"closes_on": "not a date"}, "closes_on"),
    ({"closes_time": "25:99"}, "closes_time"),
    ({"official_url": "javascript:alert(1)"}, "official_url"),
    ({"themes": ["999999"]}, "themes"),
    ({"countries": ["XX"]}, "countries"),
    ({"applicant_types": ["individual"]}, "applicant_types"),
    ({"max_aid_intensity": "120"}, "max_aid_intensity"),
    ({"max_aid_intensity": "0"}, "max_aid_intensity"),
    ({"min_grant": "50 000", "max_grant": "10 000"}, "max_grant"),
    ({"min_partners": "zwei"}, "min_partners"),
    ({"min_partners": "99999999999999999999"}, "min_partners"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"programme": "horizon"}, "programme"),
    ({"currency": "XYZ"}, "currency"),
    ({"version": "1²"}, None),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, login_as, themes, in_scope, changes,
                                                                   field_marker):
    login_as("kungalv", "coordinator")
    data = {**_valid(themes), **changes}
    r = client.post("/kungalv/calls/new", data=data)
    assert r.status_code == 422, (changes, r.status_code)
    html = r.get_data(as_text=True)
    if field_marker:
        assert f'id="{field_marker}-error"' in html or f'id="{field_marker}-0-error"' in html, changes
    assert _count(in_scope, FundingCall) == 0
    assert _count(in_scope, CallRevision) == 0


def test_error_messages_are_translated(client, login_as, themes, says):
    login_as("perano", "coordinator", preferred_locale="it")
    r = client.post("/perano/calls/new", data={**_valid(themes), "min_partners": "tre"})
    assert r.status_code == 422
    assert says(r, "Enter a whole number between %(low)d and %(high)d.", low=1, high=500)


# --- links and the rules check -------------------------------------------------------------------------

def _funded_project(make_project, in_scope, lead="kungalv", **kw):
    """A proposed project of ``lead`` with 68 000 from LEADER and 32 000 municipal money (68 %)."""
    from exchange.projects import services
    from exchange.projects.queries import get_project
    project_id = make_project(lead, status="proposed", title="Ängar och bin", **kw)
    with in_scope(lead) as session:
        project = get_project(project_id)
        actor = actor_of(lead)
        services.add_funding_line(project, actor, project.lead_municipality_id, "eu_leader", "SEK", amount="68000")
        services.add_funding_line(project, actor, project.lead_municipality_id, "municipal", "SEK", amount="32000")
        services.add_funding_line(project, actor, project.lead_municipality_id, "voluntary_work", "SEK", hours="200",
                                  hourly_value="250")
        session.commit()
    return project_id


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_lead_coordinator_links_and_sees_the_rules_check_in_their_language(app, client, login_as, make_call,
                                                                         make_project, in_scope, tr, locale):
    from flask_babel import force_locale

    from exchange.i18n.formatting import money, number
    call_id = make_call(title="Leader Sydväst", max_aid_intensity="60", voluntary_work_counts=True,
                        voluntary_hourly_value="250")
    project_id = _funded_project(make_project, in_scope)
    login_as("kungalv", "coordinator", preferred_locale=locale)
    assert "Ängar och bin" in text_of(client.get(f"/kungalv/calls/{call_id}"))  # offered, and fits
    r = client.post(f"/kungalv/calls/{call_id}/link", data={"project": str(project_id)})
    assert r.status_code == 302
    page = text_of(client.get(f"/kungalv/projects/{project_id}"))
    # 68 000 of 100 000 money + 50 000 voluntary work counted = 45.3 %: within 60 %.
    with app.test_request_context("/"), force_locale(locale):
        share, rate, value = number(Decimal("45.3")), money(Decimal(250), "SEK"), money(Decimal(50000), "SEK")
    assert tr(locale, "aid intensity %(share)s %% ≤ %(max)s %% allowed", share=share, max="60") in page, page
    assert tr(locale, "voluntary work %(hours)s h counted at %(rate)s/h = %(value)s", hours="200",
              rate=rate, value=value) in page


def test_failing_rules_are_explained(client, login_as, make_call, make_project, in_scope, tr):
    call_id = make_call(title="Leader Sydväst", max_aid_intensity="60", min_countries=2)
    project_id = _funded_project(make_project, in_scope)
    with in_scope("kungalv") as session:
        from exchange.calls import services
        from exchange.projects.queries import get_project
        services.link_project(get_project(project_id), session.get(FundingCall, call_id), actor_of("kungalv"))
        session.commit()
    login_as("kungalv", "staff", preferred_locale="sv")
    page = text_of(client.get(f"/kungalv/projects/{project_id}"))
    assert tr("sv", "aid intensity %(share)s %% > %(max)s %% allowed", share="68", max="60") in page
    assert tr("sv", "voluntary work (%(hours)s h) does not count as co-financing in this call", hours="200") in page
    assert tr("sv", "needs partners from %(num)d country, has %(count)d",
              "needs partners from %(num)d countries, has %(count)d", 2, count=1) in page
    # Staff read the check but cannot unlink.
    assert "/unlink" not in client.get(f"/kungalv/projects/{project_id}").get_data(as_text=True)


def test_plan_in_another_currency_is_unknown_with_the_reason(client, login_as, make_call, make_project, in_scope, tr):
    call_id = make_call(title="CERV Town Twinning", programme="cerv_twinning", currency="EUR",
                        timezone="Europe/Brussels", max_aid_intensity="90")
    project_id = _funded_project(make_project, in_scope)  # SEK
    with in_scope("kungalv") as session:
        from exchange.calls import services
        from exchange.projects.queries import get_project
        services.link_project(get_project(project_id), session.get(FundingCall, call_id), actor_of("kungalv"))
        session.commit()
    login_as("kungalv", "coordinator", preferred_locale="de")
    page = text_of(client.get(f"/kungalv/projects/{project_id}"))
    assert tr("de", "the plan has amounts in %(currencies)s, the call counts only %(currency)s: convert them in the "
                    "plan to check this rule", currencies="SEK", currency="EUR") in page


def test_who_may_link(client, sign_in, make_call, make_project, in_scope):
    call_id = make_call()
    project_id = make_project("kungalv", status="proposed")
    other_draft = make_project("perano", status="draft", title="Bozza segreta", locale="it")
    staff, foreign, lead = (sign_in("kungalv", "staff"), sign_in("perano", "coordinator"),
                            sign_in("kungalv", "coordinator"))
    assert staff.post(f"/kungalv/calls/{call_id}/link", data={"project": project_id}).status_code == 403
    # Perano's coordinator may link Perano's projects, not Kungälv's: not among the choices.
    assert foreign.post(f"/perano/calls/{call_id}/link", data={"project": project_id}).status_code == 422
    # Kungälv cannot even see Perano's draft (not offered, not linked, not in the fit list).
    assert lead.post(f"/kungalv/calls/{call_id}/link", data={"project": other_draft}).status_code == 422
    assert "Bozza segreta" not in text_of(lead.get(f"/kungalv/calls/{call_id}"))
    assert _count(in_scope, ProjectCall) == 0
    assert lead.post(f"/kungalv/calls/{call_id}/link", data={"project": project_id}).status_code == 302
    assert lead.post(f"/kungalv/calls/{call_id}/link", data={"project": project_id}).status_code == 422  # twice
    assert _count(in_scope, ProjectCall) == 1
    assert foreign.post(f"/perano/calls/{call_id}/projects/{project_id}/unlink").status_code == 403
    assert lead.post(f"/kungalv/calls/{call_id}/projects/{project_id}/unlink").status_code == 302
    assert _count(in_scope, ProjectCall) == 0


def test_closed_calls_cannot_be_linked(client, login_as, make_call, make_project, in_scope):
    call_id = make_call(opens_in=-40, closes_in=-1)
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    assert client.post(f"/kungalv/calls/{call_id}/link", data={"project": project_id}).status_code == 422
    assert _count(in_scope, ProjectCall) == 0


def test_calls_this_project_could_apply_to(client, login_as, make_call, make_project, themes):
    make_call(title="Passande utlysning", theme_keys=("climate-energy",), countries=["SE", "DE"], closes_in=25)
    make_call(title="Annat tema", theme_keys=("culture",))
    make_call(title="Stängd men passande", theme_keys=("climate-energy",), opens_in=-50, closes_in=-2)
    make_call(title="Bara Italien", theme_keys=("climate-energy",), countries=["IT"])
    project_id = make_project("kungalv", status="proposed")  # climate-energy
    login_as("kungalv", "coordinator", preferred_locale="sv")
    page = text_of(client.get(f"/kungalv/projects/{project_id}"))
    section = page[page.index("Calls this project could apply to") if "Calls this project could apply to" in page else 0:]
    assert "Passande utlysning" in page
    assert "Annat tema" not in page and "Stängd men passande" not in page and "Bara Italien" not in page
    assert "25" in section


def test_projects_that_fit_this_call(client, login_as, make_call, make_project):
    call_id = make_call(title="Leader Sydväst", theme_keys=("climate-energy",))
    make_project("kungalv", status="proposed", title="Solceller i Kungälv")
    make_project("hiddenhausen", status="proposed", title="Kulturabende", locale="de", theme_keys=("culture",))
    login_as("perano", "staff")
    page = text_of(client.get(f"/perano/calls/{call_id}"))
    assert "Solceller i Kungälv" in page and "Kulturabende" not in page


def test_the_list_and_a_call_page_take_a_bounded_number_of_queries(client, login_as, make_call, count_queries):
    login_as("kungalv", "staff")
    make_call(title="En")
    with count_queries() as few:
        client.get("/kungalv/calls/")
    for n in range(8):
        make_call(title=f"Fler {n}")
    with count_queries() as many:
        client.get("/kungalv/calls/")
    assert many.n == few.n


def test_fitting_projects_are_ranked_by_shared_themes_and_keep_other_drafts_private(client, login_as, make_call,
                                                                                   make_project):
    """The fitting projects are weighed from plain rows (issue 12): the one sharing both of the call's themes
    first, a project sharing none left out, another municipality's draft never shown, a country outside
    the call's left out (its lead and participants are the applicants)."""
    call_id = make_call(title="Leader Sydväst", theme_keys=("climate-energy", "culture"), countries=["SE", "IT"])
    make_project("kungalv", status="proposed", title="Solceller", theme_keys=("climate-energy",))
    make_project("perano", status="proposed", title="Sole e cultura", locale="it",
                 theme_keys=("climate-energy", "culture"))
    make_project("kungalv", status="proposed", title="Skolmat", theme_keys=("schools-youth",))
    make_project("perano", status="draft", title="Bozza segreta", locale="it", theme_keys=("culture",))
    make_project("hiddenhausen", status="proposed", title="Kulturabende", locale="de", theme_keys=("culture",))
    make_project("hiddenhausen", status="proposed", title="Kultur mit Kungälv", locale="de", theme_keys=("culture",),
                 participants=("kungalv",))
    login_as("kungalv", "staff")
    page = text_of(client.get(f"/kungalv/calls/{call_id}"))
    fitting = page[page.index("Sole e cultura"):]
    assert fitting.index("Sole e cultura") < fitting.index("Solceller")
    assert "Kultur mit Kungälv" in fitting
    assert "Skolmat" not in fitting and "Bozza segreta" not in page and "Kulturabende" not in fitting
