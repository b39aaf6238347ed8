"""The notification centre in a real browser (issue 15): the header's count with its accessible name,
the list with unread and read items linking to their objects, mark all as read, the e-mail settings, the
unsubscribe page, following a project; axe-core on each page in sv, de and it, and the pages at 320 px.

Each language uses another town's demo account (the demo gives every account unread notifications), so
marking them read in one test leaves the others' unread."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, check_axe, sign_in

TOWN = {"sv": "kungalv", "de": "hiddenhausen", "it": "perano"}


def _notifications_link(page, tr, lang):
    return page.get_by_role("navigation", name=tr(lang, "Main menu")).get_by_role(
        "link", name=re.compile("^" + re.escape(tr(lang, "Notifications"))))


def _unsubscribe_path(live_app, slug: str, role: str, scope: str) -> str:
    from exchange.auth.services import find_by_email
    from exchange.municipalities.queries import by_slug
    from exchange.notifications.mailing import unsubscribe_token
    from exchange.tenancy import municipality_scope
    with live_app.app_context(), municipality_scope(by_slug(slug)):
        return f"/{slug}/notifications/unsubscribe/{unsubscribe_token(find_by_email(f'{role}@{slug}.example'), scope)}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_notification_centre(new_recording_context, tr, live_app, lang):
    slug = TOWN[lang]
    page = new_recording_context().new_page()
    sign_in(page, tr, slug, "coordinator", lang=lang)

    # The header: the word, and the number as part of the link's name (not colour alone).
    link = _notifications_link(page, tr, lang)
    expect(link).to_have_accessible_name(re.compile(rf"^{re.escape(tr(lang, 'Notifications'))}\s+\S*\d+"))
    expect(link.locator(".count")).to_have_text(re.compile(r"^\d+$"))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Notifications"))
    items = page.locator("ul.notifications > li")
    expect(items.first).to_be_visible()
    expect(page.locator("li.notification.unread .badge-unread").first).to_be_visible()  # a word, not a colour
    check_axe(page)

    # Each item links to its object.
    first = page.locator("ul.notifications a").first
    target = first.get_attribute("href")
    assert re.match(rf"/{slug}/(projects|visits|partners|workbench)", target)
    first.click()
    expect(page).to_have_url(re.compile(re.escape(target.split("#")[0])))
    page.go_back()

    # Mark all as read: the count leaves the header, the items stay, read.
    page.get_by_role("button", name=tr(lang, "Mark all as read"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(tr(lang, "All notifications are marked as read."))
    expect(_notifications_link(page, tr, lang)).to_have_accessible_name(tr(lang, "Notifications"))
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(page.locator("li.notification.read").first).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name=tr(lang, "Unread only"), exact=True).click()
    expect(page.locator("main")).to_contain_text(tr(lang, "No unread notifications."))

    # The e-mail settings.
    page.get_by_role("link", name=tr(lang, "E-mail settings"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "E-mail settings"))
    check_axe(page)
    page.get_by_label(tr(lang, "A new comment on a project you follow")).select_option("weekly")
    page.get_by_role("button", name=tr(lang, "Save the e-mail settings")).click()
    expect(page.get_by_role("status")).to_contain_text(tr(lang, "Your e-mail settings have been saved."))
    expect(page.get_by_label(tr(lang, "A new comment on a project you follow"))).to_have_value("weekly")

    # Following a project from its page.
    page.goto(f"/{slug}/projects/")
    page.locator("main .project-list a").first.click()
    unfollow = page.get_by_role("button", name=tr(lang, "Stop following"), exact=True)
    if unfollow.count():
        unfollow.click()
    page.get_by_role("button", name=re.compile("^" + re.escape(tr(lang, "Follow")) + " ")).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr(lang, "You follow it now: you will be notified of what happens to it."))
    expect(unfollow).to_be_visible()
    check_axe(page)

    # The unsubscribe page of a mail (no sign-in needed).
    anonymous = new_recording_context().new_page()
    anonymous.goto(_unsubscribe_path(live_app, slug, "staff", "digest:daily") + f"?lang={lang}")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(tr(lang, "Unsubscribe"))
    check_axe(anonymous)
    anonymous.get_by_role("button", name=tr(lang, "Stop these e-mails")).click()
    expect(anonymous.get_by_role("status")).to_be_visible()
    check_axe(anonymous)


@pytest.mark.parametrize("lang", LANGS)
def test_the_notification_pages_fit_320_px(new_recording_context, tr, lang):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, tr, TOWN[lang], "staff", lang=lang)

    def assert_no_horizontal_scroll() -> None:
        page.wait_for_load_state("load")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{page.url}: the page scrolls sideways ({widths[0]} px > {widths[1]} px)"

    link = _notifications_link(page, tr, lang)
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert_no_horizontal_scroll()
    link.click()
    expect(page.locator("ul.notifications > li").first).to_be_visible()
    assert_no_horizontal_scroll()
    check_axe(page)
    page.goto(f"/{TOWN[lang]}/notifications/settings")
    assert_no_horizontal_scroll()
