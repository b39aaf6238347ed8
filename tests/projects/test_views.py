"""Project pages: the list, detail, form, lifecycle and joining through the browser-facing views."""
from __future__ import annotations

import csv
import re

from sqlalchemy import func, select

from tests.fixtures.core import text_of


def _html(response) -> str:
    return response.get_data(as_text=True)


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def _form(themes, /, **overrides) -> dict:
    data = {"locale": "sv", "title_sv": "Solenergi på skolorna", "summary_sv": "Skolor delar erfarenheter.",
            "description_sv": "", "priority_areas": ["own_operations"], "themes": [str(themes["climate-energy"])],
            "start_date": "2025-01-01", "end_date": "2025-12-31"}
    data.update(overrides)
    return data


def _count_projects(in_scope, slug="kungalv") -> int:
    from exchange.projects.models import Project
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(Project))


# --- happy paths ---------------------------------------------------------------------------------

def test_staff_drafts_a_project_and_sees_it_on_the_list(client, login_as, themes, in_scope):
    login_as("kungalv", "staff")
    page = client.get("/kungalv/projects/new")
    assert page.status_code == 200
    assert 'lang="it"' in _html(page)  # one block of fields per language, each with its lang
    response = client.post("/kungalv/projects/new", data=_form(themes, title_it="Energia solare nelle scuole"))
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    assert '<span lang="sv">Solenergi på skolorna</span>' in _html(detail)
    listing = client.get("/kungalv/projects/")
    assert "Solenergi på skolorna" in text_of(listing)
    assert _count_projects(in_scope) == 1


def test_reader_with_another_language_sees_the_original_with_a_note(client, login_as, make_project):
    project_id = make_project("kungalv", status="proposed", title="Solenergi på skolorna")
    login_as("perano", "coordinator", preferred_locale="it")
    page = client.get(f"/perano/projects/{project_id}")
    assert page.status_code == 200
    html = _html(page)
    assert '<html lang="it">' in html
    assert '<span lang="sv">Solenergi på skolorna</span>' in html
    assert 'class="content-note"' in html


def test_side_by_side_marks_each_language(client, login_as, make_project, in_scope, themes):
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", title="Solenergi", translations={"it": {"title": "Energia solare"}})
    with in_scope("kungalv") as session:
        project = get_project(project_id)
        data = services.ProjectInput(locale="sv", texts={"sv": {"title": "Solenergi i skolan"}},
                                     priority_areas=["growth"], theme_ids=[themes["tourism"]])
        services.update_project(project, Actor(project.lead_municipality_id, "Editor"), data, project.version)
        session.commit()
    login_as("kungalv", "staff", preferred_locale="de")
    page = client.get(f"/kungalv/projects/{project_id}/languages")
    assert page.status_code == 200
    html = _html(page)
    assert re.search(r'id="v-title-sv">Schwedisch <span class="mark mark-source">', html)
    assert "mark mark-outdated" in html    # the Italian title, made from the old original
    assert "mark mark-missing" in html     # no German title at all
    assert '<div class="content" lang="it">' in html


def test_lifecycle_through_the_detail_page(client, login_as, make_project, in_scope):
    project_id = make_project("kungalv")
    login_as("kungalv", "coordinator")
    page = client.get(f"/kungalv/projects/{project_id}")
    version = _version(_html(page))
    response = client.post(f"/kungalv/projects/{project_id}/status", data={"status": "proposed", "version": version})
    assert response.status_code == 302
    page = client.get(f"/kungalv/projects/{project_id}")
    assert "proposed" in _html(page) and "badge-proposed" in _html(page)
    # Withdrawing without a reason: a translated error beside the field, nothing changed.
    version = _version(_html(page))
    response = client.post(f"/kungalv/projects/{project_id}/status", data={"status": "withdrawn", "version": version})
    assert response.status_code == 422
    assert 'id="reason-error"' in _html(response)
    from exchange.projects.queries import get_project
    with in_scope("kungalv"):
        assert get_project(project_id).status == "proposed"


def test_ask_to_join_and_the_lead_accepts(app, client, make_user, make_project):
    from tests.fixtures.core import login
    project_id = make_project("kungalv", status="proposed")
    perano = make_user("perano", "coordinator")
    kungalv = make_user("kungalv", "coordinator")
    login(client, perano)
    assert client.post(f"/perano/projects/{project_id}/join", data={"message": "Vorremmo partecipare"}).status_code == 302
    client.post("/perano/logout")
    login(client, kungalv)
    dashboard = client.get("/kungalv/")
    assert "Perano" in text_of(dashboard)  # the pending request is on the lead's dashboard
    page = _html(client.get(f"/kungalv/projects/{project_id}"))
    action = re.search(r'action="(/kungalv/projects/\d+/participations/\d+/decide)"', page).group(1)
    response = client.post(action, data={"decision": "accept", "version": "1"})
    assert response.status_code == 302
    page = text_of(client.get(f"/kungalv/projects/{project_id}"))
    assert "Deltagande kommuner Perano" in page
    client.post("/kungalv/logout")
    login(client, perano)
    assert "Comuni partecipanti Perano" in text_of(client.get(f"/perano/projects/{project_id}"))


def test_invitation_shows_on_the_invited_dashboard(client, login_as, make_project, in_scope):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed", title="Kulturutbyte")
    with in_scope("kungalv") as session:
        services.invite(get_project(project_id), by_slug("hiddenhausen"), Actor(by_slug("kungalv").id, "Johan"))
        session.commit()
    login_as("hiddenhausen", "coordinator")
    dashboard = client.get("/hiddenhausen/")
    assert "Kulturutbyte" in text_of(dashboard)


def test_comments_are_escaped_and_carry_their_language(client, login_as, make_project):
    project_id = make_project("kungalv", status="proposed")
    login_as("hiddenhausen", "staff")
    response = client.post(f"/hiddenhausen/projects/{project_id}/comments",
                           data={"body": "<script>alert(1)</script> Gute Idee!"})
    assert response.status_code == 302
    html = _html(client.get(f"/hiddenhausen/projects/{project_id}"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert re.search(r'<div class="content" lang="de"><p>&lt;script&gt;', html)


def test_participant_adds_own_funding_line_and_contact(client, login_as, make_project, in_scope):
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    login_as("perano", "staff")
    assert client.get(f"/perano/projects/{project_id}/plan").status_code == 200
    response = client.post(f"/perano/projects/{project_id}/plan/funding",
                           data={"source": "voluntary_work", "currency": "EUR", "hours": "120",
                                 "hourly_value": "15,50", "note": "Associazione Pro Loco"})
    assert response.status_code == 302, text_of(response)
    response = client.post(f"/perano/projects/{project_id}/plan/contacts",
                           data={"name": "Giulia Russo", "email": "giulia@perano.example"})
    assert response.status_code == 302
    page = text_of(client.get(f"/perano/projects/{project_id}"))
    assert "1.860,00" in page  # 120 × 15.50 in Italian format
    assert "Giulia Russo" in page


def test_csv_has_one_column_per_language_and_no_contacts(client, login_as, make_project):
    make_project("kungalv", status="proposed", title="Solenergi", translations={"de": {"title": "Solarenergie"}})
    make_project("perano", status="proposed", title="=HYPERLINK(\"x\")", locale="it")
    login_as("hiddenhausen", "staff")
    response = client.get("/hiddenhausen/projects/export.csv?sort=title")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    header = next(csv.reader(lines[:1], delimiter=";"))  # the reader's list separator (German: ";")
    assert {"Titel (Schwedisch)", "Titel (Deutsch)", "Titel (Italienisch)", "Zusammenfassung (Schwedisch)",
            "Zusammenfassung (Deutsch)", "Zusammenfassung (Italienisch)"} <= set(header)
    body = "\n".join(lines[1:])
    assert "Solarenergie" in body and "Solenergi" in body
    assert "'=HYPERLINK" in body  # a formula is kept as text


def test_search_finds_a_project_by_any_language_version(client, login_as, make_project):
    make_project("kungalv", status="proposed", title="Solenergi", translations={"it": {"title": "Energia solare"}})
    make_project("kungalv", status="proposed", title="Vänortsbesök")
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = text_of(client.get("/hiddenhausen/projects/?q=energia"))
    assert "Solenergi" in page and "Vänortsbesök" not in page
    empty = client.get("/hiddenhausen/projects/?q=nothing-like-this")
    assert empty.status_code == 200
    assert 'class="empty"' in _html(empty)


def test_filters(client, login_as, make_project, themes):
    make_project("kungalv", status="proposed", title="Turism", theme_keys=("tourism",), areas=("growth",))
    make_project("perano", status="active", title="Scuole", locale="it", theme_keys=("schools-youth",),
                 participants=["hiddenhausen"])
    login_as("hiddenhausen", "staff")
    page = text_of(client.get(f"/hiddenhausen/projects/?theme={themes['tourism']}"))
    assert "Turism" in page and "Scuole" not in page
    page = text_of(client.get("/hiddenhausen/projects/?status=active"))
    assert "Scuole" in page and "Turism" not in page
    from exchange.municipalities.queries import by_slug
    with client.application.app_context():
        hiddenhausen_id = by_slug("hiddenhausen").id
    page = text_of(client.get(f"/hiddenhausen/projects/?municipality={hiddenhausen_id}"))
    assert "Scuole" in page and "Turism" not in page  # a participant, not the lead
    page = text_of(client.get("/hiddenhausen/projects/?area=growth"))
    assert "Turism" in page and "Scuole" not in page


def test_unknown_filter_values_give_an_error_not_a_crash(client, login_as, make_project):
    make_project("kungalv", status="proposed")
    login_as("perano", "staff")
    for query in ("status=bogus", "theme=abc", "municipality=999999", "q=%00", "sort=drop"):
        response = client.get(f"/perano/projects/?{query}")
        assert response.status_code == 422, query
        assert 'class="error"' in _html(response)


# --- the list's query count ----------------------------------------------------------------------

def test_list_query_count_does_not_grow_with_the_number_of_projects(app, client, login_as, make_project,
                                                                     count_queries, in_scope, themes):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from tests.fixtures.core import Actor
    login_as("kungalv", "staff")

    def add(n):
        with in_scope("kungalv") as session:
            author = Actor(by_slug("kungalv").id, "Bulk")
            for i in range(n):
                project = services.create_project(author, services.ProjectInput(
                    locale="sv", texts={"sv": {"title": f"Projekt {i}", "summary": "Kort."},
                                        "it": {"title": f"Progetto {i}"}},
                    priority_areas=["growth"], theme_ids=[themes["tourism"], themes["culture"]]))
                services.change_status(project, author, "proposed")
            session.commit()

    def measure():
        with count_queries() as counter:
            response = client.get("/kungalv/projects/?sort=title")
        assert response.status_code == 200
        return counter.n

    add(5)
    with_5 = measure()
    add(45)
    app.config["PAGE_SIZE"], size = 100, app.config["PAGE_SIZE"]
    try:
        with_50 = measure()
    finally:
        app.config["PAGE_SIZE"] = size
    assert with_50 == with_5


def test_another_municipalitys_draft_is_in_no_list_export_or_page(client, login_as, make_project):
    draft = make_project("kungalv", title="Hemligt utkast")
    make_project("kungalv", status="proposed", title="Öppet förslag")
    login_as("perano", "coordinator")
    listing = text_of(client.get("/perano/projects/"))
    assert "Öppet förslag" in listing and "Hemligt utkast" not in listing
    assert "Hemligt utkast" not in client.get("/perano/projects/export.csv").get_data(as_text=True)
    for suffix in ("", "/languages", "/print", "/edit", "/plan", "/contribution"):
        assert client.get(f"/perano/projects/{draft}{suffix}").status_code == 404, suffix
    assert client.post(f"/perano/projects/{draft}/comments", data={"body": "Hej"}).status_code == 404


def test_printable_page_has_no_forms(client, login_as, make_project):
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    html = _html(client.get(f"/kungalv/projects/{project_id}/print"))
    assert "<form" not in html.split('<main id="main"')[1].split("</main>")[0]
