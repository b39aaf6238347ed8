"""Partner organisations in a real browser (issue 4): a Hiddenhausen coordinator finds partners for a
proposed project, with the reasons in German, and invites a Perano organisation; a Perano coordinator
sees the invitation in Italian and accepts; the organisation is then listed as a partner. And axe-core on
the directory, a profile, the forms and the suggestion page in sv, de and it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, axe_violations, check_axe, sign_in

PROJECT = "Dorfladen und regionale Produkte"        # a proposed Hiddenhausen demo project (LEADER-funded)
ORGANISATION = "Cooperativa Olearia Peranese"       # a Perano demo organisation offering what it needs


def h1(page):
    return page.get_by_role("heading", level=1)


def test_find_invite_and_accept_a_partner(page, new_recording_context, tr):
    # Hiddenhausen's coordinator: the dashboard lists the open projects that need partners.
    sign_in(page, tr, "hiddenhausen", "coordinator")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    panel = page.get_by_role("region", name=tr("de", "Find partners for your projects"))
    panel.get_by_role("link", name=re.compile(re.escape(tr("de", "suggested partners")) + ".*" + PROJECT)).click()
    expect(h1(page)).to_contain_text(PROJECT)
    check_axe(page)

    # The Perano cooperative is suggested, with its reasons in German: German theme and language names.
    # Suggestions are grouped by need (issue 14): the cooperative fits both needs; the first is the co-applicant.
    card = page.locator("li.card").filter(has=page.get_by_role("heading", name=ORGANISATION)).first
    expect(card).to_be_visible()
    reasons = card.locator("ul.reasons")
    expect(reasons).to_contain_text("Ländliche Entwicklung")
    expect(reasons).to_contain_text("Wirtschaft und Innovation")
    expect(reasons).to_contain_text("Deutsch")
    expect(reasons).to_contain_text("Perano")

    # Invite it.
    card.get_by_role("link", name=re.compile(re.escape(tr("de", "Invite")))).click()
    expect(h1(page)).to_contain_text(ORGANISATION)
    check_axe(page)
    page.get_by_label(tr("de", "Message to the organisation's municipality")).fill(
        "Wir würden uns über Ihre Erfahrung mit Direktvermarktung freuen.")
    page.get_by_role("button", name=tr("de", "Send the invitation"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(ORGANISATION)
    pending = page.get_by_role("region", name=tr("de", "Waiting for an answer"))
    expect(pending).to_contain_text(ORGANISATION)
    check_axe(page)

    # Perano's coordinator, in another browser: the invitation is on the dashboard, in Italian.
    other = new_recording_context()
    perano = other.new_page()
    sign_in(perano, tr, "perano", "coordinator")
    expect(perano.locator("html")).to_have_attribute("lang", "it")
    waiting = perano.get_by_role("region", name=tr("it", "Partner organisations: waiting for you"))
    expect(waiting).to_contain_text(ORGANISATION)
    expect(waiting).to_contain_text(PROJECT)
    waiting.get_by_role("link", name=re.compile(re.escape(tr("it", "Answer the invitation")))).click()
    expect(h1(perano)).to_contain_text(ORGANISATION)
    expect(perano.locator("main")).to_contain_text("Direktvermarktung")  # the message, in its language
    check_axe(perano)
    perano.get_by_role("group", name=tr("it", "Your answer"), exact=True).get_by_label(tr("it", "Accept"), exact=True).check()
    perano.get_by_role("group", name=tr("it", "Contribution"), exact=True).get_by_label(
        tr("it", "Voluntary work (hours)"), exact=True).check()
    perano.get_by_label(tr("it", "Voluntary hours"), exact=True).fill("120")
    perano.get_by_role("button", name=tr("it", "Send the answer"), exact=True).click()

    # The organisation is now listed as a partner of the project.
    partners = perano.get_by_role("region", name=tr("it", "Partner organisations"))
    expect(partners).to_contain_text(ORGANISATION)
    expect(partners).to_contain_text("120")
    check_axe(perano)

    # And the lead sees it too.
    page.reload()
    expect(page.get_by_role("region", name=tr("de", "Partner organisations"))).to_contain_text(ORGANISATION)


# Each language in a municipality whose own language differs, so ?lang=xx must do the work.
AXE_TOWN = {"sv": "perano", "de": "kungalv", "it": "hiddenhausen"}


@pytest.mark.parametrize("lang", LANGS)
def test_partner_pages_pass_axe(page, tr, lang):
    slug = AXE_TOWN[lang]
    problems: list[str] = []

    def audit() -> None:
        expect(page.locator("html")).to_have_attribute("lang", lang)
        problems.extend(axe_violations(page))

    sign_in(page, tr, slug, "coordinator", lang=lang)
    page.get_by_role("navigation", name=tr(lang, "Main menu")).get_by_role(
        "link", name=tr(lang, "Partner organisations"), exact=True).click()
    expect(h1(page)).to_have_text(tr(lang, "Partner organisations"))
    audit()  # the directory

    # A search: by theme, offered, with results in a table.
    page.get_by_label(tr(lang, "Search", context="search field"), exact=True).fill("o")
    page.get_by_role("button", name=tr(lang, "Search", context="button"), exact=True).click()
    audit()

    page.get_by_role("region", name=tr(lang, "Partner organisations")).get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/{slug}/partners/\d+"))
    audit()  # a profile
    page.get_by_role("link", name=tr(lang, "Projects this organisation would suit")).click()
    audit()  # the reverse suggestions

    page.goto(f"/{slug}/partners/new?lang={lang}")
    audit()  # the empty form
    page.get_by_role("button", name=tr(lang, "Save the profile"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr(lang, "Please correct the marked fields."))
    expect(page.get_by_label(tr(lang, "Name of the organisation"), exact=True)).to_have_attribute(
        "aria-invalid", "true")
    audit()  # the form with its errors

    page.goto(f"/{slug}/?lang={lang}")
    panel = page.get_by_role("region", name=tr(lang, "Find partners for your projects"))
    panel.get_by_role("link", name=re.compile(re.escape(tr(lang, "suggested partners")))).first.click()
    expect(page).to_have_url(re.compile(rf"/{slug}/partners/projects/\d+/suggestions"))
    audit()  # suggestions
    page.get_by_role("link", name=tr(lang, "Partners and needs of the project")).click()
    audit()  # the project's partners and needs
    page.get_by_role("link", name=tr(lang, "Add a partner need")).click()
    audit()  # the need form

    assert not problems, f"Accessibility violations ({lang}):\n" + "\n".join(problems)


def test_the_directory_is_usable_at_320_px(new_recording_context, tr):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "kungalv", "staff")
    for path in ["/kungalv/partners/", "/kungalv/partners/new"]:
        page.goto(path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path}: the page scrolls sideways ({widths[0]} px > {widths[1]} px)"
    check_axe(page)
