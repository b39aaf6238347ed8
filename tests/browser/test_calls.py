"""Funding calls in a real browser (issue 16): a Perano coordinator finds a call that fits a project on
the project page, links it and reads the rules check in Italian; a Kungälv coordinator filters the
calls list and adds a call (a refused save first). axe-core on the list, a call, the form and a project's
rules check in sv, de and it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, check_axe, sign_in

PERANO_PROJECT = "Sentieri dei trabocchi e turismo lento"       # proposed, linked to the CERV example call
PERANO_LEADER = "Bando LEADER del GAL del territorio: turismo lento e filiere locali (esempio)"
KUNGALV_LEADER = "Leader-utlysning: småskaliga lokala utvecklingsprojekt 2027 (exempel)"
KUNGALV_PROJECT = "Solceller på skolornas tak"                   # linked, with rules not met
# The Kungälv LEADER call's title as each language shows it (translated in the demo).
KUNGALV_LEADER_IN = {"sv": KUNGALV_LEADER, "de": "LEADER-Aufruf: kleine lokale Entwicklungsprojekte 2027 (Beispiel)",
                     "it": "Bando LEADER: piccoli progetti di sviluppo locale 2027 (esempio)"}


def h1(page):
    return page.get_by_role("heading", level=1)


def test_find_a_fitting_call_link_it_and_read_the_rules_check(page, tr):
    sign_in(page, tr, "perano", "coordinator")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.get_by_role("navigation").get_by_role("link", name=tr("it", "Projects"), exact=True).click()
    page.get_by_role("link", name=PERANO_PROJECT).click()
    expect(h1(page)).to_contain_text(PERANO_PROJECT)
    calls = page.get_by_role("region", name=tr("it", "Funding calls"))
    # Already linked to the CERV call: two partners and two countries needed, one of each present.
    expect(calls.locator("table.rules-check").first).to_contain_text("richiede almeno 2 partner, ne ha 1")
    # The Perano LEADER call fits (tourism, Italy) and is offered with its reasons.
    fitting = calls.locator("ol.suggestions > li").filter(has_text=PERANO_LEADER)
    expect(fitting).to_contain_text("temi in comune")
    check_axe(page)
    fitting.get_by_role("button", name=re.compile(re.escape(tr("it", "Link to this call")))).click()
    expect(page.locator(".flash-success")).to_contain_text(tr("it", "The project is linked to the call."))
    linked = page.get_by_role("table", name=tr("it", "Rules check against this call"))
    expect(linked).to_have_count(2)
    expect(page.get_by_role("region", name=tr("it", "Funding calls"))).to_contain_text(PERANO_LEADER)
    check_axe(page)


def test_filter_the_list_and_add_a_call(page, tr):
    sign_in(page, tr, "kungalv", "coordinator")
    page.get_by_role("navigation").get_by_role("link", name="Utlysningar", exact=True).click()
    expect(h1(page)).to_have_text("Utlysningar")
    page.get_by_label(tr("sv", "Programme"), exact=True).select_option("erasmus")
    page.get_by_role("button", name=tr("sv", "Show calls"), exact=True).click()
    expect(page.locator("main")).to_contain_text("Erasmus+")
    expect(page.locator("main")).not_to_contain_text(KUNGALV_LEADER)
    check_axe(page)

    page.get_by_role("link", name=tr("sv", "Add a call"), exact=True).first.click()
    page.get_by_label(tr("sv", "Title"), exact=True).fill("Vinnova: Hållbara städer (test)")
    page.get_by_role("button", name=tr("sv", "Add the call"), exact=True).click()
    # No dates: refused beside the fields, in Swedish, nothing saved.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#opens_on-error")).to_contain_text(tr("sv", "This field is required."))
    check_axe(page)
    page.get_by_label(tr("sv", "Opens on"), exact=True).fill("2027-01-10")
    page.get_by_label(tr("sv", "Closes on"), exact=True).fill("2027-04-15")
    page.get_by_label(tr("sv", "Programme"), exact=True).select_option("national")
    page.get_by_label(tr("sv", "Currency"), exact=True).select_option("SEK")
    page.get_by_label(tr("sv", "Maximum aid intensity (in per cent)"), exact=True).fill("50")
    page.get_by_role("button", name=tr("sv", "Add the call"), exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(tr("sv", "The call has been added."))
    expect(h1(page)).to_contain_text("Vinnova: Hållbara städer (test)")
    expect(page.locator("main")).to_contain_text("17:00")
    check_axe(page)


@pytest.mark.parametrize("lang", LANGS)
def test_calls_pages_are_accessible_in_every_language(page, tr, lang):
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    page.goto(f"/kungalv/calls/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_axe(page)
    page.get_by_role("link", name=KUNGALV_LEADER_IN[lang]).click()
    expect(h1(page)).to_contain_text(KUNGALV_LEADER_IN[lang])
    check_axe(page)
    page.get_by_role("link", name=tr(lang, "Edit the call"), exact=True).click()
    check_axe(page)
    page.goto(f"/kungalv/projects/?lang={lang}")
    page.get_by_role("link", name=re.compile(KUNGALV_PROJECT + "|Solaranlagen|Pannelli solari")).first.click()
    table = page.get_by_role("table", name=tr(lang, "Rules check against this call"))
    expect(table).to_contain_text(tr(lang, "not met"))
    check_axe(page)
