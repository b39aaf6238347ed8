"""The project's "all languages" page lists every text of the project, its children's too (sustainability
rationales, milestones, funding notes, contacts' roles, invitation and join messages, the reason of a
withdrawal), each in every language with its state, in a bounded number of SQL statements."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.fixtures.core import Actor, text_of


def _add_children(in_scope, towns, project_id: int, n: int) -> None:
    """``n`` milestones, funding lines and contacts, each with a Swedish text and a German translation."""
    from exchange.i18n import services as content
    from exchange.projects import services
    from exchange.projects.queries import get_project
    with in_scope("kungalv") as session:
        project, author = get_project(project_id), Actor(towns["kungalv"], "Karin")
        translator = Actor(towns["hiddenhausen"], "Tina")
        for i in range(n):
            milestone = services.add_milestone(project, author, f"Etapp {i} klar", dt.date(2025, 6, 1 + i), "sv")
            content.set_translation(milestone, "title", "de", f"Etappe {i} fertig", translator, approved=True)
            line = services.add_funding_line(project, author, towns["kungalv"], "municipal", "SEK", amount="100",
                                             note=f"Egen budget {i}", locale="sv")
            content.set_translation(line, "note", "de", f"Eigenes Budget {i}", translator)
            services.add_contact(project, author, towns["kungalv"], f"Karin Ek {i}", f"Projektledare {i}",
                                 locale="sv")
        session.commit()


def test_the_languages_page_lists_the_childrens_texts_with_every_version_and_state(
        client, login_as, make_project, in_scope, towns, tr):
    from exchange.i18n import services as content
    from exchange.projects import services
    from exchange.projects.models import ProjectEvent
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed", title="Generationsmöten",
                              sustainability={"social": "Fler möten mellan generationerna."})
    _add_children(in_scope, towns, project_id, 1)
    with in_scope("perano") as session:
        services.request_to_join(get_project(project_id), Actor(towns["perano"], "Marco"),
                                 "Vorremmo partecipare.", "it")
        session.commit()
    with in_scope("kungalv") as session:
        project = get_project(project_id)
        content.set_translation(project, "sustainability_social", "it", "Più incontri.", Actor(towns["perano"]))
        services.change_status(project, Actor(towns["kungalv"], "Karin"), "withdrawn", reason="Pengarna uteblev.",
                               locale="sv")
        event = session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == project_id,
                                                           ProjectEvent.to_status == "withdrawn")).one()
        content.set_translation(event, "reason", "de", "Das Geld blieb aus.", Actor(towns["hiddenhausen"]))
        session.commit()
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = client.get(f"/hiddenhausen/projects/{project_id}/languages")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)

    def section(heading_id: str) -> str:
        match = re.search(rf'<section aria-labelledby="h-{heading_id}"[^>]*>(.*?)</section>\s*</section>', html, re.S)
        assert match, heading_id
        return match.group(1)

    def state(block: str, code: str) -> str:
        return re.search(rf'id="v-[\w-]+-{code}">[^<]*<span class="mark mark-(\w+)"', block).group(1)

    for heading in (tr("de", "Sustainability"), tr("de", "Milestones"), tr("de", "Funding plan"),
                    tr("de", "Contact people"), tr("de", "History")):
        assert f">{heading}</h2>" in html, heading
    rationale = section("sustainability_social")
    assert '<div class="content" lang="sv"><p>Fler möten mellan generationerna.</p></div>' in rationale
    assert (state(rationale, "sv"), state(rationale, "it"), state(rationale, "de")) == (
        "source", "translated", "missing")
    milestone = section(re.search(r'id="h-(milestone-\d+)"', html).group(1))
    assert (state(milestone, "sv"), state(milestone, "de"), state(milestone, "it")) == ("source", "approved", "missing")
    assert '<div class="content" lang="de"><p>Etappe 0 fertig</p></div>' in milestone
    note = section(re.search(r'id="h-(funding-\d+)"', html).group(1))
    assert (state(note, "sv"), state(note, "de")) == ("source", "translated")
    role = section(re.search(r'id="h-(contact-\d+)"', html).group(1))
    assert "Projektledare 0" in role and state(role, "de") == "missing"
    message = section(re.search(r'id="h-(message-\d+)"', html).group(1))
    assert '<div class="content" lang="it"><p>Vorremmo partecipare.</p></div>' in message
    assert state(message, "it") == "source"
    reason = section(re.search(r'id="h-(reason-\d+)"', html).group(1))
    assert (state(reason, "sv"), state(reason, "de"), state(reason, "it")) == ("source", "translated", "missing")
    assert tr("de", "Reason given by %(municipality)s on %(date)s", municipality="Kungälv", date="")[:20] in text
    assert tr("de", "approved") in text and tr("de", "missing") in text


def test_the_languages_page_reads_a_bounded_number_of_statements(client, login_as, make_project, in_scope, towns,
                                                                 count_queries):
    project_id = make_project("kungalv", status="proposed", title="Många texter")
    _add_children(in_scope, towns, project_id, 1)
    login_as("hiddenhausen", "staff", preferred_locale="de")

    def measure() -> int:
        with count_queries() as counter:
            response = client.get(f"/hiddenhausen/projects/{project_id}/languages")
        assert response.status_code == 200
        return counter.n

    few = measure()
    _add_children(in_scope, towns, project_id, 10)
    assert measure() == few
    html = client.get(f"/hiddenhausen/projects/{project_id}/languages").get_data(as_text=True)
    assert html.count('id="h-milestone-') == 11 and "Eigenes Budget 9" in html


def test_another_municipalitys_draft_has_no_languages_page(client, login_as, make_project, in_scope, towns):
    project_id = make_project("kungalv", title="Hemligt utkast")
    _add_children(in_scope, towns, project_id, 1)
    login_as("perano", "staff")
    response = client.get(f"/perano/projects/{project_id}/languages")
    assert response.status_code == 404
    assert "Etapp 0 klar" not in response.get_data(as_text=True)
