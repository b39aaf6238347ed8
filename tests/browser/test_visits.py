"""Knowledge-exchange visits in a real browser: a Perano coordinator logs a visit from Kungälv in Italian
with participants and a follow-up action; a Kungälv coordinator reads it in Swedish with the
participants; a Hiddenhausen user sees that it took place, without them. axe-core on the list, calendar,
detail, form and report pages in sv, de and it."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, check_axe, sign_in

PURPOSE = "Scambio di esperienze sui percorsi ciclabili tra i vigneti."
KUNGALV_PERSON = "Ingrid Söderström"
PERANO_PERSON = "Alessandra Ferrante"
FOLLOW_UP = "Inviare la mappa dei percorsi a Kungälv"


def _goto_new_visit(page, tr, lang):
    page.get_by_role("navigation", name=tr(lang, "Main menu")).get_by_role(
        "link", name=tr(lang, "Visits"), exact=True).click()
    page.get_by_role("link", name=tr(lang, "Log a visit"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Log a visit"))


def test_log_a_visit_and_who_sees_the_participants(new_recording_context, tr):
    day = dt.date.today() + dt.timedelta(days=45)

    # --- Perano's coordinator logs the visit in Italian -------------------------------------
    perano = new_recording_context().new_page()
    sign_in(perano, tr, "perano", "coordinator", lang="it")
    _goto_new_visit(perano, tr, "it")
    check_axe(perano)
    form = perano.locator("main form")
    expect(form.get_by_label(tr("it", "Host municipality"))).to_have_value(re.compile(r"\d+"))
    form.get_by_role("group", name=tr("it", "Visiting municipalities")).get_by_label("Kungälv", exact=True).check()
    form.get_by_label(tr("it", "First day")).fill(day.isoformat())
    form.get_by_label(tr("it", "Start time (optional)")).fill("09:00")
    form.get_by_label(tr("it", "Last day")).fill((day + dt.timedelta(days=1)).isoformat())
    form.get_by_label(tr("it", "End time (optional)")).fill("17:00")
    form.get_by_label(tr("it", "Status")).select_option("confirmed")
    expect(form.get_by_label(tr("it", "Language of the purpose"))).to_have_value("it")
    form.get_by_label(tr("it", "Purpose"), exact=True).fill(PURPOSE)
    form.get_by_role("button", name=tr("it", "Save the visit")).click()

    expect(perano.get_by_role("status")).to_contain_text(
        tr("it", "The visit has been saved. Add the programme, participants and costs below."))
    detail_url = perano.url
    visit_path = re.search(r"/perano(/visits/\d+)$", detail_url).group(1)

    # Participants from both municipalities, then a follow-up action.
    perano.get_by_text(tr("it", "Add a participant"), exact=True).click()
    participant = perano.locator("form[action$='/participants']")
    participant.get_by_label(tr("it", "Name"), exact=True).fill(KUNGALV_PERSON)
    participant.get_by_label(tr("it", "Organisation or department")).fill("Kungälvs kommun, kultur")
    participant.get_by_label(tr("it", "Municipality"), exact=True).select_option(label="Kungälv")
    participant.get_by_role("button", name=tr("it", "Add the participant")).click()
    expect(perano.get_by_role("status")).to_contain_text(tr("it", "The participant has been added."))

    perano.get_by_text(tr("it", "Add a participant"), exact=True).click()
    participant = perano.locator("form[action$='/participants']")
    participant.get_by_label(tr("it", "Name"), exact=True).fill(PERANO_PERSON)
    participant.get_by_label(tr("it", "Organisation or department")).fill("Comune di Perano")
    participant.get_by_label(tr("it", "Municipality"), exact=True).select_option(label="Perano")
    participant.get_by_role("button", name=tr("it", "Add the participant")).click()

    perano.get_by_text(tr("it", "Add a follow-up action"), exact=True).click()
    follow_up = perano.locator("form[action$='/follow-ups']")
    follow_up.get_by_label(tr("it", "Follow-up action"), exact=True).fill(FOLLOW_UP)
    follow_up.get_by_label(tr("it", "Or the name of someone without an account (optional)")).fill(PERANO_PERSON)
    follow_up.get_by_label(tr("it", "Due date (optional)")).fill((day + dt.timedelta(days=30)).isoformat())
    follow_up.get_by_role("button", name=tr("it", "Add the follow-up action")).click()
    expect(perano.get_by_role("status")).to_contain_text(tr("it", "The follow-up action has been added."))

    participants = perano.locator("section[aria-labelledby=participants] table")
    expect(participants).to_contain_text(KUNGALV_PERSON)
    expect(participants).to_contain_text(PERANO_PERSON)
    expect(perano.locator("section[aria-labelledby=follow-ups] table")).to_contain_text(FOLLOW_UP)
    check_axe(perano)

    # A bad save: the error is beside the field, in Italian, and nothing is lost.
    perano.get_by_role("link", name=tr("it", "Edit the visit")).click()
    perano.locator("main form").get_by_label(tr("it", "Last day")).fill((day - dt.timedelta(days=3)).isoformat())
    perano.locator("main form").get_by_role("button", name=tr("it", "Save the visit")).click()
    expect(perano.locator(".field-error .error")).to_contain_text(tr("it", "The last day cannot be before the first day."))
    expect(perano.locator("main form").get_by_label(tr("it", "Purpose"), exact=True)).to_have_value(PURPOSE)
    check_axe(perano)
    perano.context.close()

    # --- Kungälv's coordinator reads it in Swedish, with the participants --------------------
    kungalv = new_recording_context().new_page()
    sign_in(kungalv, tr, "kungalv", "coordinator", lang="sv")
    kungalv.goto(f"/kungalv{visit_path}")
    expect(kungalv.locator("html")).to_have_attribute("lang", "sv")
    expect(kungalv.get_by_role("heading", level=1)).to_contain_text("Perano")
    # The purpose is shown in its original language, marked as Italian, with the note.
    expect(kungalv.locator(f"section[aria-labelledby=h-purpose] [lang=it]")).to_contain_text(PURPOSE)
    participants = kungalv.locator("section[aria-labelledby=participants]")
    expect(participants).to_contain_text(KUNGALV_PERSON)
    expect(participants).to_contain_text(PERANO_PERSON)
    expect(kungalv.locator("section[aria-labelledby=follow-ups]")).to_contain_text(FOLLOW_UP)
    check_axe(kungalv)
    kungalv.context.close()

    # --- Hiddenhausen sees that the visit takes place, without participants ------------------
    hiddenhausen = new_recording_context().new_page()
    sign_in(hiddenhausen, tr, "hiddenhausen", "coordinator", lang="de")
    hiddenhausen.goto(f"/hiddenhausen{visit_path}")
    expect(hiddenhausen.get_by_role("heading", level=1)).to_contain_text("Kungälv")
    main = hiddenhausen.locator("main")
    expect(main).not_to_contain_text(KUNGALV_PERSON)
    expect(main).not_to_contain_text(PERANO_PERSON)
    expect(main).not_to_contain_text(PURPOSE)
    expect(main).not_to_contain_text(FOLLOW_UP)
    check_axe(hiddenhausen)
    hiddenhausen.context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_visit_pages_pass_axe(new_recording_context, tr, lang):
    page = new_recording_context().new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    page.goto(f"/kungalv/visits/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_axe(page)
    first = page.locator("main table tbody tr a").first
    first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_axe(page)
    # The edit pages of a visit's programme items, participants, costs and follow-up actions.
    page.goto(f"/kungalv/visits/?lang={lang}")
    visit_links = page.locator("main table tbody tr a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    child_edit = re.compile(r"/visits/\d+/(agenda|participants|costs|follow-ups)/\d+/edit$")
    edit_pages: dict[str, str] = {}
    for href in visit_links[:8]:
        page.goto(href)
        for link in page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            match = child_edit.search(link or "")
            if match:
                edit_pages.setdefault(match.group(1), link)
    assert set(edit_pages) == {"agenda", "participants", "costs", "follow-ups"}, edit_pages
    for path in [*edit_pages.values(), "/kungalv/visits/calendar", "/kungalv/visits/new", "/kungalv/visits/reports",
                 "/kungalv/visits/lessons"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_axe(page)


def test_visit_pages_work_at_320_pixels(new_recording_context, tr):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "perano", "coordinator", lang="it")
    for path in ("/perano/visits/", "/perano/visits/calendar", "/perano/visits/reports", "/perano/visits/1",
                 "/perano/visits/new"):
        page.goto(path)
        # No horizontal scrolling of the page itself: wide tables scroll inside their .table-wrap.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
        check_axe(page)


@pytest.mark.parametrize("lang", LANGS)
def test_the_personal_data_tool_in_every_language(new_recording_context, tr, lang):
    """A coordinator finds a demo participant, sees the records and the confirmation before erasing
    (without erasing: the live server's demo data is shared by the browser tests); axe-clean, 320 px."""
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    page.goto(f"/kungalv/personal-data?lang={lang}")
    check_axe(page)
    page.get_by_label(tr(lang, "Name of the person"), exact=True).fill("johan berg")
    page.get_by_role("button", name=tr(lang, "Find the records")).click()
    expect(page.get_by_role("heading", name=tr(lang, "Records found"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kommunledningskontoret")  # a visit participant
    expect(page.locator("main")).to_contain_text("coordinator@kungalv.example")  # and the account
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    page.get_by_role("button", name=tr(lang, "Erase the person…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Erase a person"))
    check_axe(page)
    page.get_by_role("link", name=tr(lang, "Cancel")).click()
    expect(page).to_have_url(re.compile(r"/kungalv/personal-data$"))
