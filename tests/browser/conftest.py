"""Real-browser tests (DESIGN.md §7): Debian's Chromium driven by Playwright against a live server.

* Without ``/usr/bin/chromium`` every test here is skipped with a visible reason; CI sets
  ``EXCHANGE_REQUIRE_BROWSER=1``, which turns that skip into a failure.
* One live server per session (its own SQLite file, the demo data, CSRF on, rate limiting on and
  reset before each test) and one browser per session; each test gets a fresh context (cookies).
* ``check_axe(page)`` runs axe-core and fails on serious or critical violations. It also fails when the
  page broke its own Content-Security-Policy (an inline style or script the browser refused).
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("EXCHANGE_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("EXCHANGE_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# The demo accounts (exchange.demo): <role>@<slug>.example, all with this password.
DEMO_PASSWORD = "exchange-demo"
LANGS = ("sv", "de", "it")
# Each municipality's own language.
TOWN_LANG = {"kungalv": "sv", "hiddenhausen": "de", "perano": "it"}
TOWN_NAME = {"kungalv": "Kungälv", "hiddenhausen": "Hiddenhausen", "perano": "Perano"}
# The language switcher names each language in itself (babel autonyms, capitalised).
AUTONYM = {"sv": "Svenska", "de": "Deutsch", "it": "Italiano"}


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not executable"
    return None


@pytest.fixture(scope="session")
def require_browser() -> None:
    """Skip (or, with EXCHANGE_REQUIRE_BROWSER=1, fail) when there is no browser to drive.

    A session fixture: pytest remembers the skip/failure and repeats it for every test that uses it,
    without trying to launch the browser again.
    """
    reason = browser_unavailable_reason()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"EXCHANGE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _browser_gate(require_browser) -> None:
    """Autouse, session scope: runs before the browser or the live server is set up for any test here."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, require_browser) -> dict:
    # `playwright install` cannot download here: drive Debian's Chromium.
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# --- the live server ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_app(tmp_path_factory, require_browser):
    """The app on its own SQLite file with the demo data, configured like production where it matters."""
    from exchange import create_app, demo
    from exchange.extensions import db
    from tests.fixtures.core import make_test_config

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.db'}"
    app = create_app({**make_test_config(url), "WTF_CSRF_ENABLED": True})
    _LIVE["app"] = app
    with app.app_context():
        db.create_all()
        for _line in demo.load(DEMO_PASSWORD):
            pass
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    """Serve the app on 127.0.0.1 and a free port in a daemon thread; yields its root URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright's base_url: page.goto("/kungalv/login") goes to the live server."""
    return live_server


@pytest.fixture(autouse=True)
def _fresh_rate_limits(require_browser) -> None:
    """Rate limiting stays on (it is part of sign-in), but every test starts with a clean count."""
    from exchange.extensions import limiter
    limiter.reset()


# Records Content-Security-Policy violations in the page itself. Init scripts are injected by the
# browser's automation protocol, which the page's CSP does not govern, so the strict CSP stays on.
_CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def context(new_context):
    """A fresh browser context per test (no cookies), with the CSP violation recorder."""
    ctx = new_context()
    ctx.add_init_script(_CSP_RECORDER)
    return ctx


@pytest.fixture
def new_recording_context(new_context) -> Callable:
    """new_context(**kwargs) (e.g. viewport=…) with the CSP violation recorder installed."""
    def make(**kwargs):
        ctx = new_context(**kwargs)
        ctx.add_init_script(_CSP_RECORDER)
        return ctx
    return make


# --- helpers -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def tr(live_app) -> Callable[..., str]:
    """tr("de", "Sign out") → the interface string as the app renders it in that language.

    Used to *find* controls by their visible, translated name; assertions about the translation
    itself name the expected word literally.
    """
    from flask_babel import force_locale, gettext, pgettext

    def translate(lang: str, msgid: str, context: str | None = None, **variables) -> str:
        """``context`` for a msgid marked with pgettext ("project status", …)."""
        with live_app.test_request_context("/"), force_locale(lang):
            return pgettext(context, msgid, **variables) if context else gettext(msgid, **variables)
    return translate


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Readable lines for every axe violation of these impacts, and every CSP violation, on the page.

    axe is injected with page.evaluate, which runs through the automation protocol and is not
    blocked by the page's CSP, so the context does not need bypass_csp=True.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    where = f"{page.url} (lang={page.locator('html').get_attribute('lang')})"
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in impacts:
            continue
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"at {'; '.join(targets)}{f' and {more} more' if more > 0 else ''}")
    for blocked in page.evaluate("window.__cspViolations || []"):
        lines.append(f"{where}: CSP violation: {blocked}")
    return lines


def check_axe(page) -> None:
    """Fail with a readable list when axe finds serious or critical violations (or the CSP blocked something)."""
    problems = axe_violations(page)
    assert not problems, "Accessibility violations:\n" + "\n".join(problems)


_LIVE: dict = {}


def _fresh_code(slug: str, email: str) -> str:
    """The demo admins' current code, accepted again (the tests sign in several times per 30 s step)."""
    from sqlalchemy import update

    from exchange.auth.models import User
    from exchange.demo import current_code
    from exchange.extensions import db
    from exchange.municipalities.queries import by_slug
    from exchange.tenancy import municipality_scope
    app = _LIVE["app"]
    with app.app_context(), municipality_scope(by_slug(slug)):
        db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
        db.session.commit()
    return current_code()


def sign_in(page, tr, slug: str, role: str, lang: str | None = None) -> None:
    """Sign in through the real login form (with its CSRF token), and the second-factor step for admins,
    and wait for the dashboard."""
    from playwright.sync_api import expect

    page.goto(f"/{slug}/login" + (f"?lang={lang}" if lang else ""))
    shown = page.locator("html").get_attribute("lang")
    email = f"{role}@{slug}.example"
    page.get_by_label(tr(shown, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(shown, "Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=tr(shown, "Sign in"), exact=True).click()
    if role == "admin":
        expect(page).to_have_url(re.compile(rf"/{slug}/login/second-factor$"))
        page.get_by_label(tr(shown, "Code"), exact=True).fill(_fresh_code(slug, email))
        page.get_by_role("button", name=tr(shown, "Sign in"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{slug}/$"))
    # The URL changes when the response commits; layout checks need the stylesheet applied too.
    page.wait_for_load_state("load")
