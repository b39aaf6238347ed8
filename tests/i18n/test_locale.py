"""Locale choice (DESIGN.md §5): switch → preference → municipality → browser → sv; <html lang> true."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.fixtures.core import text_of


def html_lang(response) -> str:
    import re
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_municipality_default_is_used_on_its_pages(client):
    assert html_lang(client.get("/kungalv/login")) == "sv"
    assert html_lang(client.get("/hiddenhausen/login")) == "de"
    assert html_lang(client.get("/perano/login")) == "it"


def test_browser_language_decides_outside_a_municipality_then_swedish(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "it-IT,it;q=0.9"})) == "it"
    assert html_lang(client.get("/", headers={"Accept-Language": "fr-FR"})) == "sv"
    assert html_lang(client.get("/")) == "sv"


def test_explicit_switch_wins_and_is_remembered(client):
    response = client.get("/perano/login?lang=de")
    assert html_lang(response) == "de"
    assert "Anmelden" in text_of(response)
    assert html_lang(client.get("/kungalv/login")) == "de"  # remembered in the session
    assert html_lang(client.get("/kungalv/login?lang=xx")) == "de"  # unknown codes are ignored


def test_user_preference_beats_municipality_default(client, login_as):
    login_as("hiddenhausen", "staff", preferred_locale="sv")
    assert html_lang(client.get("/hiddenhausen/")) == "sv"


def test_language_switcher_is_on_every_page_with_autonyms(client):
    for path in ("/", "/kungalv/login", "/nowhere/"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="?lang=de" lang="de"' in page and "Deutsch" in page
        assert "Italiano" in page and "Svenska" in page


def test_formatting_follows_the_viewer_locale(app):
    from flask_babel import force_locale
    from exchange.i18n import formatting
    with app.test_request_context("/"):
        with force_locale("sv"):
            assert formatting.money(Decimal("1234.5"), "SEK") == "1\xa0234,50\xa0kr"
            assert formatting.date(dt.date(2026, 3, 5)) == "5 mars 2026"
        with force_locale("de"):
            assert formatting.money(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"
            assert formatting.country_name("IT") == "Italien"
        with force_locale("it"):
            assert formatting.date(dt.date(2026, 3, 5)) == "5 mar 2026"
            assert formatting.language_name("sv") == "svedese"


def test_error_pages_speak_the_right_language_before_and_after_the_municipality_is_known(client):
    # An unknown page of a known municipality: its language, and its name in the header.
    response = client.get("/hiddenhausen/nonexistent")
    assert response.status_code == 404 and '<html lang="de">' in response.get_data(as_text=True)
    assert "Seite nicht gefunden" in text_of(response) and "Hiddenhausen" in text_of(response)
    # An unknown municipality honours the switch; without one, the browser's language.
    unknown = client.get("/atlantis/login?lang=de")
    assert unknown.status_code == 404 and "Seite nicht gefunden" in text_of(unknown)
    italian = client.get("/atlantis/login", headers={"Accept-Language": "it"})
    assert "Pagina non trovata" in text_of(italian)
