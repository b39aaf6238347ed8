"""The look of the pages as a reader notices it (issue 14, point 8), in sv, de and it:

* at 1280 px no word is broken in the middle (the directory once showed "Gemein|de", "Hiddenha|usen");
* a checkbox and its label sit on one line;
* buttons are as wide as their text, not stretched across the form;
* at 320 px the plan and the partner page of a project do not scroll sideways (visually hidden labels
  inside a scrolling table once widened the page).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, sign_in

# Words of table cells and headings that the browser laid out on more than one line box. A word that
# does not fit a line at all may still break (with a hyphen); at 1280 px none of ours is that long.
SPLIT_WORDS = """() => {
  const split = [];
  for (const el of document.querySelectorAll('main td, main th, main h1, main h2, main h3, main dt, main dd, main li, main .nowrap')) {
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.data)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split.slice(0, 10);
}"""

# Checkboxes whose label starts on another line than the box.
LOOSE_CHECKBOXES = """() => Array.from(document.querySelectorAll('main input[type=checkbox]'))
  .filter(box => box.id && document.querySelector('label[for="' + box.id + '"]'))
  .filter(box => {
    const b = box.getBoundingClientRect();
    const l = document.querySelector('label[for="' + box.id + '"]').getClientRects()[0];
    return !l || Math.abs((b.top + b.bottom) / 2 - (l.top + l.bottom) / 2) > 12 || l.left < b.right;
  }).map(box => box.id).slice(0, 10)"""

# Buttons much wider than their own text (a grid stretching them to the form's width).
STRETCHED_BUTTONS = """() => Array.from(document.querySelectorAll('main button, main .button'))
  .filter(b => b.offsetParent !== null)
  .filter(b => {
    const range = document.createRange(); range.selectNodeContents(b);
    return b.getBoundingClientRect().width > range.getBoundingClientRect().width + 120;
  }).map(b => b.textContent.trim()).slice(0, 10)"""


def _check_layout(page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate(SPLIT_WORDS) == [], f"{page.url}: words broken mid-word"
    assert page.evaluate(LOOSE_CHECKBOXES) == [], f"{page.url}: checkbox labels not beside their box"
    assert page.evaluate(STRETCHED_BUTTONS) == [], f"{page.url}: buttons stretched beyond their text"


@pytest.mark.parametrize("lang", LANGS)
def test_pages_at_1280_px_keep_words_whole_labels_beside_boxes_and_buttons_to_size(new_recording_context, tr,
                                                                                      lang):
    page = new_recording_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, tr, "hiddenhausen", "coordinator", lang=lang)
    _check_layout(page)  # the dashboard

    page.goto(f"/hiddenhausen/partners/?lang={lang}")
    expect(page.locator("main table").first).to_be_visible()
    _check_layout(page)

    page.goto(f"/hiddenhausen/projects/?lang={lang}")
    page.locator("main").get_by_role("link", name=re.compile("Solceller|Solaranlagen|Pannelli")).first.click()
    expect(page).to_have_url(re.compile(r"/hiddenhausen/projects/\d+$"))
    _check_layout(page)
    page.goto(page.url + "/plan")
    _check_layout(page)

    page.goto(f"/hiddenhausen/visits/?lang={lang}")
    visit = page.evaluate("""() => Array.from(document.querySelectorAll('main a'))
        .map(a => a.getAttribute('href')).find(h => /\\/visits\\/\\d+$/.test(h))""")
    page.goto(f"{visit}?lang={lang}")
    _check_layout(page)

    # A form with checkboxes (the themes of an organisation profile) and a submit button.
    page.goto(f"/hiddenhausen/partners/new?lang={lang}")
    expect(page.locator("main input[type=checkbox]").first).to_be_visible()
    _check_layout(page)


@pytest.mark.parametrize("lang", LANGS)
def test_plan_and_partner_page_of_a_project_fit_320_px(new_recording_context, tr, lang):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, "kungalv", "coordinator", lang=lang)
    page.goto(f"/kungalv/projects/?lang={lang}")
    page.locator("main").get_by_role("link", name=re.compile("Solceller|Solaranlagen|Pannelli")).first.click()
    expect(page).to_have_url(re.compile(r"/kungalv/projects/\d+$"))
    project_id = re.search(r"/projects/(\d+)$", page.url).group(1)
    for path in (f"/kungalv/projects/{project_id}/plan", f"/kungalv/partners/projects/{project_id}"):
        page.goto(f"{path}?lang={lang}")
        page.wait_for_load_state("load")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path}: the page scrolls sideways ({widths[0]} px > {widths[1]} px)"
