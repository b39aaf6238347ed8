"""Two people edit the same visit cost in real browsers (issue 11 "Concurrency"): the second save from
the same form is refused with the conflict shown (their input kept, the saved version beside it), axe
finds nothing serious on that page in sv, de and it, the page does not scroll sideways at 320 px, and
saving again replaces the first save knowingly."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, check_axe, sign_in

CONFLICT = ("Someone else saved this in the meantime, so your changes have not been saved. Your input is kept "
            "below, beside the saved version: check it, then save again to keep your changes.")


def _a_cost_edit_page(page) -> str:
    """The edit page of some visit cost Kungälv's coordinator may edit (from the demo data)."""
    page.goto("/kungalv/visits/")
    visits = page.locator("main table tbody tr a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in visits:
        page.goto(href)
        for link in page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            if re.search(r"/visits/\d+/costs/\d+/edit$", link or ""):
                return link
    raise AssertionError("the demo data has no visit cost Kungälv edits")


@pytest.mark.parametrize("lang", LANGS)
def test_the_second_save_of_a_cost_shows_the_conflict_and_keeps_the_input(new_recording_context, tr, lang):
    first = new_recording_context().new_page()
    # The second person works on a phone: the conflict page must fit 320 px too.
    second = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    for page in (first, second):
        sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    url = _a_cost_edit_page(first)
    first.goto(f"{url}?lang={lang}")
    second.goto(f"{url}?lang={lang}")
    note = tr(lang, "Note (optional)")

    first.get_by_label(note).fill(f"Första sparningen {lang}")
    first.get_by_role("button", name=tr(lang, "Save the changes")).click()
    expect(first.get_by_role("status")).to_contain_text(tr(lang, "The cost has been saved."))

    second.get_by_label(note).fill(f"Andra sparningen {lang}")
    second.get_by_role("button", name=tr(lang, "Save the changes")).click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text(tr(lang, CONFLICT))
    row = second.locator("table.conflict tr", has=second.get_by_role("rowheader", name=note))
    expect(row).to_contain_text(f"Andra sparningen {lang}")
    expect(row).to_contain_text(f"Första sparningen {lang}")
    expect(second.get_by_label(note)).to_have_value(f"Andra sparningen {lang}")  # the input is kept
    check_axe(second)
    overflow = second.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow

    # Saving again replaces the first save, knowingly.
    second.get_by_role("button", name=tr(lang, "Save the changes")).click()
    expect(second.get_by_role("status")).to_contain_text(tr(lang, "The cost has been saved."))
    expect(second.locator("main")).to_contain_text(f"Andra sparningen {lang}")
