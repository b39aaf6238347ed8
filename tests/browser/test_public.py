"""The public pages in a real browser (issue 17): a citizen reads each municipality's international
cooperation in Swedish, German and Italian without signing in, follows a project, switches language;
axe-core on every page in sv, de and it, and every page at 320 px. A coordinator publishes a project
and edits the policy text; a staff member creates an access token and reads the API with it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, TOWN_NAME, check_axe, sign_in

TOWN_OF = {"sv": "kungalv", "de": "hiddenhausen", "it": "perano"}


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: the page scrolls sideways ({widths[0]} px > {widths[1]} px)"


@pytest.mark.parametrize("lang", LANGS)
def test_a_citizen_reads_the_public_pages(context, tr, lang):
    page = context.new_page()
    for slug in ("kungalv", TOWN_OF[lang]) if TOWN_OF[lang] != "kungalv" else ("kungalv", "perano"):
        page.goto(f"/{slug}/public/{lang}/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr(lang, "International cooperation of %(municipality)s", municipality=TOWN_NAME[slug]))
        expect(page.get_by_role("heading", level=2, name=tr(lang, "Twin towns"))).to_be_visible()
        check_axe(page)
        nav = page.get_by_role("navigation", name=tr(lang, "Public pages"))
        for label in ("Joint projects", "Visits", "Open data"):
            nav.get_by_role("link", name=tr(lang, label), exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check_axe(page)
    # A project of Kungälv, from its list to its page.
    page.goto(f"/kungalv/public/{lang}/projects/")
    page.locator("main .project-list h2 a").first.click()
    expect(page).to_have_url(re.compile(rf"/kungalv/public/{lang}/projects/\d+$"))
    check_axe(page)
    # Another language: the same page in it.
    other = next(code for code in LANGS if code != lang)
    autonym = {"sv": "Svenska", "de": "Deutsch", "it": "Italiano"}[other]
    page.get_by_role("navigation", name=tr(lang, "Language")).get_by_role("link", name=autonym, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/kungalv/public/{other}/projects/\d+$"))
    expect(page.locator("html")).to_have_attribute("lang", other)


@pytest.mark.parametrize("lang", LANGS)
def test_the_public_pages_at_320_px(new_recording_context, tr, lang):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    slug = TOWN_OF[lang]
    for path in ("", "projects/", "visits/", "open-data"):
        page.goto(f"/kungalv/public/{lang}/{path}")
        _no_sideways_scroll(page)
        check_axe(page)
    page.goto(f"/kungalv/public/{lang}/projects/")
    page.locator("main .project-list h2 a").first.click()
    expect(page).to_have_url(re.compile(rf"/kungalv/public/{lang}/projects/\d+$"))
    page.wait_for_load_state("load")
    _no_sideways_scroll(page)
    check_axe(page)
    page.goto(f"/{slug}/public/{lang}/")
    _no_sideways_scroll(page)
    for link in page.get_by_role("navigation", name=tr(lang, "Public pages")).get_by_role("link").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, f"{link.inner_text()!r} sticks out: {box}"


def test_a_coordinator_publishes_a_project_and_edits_the_policy(new_recording_context, context, tr):
    page = new_recording_context().new_page()
    sign_in(page, tr, "hiddenhausen", "coordinator", lang="de")
    # The demo's village shop project is proposed but not public yet.
    citizen = context.new_page()
    citizen.goto("/hiddenhausen/public/de/projects/")
    expect(citizen.locator("main")).not_to_contain_text("Dorfladen und regionale Produkte")
    page.get_by_role("navigation", name=tr("de", "Main menu")).get_by_role(
        "link", name=tr("de", "Projects"), exact=True).click()
    page.get_by_role("link", name="Dorfladen und regionale Produkte").first.click()
    page.get_by_role("button", name=tr("de", "Show it on the public pages")).click()
    expect(page.get_by_role("status")).to_contain_text(tr("de", "The project is now shown on the public pages."))
    check_axe(page)
    citizen.reload()
    expect(citizen.locator("main")).to_contain_text("Dorfladen und regionale Produkte")

    page.get_by_role("navigation", name=tr("de", "Main menu")).get_by_role(
        "link", name=tr("de", "Public page"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("de", "Public page"))
    check_axe(page)
    field = page.get_by_role("textbox", name=tr("de", "Policy priorities"), exact=True)
    field.fill("")
    page.get_by_role("button", name=tr("de", "Save the policy priorities")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_axe(page)
    page.get_by_role("textbox", name=tr("de", "Policy priorities"), exact=True).fill("Wir setzen auf Jugendaustausch und Klimaschutz.")
    page.get_by_role("button", name=tr("de", "Save the policy priorities")).click()
    expect(page.get_by_role("status")).to_contain_text(tr("de", "The policy priorities have been saved."))
    citizen.goto("/hiddenhausen/public/de/")
    expect(citizen.locator("main")).to_contain_text("Wir setzen auf Jugendaustausch und Klimaschutz.")


@pytest.mark.parametrize("lang", LANGS)
def test_access_tokens_page(new_recording_context, tr, lang):
    page = new_recording_context().new_page()
    slug = TOWN_OF[lang]
    sign_in(page, tr, slug, "staff", lang=lang)
    page.get_by_role("navigation", name=tr(lang, "Main menu")).get_by_role(
        "link", name=tr(lang, "My account"), exact=True).click()
    page.get_by_role("link", name=tr(lang, "Access tokens"), exact=True).click()
    check_axe(page)
    page.get_by_label(tr(lang, "Name of the token"), exact=True).fill("Open data portal")
    page.get_by_role("button", name=tr(lang, "Create the token")).click()
    secret = page.get_by_label(tr(lang, "Token"), exact=True).input_value()
    assert secret.startswith(f"tte_{slug}_")
    check_axe(page)
    answer = page.request.get(f"/api/v1/municipalities/{slug}/projects",
                              headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and "items" in answer.json()
    # Revoking asks first (issue 14): the button opens the question, the one inside it revokes.
    page.locator("details.confirm summary", has_text=tr(lang, "Revoke")).first.click()
    page.locator("details.confirm[open] .confirm-box").get_by_role("button").first.click()
    expect(page.get_by_role("status")).to_contain_text(tr(lang, "The token has been revoked. It no longer works."))
    assert page.request.get(f"/api/v1/municipalities/{slug}/projects",
                            headers={"Authorization": f"Bearer {secret}"}).status == 401
