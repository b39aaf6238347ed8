"""Every page a signed-in admin can reach by following links (issue 14: "axe 0 serious/critical and no
horizontal scrolling at 320 px on every page in all three languages"), found by crawling the demo, not
listed by hand, so a new page is checked the day it gets a link.

Pages are grouped by their route (ids replaced by N): each route is checked once, in a language that
rotates over sv, de and it, so every language covers a third of the routes and every route is covered.
Several towns' admins crawl, so pages only one municipality's data leads to are reached too.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.browser.conftest import LANGS, axe_violations, sign_in

# Not pages: downloads, feeds, images, one-click actions reached by GET links, the way out.
SKIP = re.compile(r"\.(csv|xlsx|ics|json|xml|atom|css|png|jpg|po|mo)$|/logout$|/emblem$|/feed/|/unsubscribe/|/static/"
                  r"|/export|/api/|/open-data/")
LIMIT = 300  # routes at most: a guard against a crawl that never ends, far above today's count


def _route(path: str) -> str:
    """The page's route: ids and language codes in the path replaced."""
    return re.sub(r"/(sv|de|it)(?=/|$)", "/L", re.sub(r"/\d+(?=/|$)", "/N", path))


def test_every_linked_page_passes_axe_and_fits_320_px(new_recording_context, tr):
    page = new_recording_context(viewport={"width": 320, "height": 640}).new_page()
    checked: dict[str, str] = {}
    problems: list[str] = []
    for slug in ("kungalv", "perano"):
        page.context.clear_cookies()
        sign_in(page, tr, slug, "admin", lang="sv")
        queue = [f"/{slug}/"]
        seen = set(queue)
        while queue and len(checked) < LIMIT:
            path = queue.pop(0)
            route = _route(path)
            if route in checked:
                continue
            lang = LANGS[len(checked) % len(LANGS)]
            response = page.goto(f"{path}?lang={lang}")
            page.wait_for_load_state("load")
            checked[route] = lang
            if response is None or response.status >= 400:
                problems.append(f"{path} ({lang}): HTTP {response.status if response else '?'}")
                continue
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 1:
                problems.append(f"{path} ({lang}): scrolls sideways by {overflow} px at 320 px")
            problems += [f"{path} ({lang}): {v}" for v in axe_violations(page)]
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
                target = urlsplit(href)
                if target.netloc or not target.path.startswith(f"/{slug}/") or SKIP.search(target.path):
                    continue
                if target.path not in seen and _route(target.path) not in checked:
                    seen.add(target.path)
                    queue.append(target.path)
    assert len(checked) >= 40, f"the crawl reached only {len(checked)} routes: {sorted(checked)}"
    assert len(checked) < LIMIT, "the crawl hit its limit: raise LIMIT or skip what is not a page"
    print(f"every page: {len(checked)} routes checked at 320 px with axe-core")
    assert not problems, f"{len(checked)} routes checked; problems:\n" + "\n".join(problems)
