"""Joint development projects in a real browser (issue 3).

The scenario: a Kungälv coordinator drafts a project in Swedish and proposes it; a Perano coordinator with
the interface in Italian finds it (the Swedish original, with the note that no Italian translation exists),
asks to join; the Kungälv coordinator accepts; both see Perano as a participant. axe-core on the list,
detail, side-by-side and form pages in sv, de and it, and the project pages at 320 px.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, check_axe, sign_in


def h1(page):
    return page.get_by_role("heading", level=1)


def participants(page):
    """The 'Participating municipalities' fact on a project page."""
    return page.locator("dl.facts dt:nth-of-type(3) + dd")


def test_draft_propose_find_join_accept(new_recording_context, tr):
    word = f"Kustled{uuid.uuid4().hex[:6]}"
    title = f"{word} för vänorternas skolor"

    # --- Kungälv's coordinator drafts the project in Swedish and proposes it ---------------------
    kungalv = new_recording_context().new_page()
    sign_in(kungalv, tr, "kungalv", "coordinator", lang="sv")
    kungalv.goto("/kungalv/projects/new")
    expect(h1(kungalv)).to_have_text(tr("sv", "Draft a new project"))
    expect(kungalv.locator("#locale")).to_have_value("sv")
    kungalv.locator("#title_sv").fill(title)
    kungalv.locator("#summary_sv").fill("Elever vandrar längs kusten och lär sig om havsmiljön.")
    kungalv.get_by_label(tr("sv", "Growth and business development"), exact=True).check()
    kungalv.get_by_label("Turism", exact=True).check()  # theme names are data, in the viewer's language
    kungalv.locator("#start_date").fill("2026-04-01")
    kungalv.locator("#end_date").fill("2026-10-31")
    kungalv.get_by_role("button", name=tr("sv", "Save the draft")).click()
    expect(kungalv).to_have_url(re.compile(r"/kungalv/projects/\d+$"))
    project_url = kungalv.url
    project_path = re.search(r"/projects/\d+$", project_url).group(0)
    expect(h1(kungalv)).to_have_text(title)
    expect(kungalv.locator(".facts .badge")).to_have_text(tr("sv", "Draft", context="project status"))

    kungalv.locator("#status").select_option("proposed")
    kungalv.get_by_role("button", name=tr("sv", "Change the status")).click()
    expect(kungalv.locator(".facts .badge")).to_have_text(tr("sv", "Proposed (seeking partners)", context="project status"))

    # --- Perano's coordinator, interface in Italian, finds it and asks to join --------------------
    perano = new_recording_context().new_page()
    sign_in(perano, tr, "perano", "coordinator", lang="it")
    perano.goto("/perano/projects/")
    expect(perano.locator("html")).to_have_attribute("lang", "it")
    perano.get_by_label(tr("it", "Search", context="search field"), exact=True).fill(word.lower())
    perano.get_by_role("button", name=tr("it", "Show projects")).click()
    result = perano.get_by_role("link", name=title)
    expect(result).to_have_count(1)
    result.click()
    expect(perano).to_have_url(re.compile(rf"/perano{project_path}$"))
    expect(perano.locator("h1 [lang=sv]")).to_have_text(title)  # the Swedish original …
    note = perano.locator(".content-note").first
    expect(note).to_be_visible()  # … with the note that no Italian translation exists yet
    expect(note).to_contain_text("svedese")
    check_axe(perano)
    perano.get_by_label(tr("it", "What your municipality would contribute (optional)")).fill(
        "Le nostre scuole medie conoscono bene la Costa dei Trabocchi.")
    perano.get_by_role("button", name=tr("it", "Ask to join on behalf of %(municipality)s",
                                         municipality="Perano")).click()
    expect(perano.locator(".flash-success")).to_be_visible()
    expect(perano.locator("#h-participants + ul")).to_contain_text(tr("it", "Asked to join", context="participation status"))

    # --- Kungälv's coordinator sees the request on the dashboard and accepts ------------------------
    kungalv.goto("/kungalv/")
    request_link = kungalv.get_by_role("link", name=title, exact=True)
    expect(request_link).to_be_visible()
    request_link.click()
    kungalv.get_by_role("button", name=tr("sv", "Accept %(municipality)s", municipality="Perano")).click()
    expect(kungalv.locator(".flash-success")).to_be_visible()

    # --- both see Perano as a participant ---------------------------------------------------------
    expect(participants(kungalv)).to_have_text("Perano")
    perano.reload()
    expect(participants(perano)).to_have_text("Perano")
    check_axe(kungalv)
    check_axe(perano)


@pytest.mark.parametrize("lang", LANGS)
def test_project_pages_pass_axe(new_recording_context, tr, lang):
    page = new_recording_context().new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)

    page.goto("/kungalv/projects/")
    expect(h1(page)).to_have_text(tr(lang, "Joint development projects"))
    check_axe(page)

    # An active demo project with participants, funding in two currencies, comments and translations.
    page.get_by_role("link", name=re.compile("Solceller|Solaranlagen|Pannelli")).first.click()
    expect(page).to_have_url(re.compile(r"/kungalv/projects/\d+$"))
    check_axe(page)
    detail = page.url

    page.get_by_role("link", name=tr(lang, "All languages side by side")).click()
    expect(page.locator(".mark").first).to_be_visible()
    check_axe(page)

    page.goto(detail + "/edit")
    expect(h1(page)).to_have_text(tr(lang, "Edit the project"))
    check_axe(page)

    page.goto(detail + "/plan")
    check_axe(page)

    # A form with errors: still accessible, errors tied to the fields.
    page.goto("/kungalv/projects/new")
    page.get_by_role("button", name=tr(lang, "Save the draft")).click()
    expect(page.locator("#title_" + lang)).to_have_attribute("aria-invalid", "true")
    check_axe(page)

    page.goto("/kungalv/projects/?status=bogus")
    expect(page.locator(".error").first).to_be_visible()
    check_axe(page)


@pytest.mark.parametrize("lang", LANGS)
def test_project_pages_fit_320_px(new_recording_context, tr, lang):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "perano", "coordinator", lang=lang)

    def assert_no_horizontal_scroll() -> None:
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))""")
        assert widths[0] <= widths[1], (f"{page.url}: the page scrolls sideways ({widths[0]} px > {widths[1]} px); "
                                        f"too wide: {wide}")

    page.goto("/perano/projects/")
    assert_no_horizontal_scroll()
    page.get_by_role("link", name=re.compile("Solceller|Solaranlagen|Pannelli")).first.click()
    # Measure the detail page once it has loaded with its stylesheet, not the document mid-navigation.
    expect(page).to_have_url(re.compile(r"/perano/projects/\d+$"))
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll()
    page.goto(page.url + "/languages")
    assert_no_horizontal_scroll()
    page.goto("/perano/projects/new")
    assert_no_horizontal_scroll()
