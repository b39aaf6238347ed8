"""The language reviewer's workbench findings (issue 13): the publish page shows what changes, language
names carry the page's language, language limits hold for approvals too, and "outdated" keeps the
translator's timestamp."""
from __future__ import annotations

import re

from sqlalchemy import select

from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogMessage
from exchange.i18n.catalog.services import save_translation
from tests.fixtures.core import login, text_of


def test_the_publish_page_shows_each_pending_change(synced, client, make_user, user_of, message_id):
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        save_translation(db.session.get(CatalogMessage, message_id("sv", "E-mail address")), ["E-post (jobb)"], user)
        db.session.commit()
    login(client, translator)
    page = client.get("/kungalv/workbench/sv/publish")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "E-mail address" in text_of(page)
    # Removed and added words are marked, so a reviewer sees the change before publishing it.
    assert re.search(r"<ins>[^<]*jobb", html) and "<del>" in html


def test_language_names_are_in_the_page_language(synced, client, login_as):
    login_as("hiddenhausen", "translator")
    html = client.get("/hiddenhausen/workbench/?lang=de").get_data(as_text=True)
    assert "Schwedisch" in html and '<span lang="sv">Schwedisch' not in html


def test_a_limited_translator_cannot_approve_another_language(synced, client, make_user, in_scope, message_id,
                                                            user_of):
    from exchange.auth.models import User
    from exchange.workbench.services import set_translator_locales
    admin = make_user("perano", "admin")
    italian_only = make_user("perano", "translator")
    editor = make_user("perano", "translator")
    with in_scope("perano") as session:
        set_translator_locales(session.get(User, italian_only.id), ["it"], session.get(User, admin.id))
        session.commit()
    with user_of(editor) as user:
        message = db.session.get(CatalogMessage, message_id("sv", "Password"))
        save_translation(message, ["Lösen"], user)
        db.session.commit()
        version = message.version
    login(client, italian_only)
    sv = message_id("sv", "Password")
    assert client.post(f"/perano/workbench/sv/strings/{sv}/approve", data={"version": version}).status_code == 403
    with in_scope("perano"):
        assert db.session.get(CatalogMessage, sv).approved_at is None


def test_marking_a_translation_outdated_keeps_when_it_was_made(app, in_scope, make_project):
    from exchange.i18n.models import ContentStatus
    from exchange.i18n.services import set_source, set_translation
    from exchange.projects.models import ProjectText
    from exchange.projects.queries import get_project
    from tests.fixtures.core import Actor
    project_id = make_project("kungalv", status="proposed", summary="Skolor delar erfarenheter.")
    with in_scope("kungalv") as session:
        project = get_project(project_id)
        set_translation(project, "summary", "de", "Schulen teilen Erfahrungen.", Actor(project.lead_municipality_id, "Tr"))
        session.commit()
        row = session.scalar(select(ProjectText).where(ProjectText.locale == "de", ProjectText.field == "summary"))
        made = row.updated_at
        set_source(get_project(project_id), "summary", "Skolor delar nya erfarenheter.", "sv",
                   Actor(project.lead_municipality_id, "Author"))
        session.commit()
        session.refresh(row)
        assert row.status == ContentStatus.OUTDATED.value and row.updated_at == made and row.updated_by_name == "Tr"
