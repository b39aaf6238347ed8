"""The foundation in a real browser: choosing a municipality, signing in and out, switching the
interface language, keyboard use, small screens, and axe-core on every page in sv, de and it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (AUTONYM, LANGS, TOWN_LANG, TOWN_NAME, DEMO_PASSWORD, axe_violations,
                                    check_axe, sign_in)

# The dashboard's heading in each language, as the catalogs must say it.
DASHBOARD = {"sv": "Översikt", "de": "Übersicht", "it": "Panoramica"}


def h1(page):
    return page.get_by_role("heading", level=1)


@pytest.mark.parametrize("slug, switch_to", [("kungalv", "it"), ("hiddenhausen", "it"), ("perano", "de")])
def test_sign_in_switch_language_and_sign_out(page, tr, slug, switch_to):
    lang = TOWN_LANG[slug]

    # The landing page lists the municipalities; each leads to its own sign-in.
    page.goto("/")
    page.get_by_role("link", name=TOWN_NAME[slug], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{slug}/login$"))

    page.locator("input[name=email]").fill(f"staff@{slug}.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    # The dashboard, in the municipality's language, and <html lang> says so.
    expect(page).to_have_url(re.compile(rf"/{slug}/$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(h1(page)).to_have_text(DASHBOARD[lang])

    # The language switcher changes the whole interface, and <html lang> follows.
    switcher = page.get_by_role("navigation", name=tr(lang, "Language"))
    switcher.get_by_role("link", name=AUTONYM[switch_to], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", switch_to)
    expect(h1(page)).to_have_text(DASHBOARD[switch_to])
    # The switcher (now named in the new language) marks the current language.
    switcher = page.get_by_role("navigation", name=tr(switch_to, "Language"))
    expect(switcher.get_by_role("link", name=AUTONYM[switch_to], exact=True)).to_have_attribute(
        "aria-current", "true")

    # Sign out (a POST form with its CSRF token) → the login page, saying so.
    page.get_by_role("button", name=tr(switch_to, "Sign out"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{slug}/login$"))
    expect(page.get_by_role("status")).to_contain_text(tr(switch_to, "You have signed out."))
    expect(page.locator("input[name=password]")).to_be_visible()

    # The session is really gone: the dashboard sends us back to sign in.
    page.goto(f"/{slug}/")
    expect(page).to_have_url(re.compile(rf"/{slug}/login\?next="))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.get_by_role("button", name=tr(switch_to, "Sign out"))).to_have_count(0)


# Each language once, in a municipality whose own language differs, so ?lang=xx must do the work.
AXE_TOWN = {"sv": "perano", "de": "kungalv", "it": "hiddenhausen"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_passes_axe(page, tr, lang):
    slug = AXE_TOWN[lang]
    problems: list[str] = []

    def visit(path: str) -> None:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        audit(path)

    def audit(what: str) -> None:
        # The page must say truthfully which language it is in before axe judges it.
        expect(page.locator("html")).to_have_attribute("lang", lang)
        problems.extend(axe_violations(page))

    visit("/")
    visit("/accessibility")
    visit(f"/{slug}/login")
    visit(f"/{slug}/accessibility")  # the statement, with its feedback form
    page.get_by_role("button", name=tr(lang, "Send feedback"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr(lang, "Please correct the marked fields."))
    audit("feedback form with errors")
    visit(f"/{slug}/nowhere")  # the 404 page
    sign_in(page, tr, slug, "admin", lang=lang)
    audit("dashboard")
    visit(f"/{slug}/account")
    visit(f"/{slug}/account/two-factor")
    visit(f"/{slug}/account/sessions")
    visit(f"/{slug}/admin/deliveries")
    visit(f"/{slug}/admin/users")
    visit(f"/{slug}/admin/users/invite")

    # The invite form sent empty: errors beside the fields, tied to them, and still accessible.
    page.get_by_role("button", name=tr(lang, "Send invitation"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr(lang, "Please correct the marked fields."))
    for label in ("Name", "E-mail address"):
        expect(page.get_by_label(tr(lang, label), exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("group", name=tr(lang, "Roles"))).to_contain_text(tr(lang, "Choose at least one role."))
    audit("invite form with errors")

    # One user's edit page, reached from the list the way an admin would.
    page.goto(f"/{slug}/admin/users?lang={lang}")
    page.get_by_role("region", name=tr(lang, "Accounts")).get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/{slug}/admin/users/\d+"))
    audit("edit user")

    visit(f"/{slug}/admin/audit")

    assert not problems, f"Accessibility violations ({lang}):\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_usable_at_320_px(new_recording_context, tr, lang):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    slug = AXE_TOWN[lang]
    sign_in(page, tr, slug, "admin", lang=lang)

    def assert_no_horizontal_scroll() -> None:
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{page.url}: the page scrolls sideways ({widths[0]} px > {widths[1]} px)"

    def assert_menu_fits() -> None:
        menu = page.get_by_role("navigation", name=tr(lang, "Main menu"))
        controls = menu.get_by_role("link").all() + menu.get_by_role("button").all()
        assert len(controls) >= 4  # dashboard, accounts, audit log, my account, sign out
        for control in controls:
            expect(control).to_be_visible()
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, \
                f"{control.inner_text()!r} sticks out of the 320 px screen: {box}"

    assert_no_horizontal_scroll()
    assert_menu_fits()

    # The menu works: "Accounts" leads to the list, which also fits.
    page.get_by_role("navigation", name=tr(lang, "Main menu")).get_by_role(
        "link", name=tr(lang, "Accounts"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{slug}/admin/users$"))
    expect(h1(page)).to_have_text(tr(lang, "Accounts"))
    assert_no_horizontal_scroll()
    assert_menu_fits()
    check_axe(page)
    for path in ("/accessibility", "/account/sessions", "/account/two-factor", "/admin/deliveries", "/admin/audit",
                 "/admin/identity"):
        page.goto(f"/{slug}{path}?lang={lang}")
        page.wait_for_load_state("load")
        assert_no_horizontal_scroll()
        if path == "/admin/identity":
            check_axe(page)


def test_keyboard_only_sign_in(page, tr):
    slug, lang = "hiddenhausen", "de"
    page.goto(f"/{slug}/login")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # The first Tab reaches the skip link, which becomes visible; Enter moves focus to <main>.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text(tr(lang, "Skip to main content"))
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From <main>, Tab reaches the e-mail field; type, Tab to the password, type, Enter submits.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "email":
            break
    email = page.locator("input[name=email]")
    expect(email).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", \
        "the focused field has no visible focus outline"
    page.keyboard.type(f"staff@{slug}.example")
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    # (The form posts to the login URL, which still carries the skip link's #main; that is harmless.)
    expect(page).to_have_url(re.compile(rf"/{slug}/(#main)?$"))
    expect(h1(page)).to_have_text(DASHBOARD[lang])
    check_axe(page)
