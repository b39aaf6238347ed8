"""Screenshots of the main pages for reviews: the dashboard, a project, the partner directory and a visit,
in sv, de and it, at 1280 and 320 px, from a fresh demo database served by `flask run`.

    .venv/bin/python -m bench.screenshots [OUTPUT_DIR]     (default docs/screenshots; needs /usr/bin/chromium)
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PORT = 5077
TOWNS = (("kungalv", "sv"), ("hiddenhausen", "de"), ("perano", "it"))


def _serve(database: Path) -> subprocess.Popen:
    env = dict(os.environ, EXCHANGE_DATABASE_URL=f"sqlite:///{database}", EXCHANGE_SECRET_KEY="s" * 40)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(flask + ["run", "--port", str(PORT)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the demo server did not start")


def _shoot(browser, out: Path, slug: str, lang: str, width: int) -> None:
    page = browser.new_context(viewport={"width": width, "height": 900},
                               base_url=f"http://127.0.0.1:{PORT}").new_page()
    page.goto(f"/{slug}/login?lang={lang}")
    page.fill("input[type=email]", f"coordinator@{slug}.example")
    page.fill("input[type=password]", os.environ.get("EXCHANGE_DEMO_PASSWORD", "exchange-demo"))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{slug}/$"))
    page.screenshot(path=out / f"{lang}-{width}-dashboard.png", full_page=True)
    page.goto(f"/{slug}/projects/?lang={lang}")
    page.locator("main a[href*='/projects/']").filter(has_text=re.compile("Sol|Pannelli")).first.click()
    page.wait_for_load_state("load")
    page.screenshot(path=out / f"{lang}-{width}-project.png", full_page=True)
    page.goto(f"/{slug}/partners/?lang={lang}")
    page.screenshot(path=out / f"{lang}-{width}-partners.png", full_page=True)
    page.goto(f"/{slug}/visits/?lang={lang}")
    visit = page.evaluate("Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))"
                          ".find(h => /\\/visits\\/\\d+$/.test(h))")
    page.goto(f"{visit}?lang={lang}")
    page.screenshot(path=out / f"{lang}-{width}-visit.png", full_page=True)
    page.context.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = _serve(Path(tmp) / "demo.db")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=os.environ.get("EXCHANGE_CHROMIUM", "/usr/bin/chromium"),
                                            args=["--no-sandbox", "--disable-gpu"])
                for slug, lang in TOWNS:
                    for width in (1280, 320):
                        _shoot(browser, out, slug, lang, width)
                browser.close()
        finally:
            server.terminate()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
