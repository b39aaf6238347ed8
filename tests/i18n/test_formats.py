"""Numbers, percents, money, dates, times, time-zone names and lists through Babel, and names sorted in the
reader's alphabet (issue 13), checked on the pages where people read them, in Swedish, German and Italian.

Checks read the raw HTML where a non-breaking space matters (text_of would turn it into a plain space)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.fixtures.core import text_of

NBSP = "\u00a0"
LOCALES = ["sv", "de", "it"]


def _options(html: str, field: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", o).strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


# --- the helpers, on their own ---------------------------------------------------------------------

@pytest.mark.parametrize("locale, percent, amount, names, zone", [
    ("sv", f"60{NBSP}%", f"1{NBSP}250,50", "Hiddenhausen, Kungälv, Perano och Älvängen", "centraleuropeisk tid"),
    ("de", f"60{NBSP}%", "1.250,50", "Älvängen, Hiddenhausen, Kungälv und Perano", "Mitteleuropäische Zeit"),
    ("it", "60%", "1.250,50", "Älvängen, Hiddenhausen, Kungälv e Perano", "Ora dell’Europa centrale"),
])
def test_the_formatters_follow_the_locale(app, locale, percent, amount, names, zone):
    from flask_babel import force_locale

    from exchange.i18n import formatting
    with app.test_request_context("/"), force_locale(locale):
        assert formatting.percent(60) == percent
        assert formatting.example_amount() == amount
        # å, ä, ö after z in Swedish; with their base letter in German and Italian
        assert formatting.name_list(["Perano", "Älvängen", "Kungälv", "Hiddenhausen"]) == names
        assert formatting.timezone_name("Europe/Rome") == zone
        moment = formatting.datetime(dt.datetime(2026, 11, 29, 5, 28, tzinfo=dt.timezone.utc))
        assert "2026" in moment and "29.11.26" not in moment and "29/11/26" not in moment
        with pytest.raises(ValueError):
            formatting.date(dt.date(2026, 11, 29), "short")  # two-digit years are not a documented style


@pytest.mark.parametrize("locale, day, moment", [
    ("sv", "söndag 29 november 2026", "29 nov. 2026"),
    ("de", "Sonntag, 29. November 2026", "29.11.2026"),
    ("it", "domenica 29 novembre 2026", "29 nov 2026"),
])
def test_a_day_is_written_in_the_readers_language_each_time(app, locale, day, moment):
    # Days are kept once written (formatting._day, issue 12): the reader in another language gets theirs,
    # and a moment (a datetime is a date too) still goes through Flask-Babel's zone (UTC outside a town).
    from flask_babel import force_locale

    from exchange.i18n import formatting
    for _round in range(2):
        with app.test_request_context("/"), force_locale(locale):
            assert formatting.date(dt.date(2026, 11, 29), "full") == day
            assert formatting.date(dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.timezone.utc)) == moment


# --- pages -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale, share, money, participants", [
    ("sv", f"100{NBSP}%", "10\u00a0000,00\u00a0kr", "Hiddenhausen och Perano"),
    ("de", f"100{NBSP}%", "10.000,00\u00a0SEK", "Hiddenhausen und Perano"),
    ("it", "100%", "10.000,00\u00a0SEK", "Hiddenhausen e Perano"),
])
def test_the_project_page_formats_shares_money_moments_and_lists(client, login_as, make_project, locale, share,
                                                                   money, participants):
    project_id = make_project("kungalv", status="active", participants=["perano", "hiddenhausen"],
                              leader_funding=True)
    login_as("kungalv", "staff")
    page = client.get(f"/kungalv/projects/{project_id}?lang={locale}")
    html = page.get_data(as_text=True)
    assert f">{share}<" in html
    assert "100 %<" not in html.replace(NBSP, "&nbsp;")  # never a breakable space before the sign
    assert money in html
    assert participants in text_of(page)
    # history: one style for a moment, a four-digit year, never 29.11.26 or 29/11/26
    moments = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', html)
    assert moments and all(str(dt.date.today().year) in m for m in moments)
    assert not re.search(r"\b\d{1,2}[./]\d{1,2}[./]\d{2}\b(?![./\d])", text_of(page))


@pytest.mark.parametrize("locale, zone", [("sv", "centraleuropeisk tid"), ("de", "Mitteleuropäische Zeit"),
                                          ("it", "Ora dell’Europa centrale")])
def test_a_visit_names_its_time_zone_in_the_readers_language(client, login_as, make_visit, locale, zone):
    visit_id = make_visit("perano", visitors=("kungalv", "hiddenhausen"), start_time=dt.time(9, 30))
    login_as("perano", "coordinator")
    page = text_of(client.get(f"/perano/visits/{visit_id}?lang={locale}"))
    assert zone in page and "Europe/Rome" not in page
    visitors = {"sv": "Hiddenhausen och Kungälv", "de": "Hiddenhausen und Kungälv", "it": "Hiddenhausen e Kungälv"}
    assert visitors[locale] in page


@pytest.mark.parametrize("locale, pair", [("sv", "Hiddenhausen och Kungälv"), ("de", "Hiddenhausen und Kungälv"),
                                          ("it", "Hiddenhausen e Kungälv")])
def test_pairs_read_the_same_in_the_report_and_the_filter(client, login_as, make_visit, make_project, twin,
                                                          locale, pair):
    # hosted by Kungälv (the lower id), so an order by id would read "Kungälv and Hiddenhausen"
    first = make_project("kungalv", status="proposed", title="Avfall")
    second = make_project("kungalv", status="proposed", title="Öppna data")  # newest: listed first before collation
    # the filter lists the projects that visits are linked to (issue 12: not every project of the network)
    make_visit("kungalv", visitors=("hiddenhausen",), project_ids=(first, second))
    twin("kungalv", "hiddenhausen")  # the pair filter offers the reader's twin towns (issue 12)
    login_as("kungalv", "coordinator")
    report = text_of(client.get(f"/kungalv/visits/reports?lang={locale}"))
    assert pair in report
    listing = client.get(f"/kungalv/visits/?lang={locale}").get_data(as_text=True)
    assert pair in _options(listing, "pair")
    titles = [t for t in _options(listing, "project") if t in ("Avfall", "Öppna data")]
    # the linked-project filter in the reader's alphabet: Ö after z in Swedish, with O elsewhere
    assert titles == ["Avfall", "Öppna data"]


@pytest.mark.parametrize("locale, countries", [("sv", ["Italien", "Sverige", "Tyskland"]),
                                               ("de", ["Deutschland", "Italien", "Schweden"]),
                                               ("it", ["Germania", "Italia", "Svezia"])])
def test_countries_are_listed_by_their_name_in_the_readers_language(client, login_as, make_project, locale,
                                                                     countries):
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    page = client.get(f"/kungalv/partners/projects/{project_id}/needs/new?lang={locale}")
    assert page.status_code == 200
    assert _options(page.get_data(as_text=True), "origin_country")[1:] == countries


@pytest.mark.parametrize("locale, plain, grouped", [("sv", "1250,50", f"1{NBSP}250,50"),
                                                    ("de", "1250,50", "1.250,50"), ("it", "1250,50", "1.250,50")])
def test_example_amounts_in_hints_are_written_the_readers_way(client, login_as, make_project, locale, plain,
                                                              grouped):
    project_id = make_project("kungalv")
    login_as("kungalv", "coordinator")
    response = client.post(f"/kungalv/projects/{project_id}/plan/funding?lang={locale}",
                           data={"source": "municipal", "currency": "SEK", "amount": "12abc", "note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert plain in html and grouped.replace(NBSP, "&nbsp;") in html.replace(NBSP, "&nbsp;")
    assert "1250.50" not in html


@pytest.mark.parametrize("locale, done", [("sv", f"100{NBSP}% översatt"), ("de", f"100{NBSP}% übersetzt"),
                                          ("it", "100% tradotto")])
def test_the_workbench_writes_its_percentages_the_readers_way(synced, client, login_as, locale, done):
    login_as("kungalv", "translator", preferred_locale=locale)
    html = client.get("/kungalv/workbench/").get_data(as_text=True)
    assert done in html  # the shipped catalogs are complete
    assert "100 %" not in html
