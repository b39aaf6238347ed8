"""The content queue: user content missing or outdated in the translator's languages, through the scope,
oldest first, filtered; the side-by-side editor saving through the shared content mechanism."""
from __future__ import annotations

import re

from sqlalchemy import select

from exchange.audit.models import AuditEntry
from exchange.projects.models import ProjectText
from tests.fixtures.core import login, text_of


def queue_links(response) -> list[str]:
    return re.findall(r'href="(/[a-z]+/workbench/queue/[A-Za-z]+/\d+/[a-z]+)"', response.get_data(as_text=True))


def texts(in_scope, slug, project_id):
    with in_scope(slug) as session:
        rows = session.scalars(select(ProjectText).where(ProjectText.project_id == project_id)).all()
        return {(r.field, r.locale): (r.status, r.text, r.updated_by_name) for r in rows}


def source_id(in_scope, slug, project_id, field):
    with in_scope(slug) as session:
        return session.scalar(select(ProjectText.id).where(ProjectText.project_id == project_id,
                                                           ProjectText.field == field, ProjectText.status == "source"))


def test_staff_cannot_reach_the_queue(app, client, login_as):
    login_as("kungalv", "staff")
    assert client.get("/kungalv/workbench/queue").status_code == 403


def test_queue_lists_missing_translations_in_the_translators_languages(app, client, make_user, make_project,
                                                                       in_scope):
    from exchange.auth.models import User
    from exchange.workbench.services import set_translator_locales
    project_id = make_project("kungalv", status="proposed", description="Vi bygger solpaneler.")
    admin, translator = make_user("hiddenhausen", "admin"), make_user("hiddenhausen", "translator")
    with in_scope("hiddenhausen") as session:
        set_translator_locales(session.get(User, translator.id), ["de"], session.get(User, admin.id))
        session.commit()
    login(client, translator)
    links = queue_links(client.get("/hiddenhausen/workbench/queue"))
    desc = source_id(in_scope, "kungalv", project_id, "description")
    assert f"/hiddenhausen/workbench/queue/Project/{desc}/de" in links
    assert all(link.endswith("/de") for link in links)  # limited to German: no Italian work offered
    assert client.get(f"/hiddenhausen/workbench/queue/Project/{desc}/it").status_code == 403


def test_another_municipalitys_draft_is_invisible(app, client, login_as, make_project, in_scope, tr):
    draft = make_project("kungalv", status="draft", title="Hemligt utkast")
    login_as("hiddenhausen", "translator")
    response = client.get("/hiddenhausen/workbench/queue")
    assert "Hemligt utkast" not in text_of(response)
    assert tr("de", "%(num)d text waits for a translation.", "%(num)d texts wait for a translation.", 0) in text_of(response)
    title = source_id(in_scope, "kungalv", draft, "title")
    assert client.get(f"/hiddenhausen/workbench/queue/Project/{title}/de").status_code == 404
    # …while the lead's own translator sees it
    client.post("/hiddenhausen/logout")
    login_as("kungalv", "translator")
    assert "Hemligt utkast" in text_of(client.get("/kungalv/workbench/queue"))


def test_translating_from_the_queue_saves_through_the_shared_mechanism(app, client, login_as, make_project,
                                                                       in_scope):
    project_id = make_project("kungalv", status="proposed", summary="Skolor delar erfarenheter.")
    account = login_as("hiddenhausen", "translator")
    summary = source_id(in_scope, "kungalv", project_id, "summary")
    url = f"/hiddenhausen/workbench/queue/Project/{summary}/de"
    page = client.get(url)
    assert page.status_code == 200 and "Skolor delar erfarenheter." in text_of(page)
    response = client.post(url, data={"text": "Schulen teilen Erfahrungen.", "snapshot": "Skolor delar erfarenheter.",
                                      "version": "0"})
    assert response.status_code == 302
    assert texts(in_scope, "kungalv", project_id)[("summary", "de")] == (
        "translated", "Schulen teilen Erfahrungen.", account.name)
    assert f"/Project/{summary}/de" not in queue_links(client.get("/hiddenhausen/workbench/queue"))
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "content.translate")) is not None
    # the project page credits the translator
    assert account.name in text_of(client.get(f"/hiddenhausen/projects/{project_id}/languages"))


def test_approved_status_and_bad_input(app, client, login_as, make_project, in_scope):
    project_id = make_project("kungalv", status="proposed")
    login_as("perano", "translator")
    title = source_id(in_scope, "kungalv", project_id, "title")
    url = f"/perano/workbench/queue/Project/{title}/it"
    snapshot = "Solenergi på skolorna"
    assert client.post(url, data={"text": "", "snapshot": snapshot, "version": "0"}).status_code == 422
    assert client.post(url, data={"text": "Energia\x00", "snapshot": snapshot, "version": "0"}).status_code == 422
    assert client.post(url, data={"text": "x" * 20001, "snapshot": snapshot, "version": "0"}).status_code == 422
    assert ("title", "it") not in texts(in_scope, "kungalv", project_id)
    assert client.get(f"/perano/workbench/queue/Project/{title}/sv").status_code == 404  # the source language
    assert client.get(f"/perano/workbench/queue/Nothing/{title}/it").status_code == 404
    assert client.get(f"/perano/workbench/queue/Project/{title}/fr").status_code == 404
    response = client.post(url, data={"text": "Energia solare nelle scuole", "snapshot": snapshot, "approved": "y",
                                      "version": "0"})
    assert response.status_code == 302
    assert texts(in_scope, "kungalv", project_id)[("title", "it")][0] == "approved"


def test_outdated_translation_shows_what_changed_and_a_changed_source_is_a_conflict(
        app, client, login_as, make_project, in_scope, edit_source):
    project_id = make_project("kungalv", status="proposed", description="Projektet startar i maj.")
    login_as("hiddenhausen", "translator")
    desc = source_id(in_scope, "kungalv", project_id, "description")
    url = f"/hiddenhausen/workbench/queue/Project/{desc}/de"
    client.post(url, data={"text": "Das Projekt beginnt im Mai.", "snapshot": "Projektet startar i maj.", "version": "0"})
    edit_source("kungalv", project_id, "description", "Projektet startar i juni.")
    assert texts(in_scope, "kungalv", project_id)[("description", "de")][0] == "outdated"
    assert url in queue_links(client.get("/hiddenhausen/workbench/queue"))
    html = client.get(url).get_data(as_text=True)
    assert "<del>maj</del>" in html and "<ins>juni</ins>" in html
    response = client.post(url, data={"text": "Das Projekt beginnt im Juni.", "snapshot": "Projektet startar i maj."})
    assert response.status_code == 409
    assert texts(in_scope, "kungalv", project_id)[("description", "de")][1] == "Das Projekt beginnt im Mai."


def test_the_diff_escapes_markup(app, client, login_as, make_project, in_scope, edit_source):
    project_id = make_project("kungalv", status="proposed", description="Text ett.")
    login_as("perano", "translator")
    desc = source_id(in_scope, "kungalv", project_id, "description")
    url = f"/perano/workbench/queue/Project/{desc}/it"
    client.post(url, data={"text": "Testo uno.", "snapshot": "Text ett.", "version": "0"})
    edit_source("kungalv", project_id, "description", "Text <script>alert(1)</script> två.")
    html = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_queue_is_oldest_first_filterable_and_bounded(app, client, login_as, make_project, in_scope, count_queries):
    first = make_project("kungalv", status="proposed", title="Första projektet")
    make_project("perano", status="proposed", title="Progetto secondo", locale="it")
    login_as("hiddenhausen", "translator")
    page = text_of(client.get("/hiddenhausen/workbench/queue"))
    assert page.index("Första projektet") < page.index("Progetto secondo")
    page = text_of(client.get("/hiddenhausen/workbench/queue?source=it&target=de&type=Project"))
    assert "Progetto secondo" in page and "Första projektet" not in page
    assert client.get("/hiddenhausen/workbench/queue?type=Bogus").status_code == 422
    with count_queries() as few:
        client.get("/hiddenhausen/workbench/queue")
    for n in range(4):
        make_project("kungalv", status="proposed", title=f"Projekt {n}")
    with count_queries() as more:
        client.get("/hiddenhausen/workbench/queue")
    assert more.n <= few.n + 2, more.statements
    assert first


def test_every_kind_waits_in_one_list_counted_up_to_the_cap(app, client, login_as, make_project, make_org,
                                                            count_queries, tr):
    """Issue 12: the queue and the dashboard's panel count the texts of every kind of content together, up
    to the cap ("more than 3 wait"), with as many statements below the cap as past it, and the queue lists
    the kinds together, oldest first."""
    def statements(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.n

    app.config["COUNT_CAP"] = 3
    try:
        make_project("perano", status="proposed", title="Progetto uno", locale="it", summary="")
        login_as("kungalv", "translator")
        queue_page = text_of(client.get("/kungalv/workbench/queue?lang=de"))
        # title and sustainability rationale: two texts, each missing in Swedish and German
        assert tr("de", "%(num)d text waits for a translation.", "%(num)d texts wait for a translation.", 2) \
            .replace("%(num)d", "2") in queue_page
        below = statements("/kungalv/"), statements("/kungalv/workbench/queue")
        make_project("perano", status="proposed", title="Progetto due", locale="it")
        make_org("perano", "Frantoio sociale", description="Un frantoio gestito dai soci.", locale="it")
        more = tr("de", "More than %(num)s texts wait for a translation.").replace("%(num)s", "3")
        queue_page = text_of(client.get("/kungalv/workbench/queue?lang=de"))
        assert more in queue_page
        assert queue_page.index("Progetto uno") < queue_page.index("Progetto due") < queue_page.index("Frantoio")
        panel = tr("de", "More than %(num)s texts wait in the content queue.").replace("%(num)s", "3")
        assert panel in text_of(client.get("/kungalv/?lang=de"))
        # the panel counts in one statement whatever waits; the queue loads the rows of each kind on its page
        assert statements("/kungalv/") == below[0]
        assert statements("/kungalv/workbench/queue") <= below[1] + 3
    finally:
        app.config.pop("COUNT_CAP")
