"""The public pages (issue 17): what a citizen reads without signing in, in sv, de and it, and what they
never read (drafts, unpublished projects, unapproved translations, personal data)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.fixtures.core import PUBLIC_URL, login, text_of
from tests.fixtures.public import (CONTACT, HIDDEN, PERANO_PUBLIC, POLICY_DE, POLICY_SV, PUBLIC_LESSONS,
                                   PUBLIC_SUMMARY, PUBLIC_TITLE, PUBLIC_TITLE_DE)

LANGS = ("sv", "de", "it")


def _links(html: str, rel: str) -> dict[str, str]:
    return dict(re.findall(rf'<link rel="{rel}" hreflang="([^"]+)" href="([^"]+)">', html))


def test_the_overview_in_three_languages(client, network, says):
    for lang in LANGS:
        response = client.get(f"/kungalv/public/{lang}/")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in html
        assert says(response, "International cooperation of %(municipality)s", municipality="Kungälv")
        text = text_of(response)
        # Twin towns and since when (the date in the reader's language), with links to their pages.
        assert "Hiddenhausen" in text and "Perano" in text and "1992" in text and "2004" in text
        assert f'href="/perano/public/{lang}/"' in html
        # The public project (its approved title in German, else the original), the visit that took place.
        assert (PUBLIC_TITLE_DE if lang == "de" else PUBLIC_TITLE) in text
        assert PUBLIC_SUMMARY in text
        # Funding received: Kungälv's LEADER line of the public, active project, in its currency.
        assert says(response, "EU: LEADER (EAFRD)")
        assert "2025" in text and ("kr" in text or "SEK" in text)
        for hidden in HIDDEN:
            assert hidden not in text, (lang, hidden)


def test_the_policy_shows_only_approved_translations(client, network, says):
    assert POLICY_SV in text_of(client.get("/kungalv/public/sv/"))
    assert POLICY_DE in text_of(client.get("/kungalv/public/de/"))
    italian = client.get("/kungalv/public/it/")
    # The Italian translation is not approved: the Swedish original, marked as such, in Swedish.
    assert f'<div class="content" lang="sv"><p>{POLICY_SV}</p></div>' in italian.get_data(as_text=True)
    assert says(italian, "Shown in the original language (%(language)s): no translation into your language yet.",
                language="svedese")


def test_head_has_canonical_hreflang_open_graph_and_description(client, network):
    html = client.get("/kungalv/public/de/").get_data(as_text=True)
    alternates = _links(html, "alternate")
    assert alternates == {"sv": f"{PUBLIC_URL}/kungalv/public/sv/", "de": f"{PUBLIC_URL}/kungalv/public/de/",
                          "it": f"{PUBLIC_URL}/kungalv/public/it/", "x-default": f"{PUBLIC_URL}/kungalv/public/sv/"}
    assert f'<link rel="canonical" href="{PUBLIC_URL}/kungalv/public/de/">' in html
    assert f'<meta property="og:url" content="{PUBLIC_URL}/kungalv/public/de/">' in html
    assert '<meta property="og:locale" content="de_DE">' in html
    assert '<meta property="og:locale:alternate" content="sv_SE">' in html
    assert re.search(r'<meta property="og:title" content="[^"]*Kungälv', html)
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert "Kungälv" in description and len(description) <= 160
    # The language switch leads to the other language versions (local addresses).
    assert 'href="/kungalv/public/it/" lang="it" hreflang="it"' in html


def test_the_project_page(client, network):
    response = client.get(f"/kungalv/public/de/projects/{network.public}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert PUBLIC_TITLE_DE in text_of(response)
    assert '<meta property="og:type" content="article">' in html
    assert f'<link rel="canonical" href="{PUBLIC_URL}/kungalv/public/de/projects/{network.public}">' in html
    # The participating municipality's page shows it too; the lead's contacts and comments never.
    assert client.get(f"/perano/public/it/projects/{network.public}").status_code == 200
    for hidden in HIDDEN:
        assert hidden not in text_of(response)
    # The Italian title was never approved: the original is shown.
    assert PUBLIC_TITLE in text_of(client.get(f"/kungalv/public/it/projects/{network.public}"))


@pytest.mark.parametrize("which", ["draft", "unpublished", "withdrawn", "perano_draft"])
def test_what_is_not_public_is_not_found(client, network, which):
    project_id = getattr(network, which)
    for slug in ("kungalv", "perano"):
        assert client.get(f"/{slug}/public/sv/projects/{project_id}").status_code == 404


def test_a_project_only_under_the_municipalities_it_involves(client, network):
    assert client.get(f"/perano/public/it/projects/{network.perano_public}").status_code == 200
    assert client.get(f"/kungalv/public/it/projects/{network.perano_public}").status_code == 404
    assert PERANO_PUBLIC not in text_of(client.get("/kungalv/public/sv/projects/"))


def test_visits_that_took_place_with_public_lessons_only(client, network):
    response = client.get("/kungalv/public/sv/visits/")
    text = text_of(response)
    assert response.status_code == 200
    assert PUBLIC_LESSONS in text
    assert "Trabocco Punta Tufano" in text  # a place of the programme
    # The two visits that took place; not the planned one.
    assert response.get_data(as_text=True).count('id="visit-') == 2
    for hidden in HIDDEN:
        assert hidden not in text


def test_unknown_language_municipality_or_page(client, network):
    assert client.get("/kungalv/public/en/").status_code == 404
    assert client.get("/atlantis/public/sv/").status_code == 404
    assert client.get("/kungalv/public/sv/projects/99999999999999").status_code == 404
    assert client.get("/kungalv/public/data/users.csv").status_code == 404


def test_the_root_chooses_the_readers_language(client, network):
    response = client.get("/hiddenhausen/public/", headers={"Accept-Language": "it-IT,it;q=0.9"})
    assert response.status_code == 302 and response.location.endswith("/hiddenhausen/public/it/")
    response = client.get("/hiddenhausen/public/", headers={"Accept-Language": "fi"})
    assert response.location.endswith("/hiddenhausen/public/de/")


def test_public_pages_ignore_who_is_signed_in(app, client, network, make_user):
    """A signed-in coordinator of Kungälv reads exactly what everybody reads: no drafts, no menu."""
    anonymous = client.get("/kungalv/public/sv/").get_data(as_text=True)
    signed_in = app.test_client()
    assert login(signed_in, make_user("kungalv", "coordinator")).status_code == 302
    response = signed_in.get("/kungalv/public/sv/")
    assert response.status_code == 200
    assert text_of(response) == text_of(client.get("/kungalv/public/sv/"))
    assert "Sign out" not in anonymous and "logout" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_atom_feed(client, network):
    response = client.get("/kungalv/public/sv/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.data)
    assert feed.find("a:id", ns).text == f"{PUBLIC_URL}/kungalv/public/sv/feed.atom"
    assert all(e.find("a:updated", ns).text.endswith("+00:00") for e in feed.findall("a:entry", ns))
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert PUBLIC_TITLE in titles
    assert len(titles) == 3  # the public project and the two visits that took place
    assert all(link.startswith(f"{PUBLIC_URL}/kungalv/public/sv/") for link in links)
    body = response.get_data(as_text=True)
    for hidden in HIDDEN:
        assert hidden not in body


def test_sitemap_and_robots(client, network):
    response = client.get("/sitemap.xml")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    ET.fromstring(response.data)  # well-formed
    for slug in ("kungalv", "hiddenhausen", "perano"):
        for lang in LANGS:
            assert f"<loc>{PUBLIC_URL}/{slug}/public/{lang}/</loc>" in body
    assert f"{PUBLIC_URL}/kungalv/public/de/projects/{network.public}" in body
    assert f'hreflang="it" href="{PUBLIC_URL}/perano/public/it/projects/{network.perano_public}"' in body
    for hidden in (network.draft, network.unpublished, network.withdrawn, network.perano_draft):
        assert f"/projects/{hidden}<" not in body and f"/projects/{hidden}\"" not in body
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in robots


def test_a_municipality_with_nothing_published_yet(client, says):
    response = client.get("/hiddenhausen/public/de/")
    assert response.status_code == 200
    assert says(response, "No twin towns have been recorded yet.")
    assert says(response, "The policy priorities have not been published yet.")
    assert says(response, "No joint development project has been published yet.")
    feed = ET.fromstring(client.get("/hiddenhausen/public/de/feed.atom").data)
    updated = feed.find("{http://www.w3.org/2005/Atom}updated").text
    assert re.search(r"(\+00:00|Z)$", updated), updated  # RFC 3339, with its offset
    assert feed.find("{http://www.w3.org/2005/Atom}entry") is None


def test_pages_cost_a_bounded_number_of_queries(client, network, make_project, publish, count_queries):
    with count_queries() as few:
        client.get("/kungalv/public/sv/")
    for n in range(4):
        publish(make_project("kungalv", status="active", title=f"Projekt {n}", participants=["perano"]), "kungalv")
    with count_queries() as more:
        client.get("/kungalv/public/sv/")
    assert more.n == few.n


def test_the_landing_page_leads_to_every_public_page(client):
    html = client.get("/?lang=de").get_data(as_text=True)
    for slug in ("kungalv", "hiddenhausen", "perano"):
        assert f'href="/{slug}/public/de/"' in html
