"""The visual pass of issue 14 (point 8), in a real browser: no page of the plan or of a project's partners
scrolls sideways at 320 px (the table boxes are positioned, so their visually hidden labels stay inside),
words are not broken mid-word in the partner directory at 1280 px, and a single checkbox sits beside its
label; axe-clean in sv, de and it."""
from __future__ import annotations

import pytest

from tests.browser.conftest import LANGS, check_axe, sign_in
from tests.browser.test_collaboration import _project

TOWN_OF = {"sv": "kungalv", "de": "hiddenhausen", "it": "perano"}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("lang", LANGS)
def test_plan_and_partner_pages_do_not_scroll_sideways_at_320_pixels(new_recording_context, tr, lang):
    project = _project("kungalv", "active")
    page = new_recording_context(viewport={"width": 320, "height": 700}).new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    for path in (f"/kungalv/projects/{project}/plan", f"/kungalv/partners/projects/{project}",
                 f"/kungalv/projects/{project}"):
        page.goto(f"{path}?lang={lang}")
        assert _overflow(page) <= 1, (path, _overflow(page))
        check_axe(page)


@pytest.mark.parametrize("lang", LANGS)
def test_no_mid_word_breaks_and_checkbox_labels_beside_their_box(new_recording_context, tr, lang):
    slug = TOWN_OF[lang]
    page = new_recording_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, tr, slug, "staff", lang=lang)
    page.goto(f"/{slug}/partners/?lang={lang}")
    style = page.evaluate("(() => { const s = getComputedStyle(document.body); "
                          "return [s.overflowWrap, s.hyphens]; })()")
    assert style == ["break-word", "auto"], style
    # Every municipality name in the directory's table stays on one line at 1280 px.
    broken = page.evaluate("""(() => {
        const names = ['Hiddenhausen', 'Kungälv', 'Perano'];
        const out = [];
        for (const cell of document.querySelectorAll('main td')) {
            const text = cell.textContent.trim();
            if (!names.includes(text)) continue;
            const range = document.createRange(); range.selectNodeContents(cell);
            if (range.getClientRects().length > 1) out.push(text);
        }
        return out; })()""")
    assert broken == [], broken
    check_axe(page)
    # The organisation form's single checkbox: its label on the same line, to its right.
    page.goto(f"/{slug}/partners/new?lang={lang}")
    box = page.locator("input[type=checkbox][name=funder]").bounding_box()
    label = page.locator("label[for=funder]").bounding_box()
    assert abs(label["y"] - box["y"]) < box["height"] and label["x"] > box["x"], (box, label)
    check_axe(page)
