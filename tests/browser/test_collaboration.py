"""Collaboration without friction (issue 14) in a real browser, in sv, de and it, axe-clean:

1. money typed in the reader's own format is saved as typed and said back; ambiguous grouping is refused
   with a clear message and the amount as read is shown beside it;
4. what a person cannot do is explained where the button would be and on the 403 page; removing a funding
   line asks first, and the question works with JavaScript switched off;
5. a visit that has not started cannot be saved as completed.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _LIVE, LANGS, check_axe, sign_in

TOWN_OF = {"sv": "kungalv", "de": "hiddenhausen", "it": "perano"}
# What each language types for "ninety-nine and a half" and what it shows back (€ or kr).
TYPED = {"sv": ("99,50", "99,50"), "de": ("99,50", "99,50"), "it": ("99,50", "99,50")}


def _ids(query) -> list[int]:
    """Ids from the live demo database, read the way the platform's CLI reads across municipalities."""
    from exchange.extensions import db
    from exchange.tenancy import all_municipalities
    with _LIVE["app"].app_context(), all_municipalities():
        return list(db.session.scalars(query))


def _visit_of(slug: str) -> int:
    """A visit the municipality hosts (demo data)."""
    from sqlalchemy import select

    from exchange.municipalities.models import Municipality
    from exchange.visits.models import Visit
    return _ids(select(Visit.id).join(Municipality, Municipality.id == Visit.host_municipality_id)
                .where(Municipality.slug == slug).order_by(Visit.id))[0]


def _project(lead: str, status: str) -> int:
    from sqlalchemy import select

    from exchange.municipalities.models import Municipality
    from exchange.projects.models import Project
    return _ids(select(Project.id).join(Municipality, Municipality.id == Project.lead_municipality_id)
                .where(Municipality.slug == lead, Project.status == status).order_by(Project.id))[0]


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow


@pytest.mark.parametrize("lang", LANGS)
def test_a_cost_is_saved_as_typed_and_ambiguity_is_refused(new_recording_context, tr, lang):
    slug = TOWN_OF[lang]
    page = new_recording_context().new_page()
    sign_in(page, tr, slug, "coordinator", lang=lang)
    page.goto(f"/{slug}/visits/{_visit_of(slug)}?lang={lang}")

    page.locator("summary", has_text=tr(lang, "Add a cost")).click()
    form = page.locator("form[action$='/costs']")
    amount = form.get_by_label(tr(lang, "Amount"), exact=True)
    expect(amount).to_have_attribute("type", "text")
    expect(amount).to_have_attribute("inputmode", "decimal")
    amount.fill("1 50 000")
    form.get_by_role("button", name=tr(lang, "Add the cost")).click()
    message = tr(lang, "This number can be read in more than one way. Group thousands in threes or not at all, "
                       "and use one decimal separator: for example 1 250 000,50 or 1250000,50.")
    expect(page.locator("#cost-amount-error")).to_have_text(message)
    check_axe(page)

    form = page.locator("form[action$='/costs']")
    form.get_by_label(tr(lang, "Amount"), exact=True).fill(TYPED[lang][0])
    form.get_by_role("button", name=tr(lang, "Add the cost")).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(re.compile(re.escape(TYPED[lang][1]) + r"\s(€|kr)"))
    expect(status).not_to_contain_text("9950")
    expect(status).not_to_contain_text("9\u00a0950")
    check_axe(page)


@pytest.mark.parametrize("lang", LANGS)
def test_staff_are_told_who_can_and_the_403_page_says_why(new_recording_context, tr, lang):
    proposed = _project("hiddenhausen", "proposed")
    # Kungälv staff: not taking part, and not the one who asks to join.
    kungalv = new_recording_context(viewport={"width": 320, "height": 700}).new_page()
    sign_in(kungalv, tr, "kungalv", "staff", lang=lang)
    kungalv.goto(f"/kungalv/projects/{proposed}?lang={lang}")
    expect(kungalv.locator("main")).to_contain_text(
        tr(lang, "Your coordinator can ask to join on behalf of %(municipality)s.", municipality="Kungälv"))
    check_axe(kungalv)
    _no_sideways_scroll(kungalv)

    # Hiddenhausen staff: the lead, but a proposed project is the coordinators' to edit.
    hidden = new_recording_context().new_page()
    sign_in(hidden, tr, "hiddenhausen", "staff", lang=lang)
    reason = tr(lang, "Proposed projects are edited by the lead coordinator: ask a coordinator of %(lead)s.",
                lead="Hiddenhausen")
    hidden.goto(f"/hiddenhausen/projects/{proposed}?lang={lang}")
    expect(hidden.locator("main")).to_contain_text(reason)
    response = hidden.goto(f"/hiddenhausen/projects/{proposed}/edit")
    assert response.status == 403
    expect(hidden.get_by_role("heading", level=1)).to_have_text(tr(lang, "This is not possible for you here"))
    expect(hidden.locator("main")).to_contain_text(reason)
    check_axe(hidden)


@pytest.mark.parametrize("lang", LANGS)
def test_removing_a_funding_line_asks_first_even_without_javascript(new_recording_context, new_context, tr, lang):
    project = _project("kungalv", "active")
    page = new_recording_context().new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    page.goto(f"/kungalv/projects/{project}/plan?lang={lang}")
    form = page.locator("form[action$='/plan/funding']")
    form.get_by_label(tr(lang, "Source")).select_option("private_money")
    form.get_by_label(tr(lang, "Amount"), exact=True).fill("1.234,50" if lang != "sv" else "1 234,50")
    form.get_by_label(tr(lang, "Note (optional)")).fill(f"Sponsor {lang}")
    form.get_by_role("button", name=tr(lang, "Add the funding line")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"1\s234,50\s(kr|SEK)|1\.234,50\s(kr|SEK)"))
    row = page.locator("#funding table tbody tr", has_text=f"Sponsor {lang}")
    expect(row).to_have_count(1)

    # One click only opens the question; the line is still there.
    row.locator("summary").click()
    question = row.locator(".confirm-box")
    expect(question).to_be_visible()
    check_axe(page)
    expect(page.locator("#funding table tbody tr", has_text=f"Sponsor {lang}")).to_have_count(1)
    cookies = page.context.cookies()

    # The same with JavaScript switched off: the disclosure is HTML, the removal a plain form.
    nojs = new_context(java_script_enabled=False)
    nojs.add_cookies(cookies)
    bare = nojs.new_page()
    bare.goto(f"/kungalv/projects/{project}/plan?lang={lang}")
    bare_row = bare.locator("#funding table tbody tr", has_text=f"Sponsor {lang}")
    expect(bare_row.locator(".confirm-box")).to_be_hidden()
    bare_row.locator("summary").click()
    bare_row.locator(".confirm-box").get_by_role("button").click()
    expect(bare.get_by_role("status")).to_contain_text(tr(lang, "The funding line has been removed."))
    expect(bare.locator("#funding table tbody tr", has_text=f"Sponsor {lang}")).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_a_future_visit_cannot_be_saved_as_completed(new_recording_context, tr, lang):
    slug = TOWN_OF[lang]
    other = "perano" if slug != "perano" else "kungalv"
    day = dt.date.today() + dt.timedelta(days=200)
    page = new_recording_context(viewport={"width": 320, "height": 700}).new_page()
    sign_in(page, tr, slug, "coordinator", lang=lang)
    page.goto(f"/{slug}/visits/new?lang={lang}")
    form = page.locator("main form")
    form.get_by_role("group", name=tr(lang, "Visiting municipalities")).get_by_label(
        {"perano": "Perano", "kungalv": "Kungälv"}[other], exact=True).check()
    form.get_by_label(tr(lang, "First day")).fill(day.isoformat())
    form.get_by_label(tr(lang, "Last day")).fill((day + dt.timedelta(days=1)).isoformat())
    form.get_by_label(tr(lang, "Status")).select_option("completed")
    form.get_by_label(tr(lang, "Purpose"), exact=True).fill(f"Future {lang}")
    form.get_by_role("button", name=tr(lang, "Save the visit")).click()
    expect(page.locator("#status-error")).to_have_text(tr(
        lang, "A visit that has not started yet cannot be completed. Keep it planned or confirmed, and mark it "
              "completed once it has taken place."))
    check_axe(page)
    _no_sideways_scroll(page)
    page.locator("main form").get_by_label(tr(lang, "Status")).select_option("planned")
    page.locator("main form").get_by_role("button", name=tr(lang, "Save the visit")).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr(lang, "The visit has been saved. Add the programme, participants and costs below."))
