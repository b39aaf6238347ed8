"""The translators' workbench in a real browser (issue 6).

1. A Kungälv translator finds an untranslated interface string (the dashboard's "Your account", blanked
   and published in the setup), translates it, publishes, and the dashboard shows the new text.
2. A Hiddenhausen translator translates an outdated project description from the content queue (the
   changed words are highlighted), and the project page shows the German text.
3. axe-core on every workbench page in sv, de and it (0 serious/critical), CSP intact.

The live catalog is shared by the whole browser session: the setup restores what it changed.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, axe_violations, check_axe, sign_in

MSGID = "Your account"


def h1(page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def blanked(live_app):
    """The Swedish "Your account" untranslated and published, as a translator would find a gap; restored after."""
    from sqlalchemy import select

    from exchange.extensions import db
    from exchange.i18n.catalog.models import CatalogMessage
    from exchange.i18n.catalog.services import publish, save_translation

    def load():
        return db.session.scalar(select(CatalogMessage).where(CatalogMessage.locale == "sv",
                                                              CatalogMessage.msgid == MSGID))

    with live_app.app_context():
        message = load()
        original = list(message.strings)
        save_translation(message, [""], None)
        publish("sv", None)
        db.session.commit()
    yield original
    with live_app.app_context():
        save_translation(load(), original, None, accept_warnings=True)
        publish("sv", None)
        db.session.commit()


@pytest.fixture
def outdated_project(live_app):
    """A proposed Kungälv project whose Swedish description changed after its German translation."""
    from exchange.extensions import db
    from exchange.i18n.services import set_source, set_translation
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.models import ProjectStatus
    from exchange.projects.queries import get_project
    from exchange.tenancy import municipality_scope
    from exchange.themes.services import seed_defaults
    from tests.fixtures.core import Actor

    word = f"Hamnbad{uuid.uuid4().hex[:5]}"
    with live_app.app_context():
        kungalv = by_slug("kungalv")
        with municipality_scope(kungalv):
            author = Actor(kungalv.id, "Sara Lindqvist")
            translator = Actor(by_slug("hiddenhausen").id, "Julia Hoffmann")
            theme = seed_defaults()[0].id
            project = services.create_project(author, services.ProjectInput(
                locale="sv", texts={"sv": {"title": f"{word} vid älven", "summary": "Ett bad i hamnen.",
                                           "description": "Badet öppnar i maj för alla skolor."}},
                priority_areas=["own_operations"], theme_ids=[theme]))
            services.change_status(project, author, ProjectStatus.PROPOSED)
            set_translation(project, "description", "de", "Das Bad öffnet im Mai für alle Schulen.", translator)
            set_source(project, "description", "Badet öppnar i juni för alla skolor.", "sv", author)
            project_id = project.id
            db.session.commit()
            assert get_project(project_id).status_of("description", "de").value == "outdated"
    return project_id, word


def test_translate_an_untranslated_string_publish_and_see_it(page, tr, blanked):
    sign_in(page, tr, "kungalv", "translator", lang="sv")
    # The gap: the dashboard shows the English source.
    expect(page.get_by_role("heading", name=MSGID, exact=True)).to_be_visible()

    page.get_by_role("navigation", name=tr("sv", "Main menu")).get_by_role(
        "link", name=tr("sv", "Translations"), exact=True).click()
    expect(h1(page)).to_have_text(tr("sv", "Interface catalogs"))
    check_axe(page)
    page.get_by_role("link", name=re.compile(re.escape(tr("sv", "Strings")) + r"\b.*svenska", re.I)).click()

    page.get_by_label(tr("sv", "State"), exact=True).select_option("empty")
    page.get_by_label(tr("sv", "Text (source or translation)"), exact=True).fill(MSGID)
    page.get_by_role("button", name=tr("sv", "Show strings")).click()
    page.get_by_role("link", name=MSGID, exact=True).click()

    expect(h1(page)).to_contain_text(tr("sv", "Translate into %(language)s", language="svenska").split("svenska")[0].strip())
    page.get_by_role("textbox", name=tr("sv", "Translation"), exact=True).fill("Mitt konto här")
    page.get_by_role("button", name=tr("sv", "Save the translation")).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr("sv", "The translation has been saved. Publish the language to show it in the application."))

    # Drafts are not served yet.
    page.goto("/kungalv/")
    expect(page.get_by_role("heading", name=MSGID, exact=True)).to_be_visible()

    page.goto("/kungalv/workbench/sv/publish")
    page.get_by_role("button", name=tr("sv", "Publish now")).click()
    expect(page.get_by_role("status")).to_be_visible()
    page.goto("/kungalv/")
    expect(page.get_by_role("heading", name="Mitt konto här", exact=True)).to_be_visible()


def test_translate_an_outdated_project_description_from_the_queue(page, tr, outdated_project):
    project_id, word = outdated_project
    sign_in(page, tr, "hiddenhausen", "translator", lang="de")
    page.goto("/hiddenhausen/workbench/queue")
    expect(h1(page)).to_have_text(tr("de", "Content queue"))
    page.get_by_label(tr("de", "Type of content"), exact=True).select_option("Project")
    page.get_by_label(tr("de", "Into", context="target language"), exact=True).select_option("de")
    page.get_by_role("button", name=tr("de", "Show texts")).click()
    row = page.locator("tbody tr", has_text=word).filter(has_text=tr("de", "Description"))
    row.get_by_role("link", name=re.compile("^Deutsch|^deutsch", re.I)).click()

    # Side by side: the Swedish original, and what changed since the last translation.
    expect(page.locator(".diff del")).to_have_text("maj")
    expect(page.locator(".diff ins")).to_have_text("juni")
    check_axe(page)
    field = page.get_by_role("textbox", name=tr("de", "Translation"), exact=True)
    expect(field).to_have_value("Das Bad öffnet im Mai für alle Schulen.")
    field.fill("Das Bad öffnet im Juni für alle Schulen.")
    page.get_by_role("button", name=tr("de", "Save the translation")).click()
    expect(page).to_have_url(re.compile(r"/hiddenhausen/workbench/queue$"))

    page.goto(f"/hiddenhausen/projects/{project_id}")
    expect(page.locator("#h-description + .content")).to_have_text("Das Bad öffnet im Juni für alle Schulen.")
    expect(page.locator("#h-description + .content")).to_have_attribute("lang", "de")


# Each language in a municipality whose own language differs, so ?lang=xx must do the work.
AXE_TOWN = {"sv": "perano", "de": "kungalv", "it": "hiddenhausen"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_workbench_page_passes_axe(new_recording_context, tr, lang, outdated_project):
    slug = AXE_TOWN[lang]
    page = new_recording_context().new_page()
    problems: list[str] = []

    def visit(path: str) -> None:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.locator("h1").count() == 1, path
        problems.extend(axe_violations(page))

    sign_in(page, tr, slug, "translator", lang=lang)
    visit(f"/{slug}/")  # the dashboard with the workbench panel
    visit(f"/{slug}/workbench/")
    visit(f"/{slug}/workbench/{lang}/strings")
    visit(f"/{slug}/workbench/{lang}/strings?state=translated&check=any&q=%25")
    page.goto(f"/{slug}/workbench/{lang}/strings?lang={lang}")
    editor = page.locator("table.strings a").first.get_attribute("href")
    visit(editor)
    # a refused save shows the errors beside the field
    page.locator("#form_0").fill('<img src=x onerror="alert(1)">')
    page.get_by_role("button", name=tr(lang, "Save the translation")).click()
    expect(page.locator("#form_0-error")).to_be_visible()
    problems.extend(axe_violations(page))
    visit(f"/{slug}/workbench/{lang}/publish")
    visit(f"/{slug}/workbench/{lang}/import")
    visit(f"/{slug}/workbench/queue")
    page.goto(f"/{slug}/workbench/queue?lang={lang}")
    link = page.locator("tbody a[href*='/workbench/queue/']").first.get_attribute("href")
    visit(link)

    admin = new_recording_context().new_page()
    page.close()
    page = admin
    sign_in(page, tr, slug, "admin", lang=lang)
    visit(f"/{slug}/workbench/translators")
    page.goto(f"/{slug}/workbench/translators?lang={lang}")
    page.locator("tbody a").first.click()
    problems.extend(axe_violations(page))
    visit(f"/{slug}/workbench/queue")
    assert not problems, "Accessibility violations:\n" + "\n".join(problems)


def test_workbench_at_320_px(new_recording_context, tr):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "perano", "translator", lang="it")
    for path in ("/perano/workbench/", "/perano/workbench/it/strings", "/perano/workbench/queue"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways at 320 px ({overflow}px)"
        check_axe(page)
