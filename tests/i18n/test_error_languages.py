"""Error pages in the right language before and after the municipality is known (issue 13), in Swedish,
German and Italian: the switch (?lang, also remembered from an earlier page), the signed-in user's
preference, the municipality's language, then the browser's."""
from __future__ import annotations

import pytest

from tests.fixtures.core import text_of

NOT_FOUND = {"sv": "Sidan hittades inte", "de": "Seite nicht gefunden", "it": "Pagina non trovata"}
TOWNS = {"sv": "kungalv", "de": "hiddenhausen", "it": "perano"}


def speaks(response, locale: str) -> bool:
    return (response.status_code == 404 and f'<html lang="{locale}">' in response.get_data(as_text=True)
            and NOT_FOUND[locale] in text_of(response))


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_an_unknown_page_of_a_municipality_speaks_its_language_or_the_switch(client, locale):
    assert speaks(client.get(f"/{TOWNS[locale]}/nonexistent", headers={"Accept-Language": "en"}), locale)
    for other in ("sv", "de", "it"):
        assert speaks(client.get(f"/{TOWNS[locale]}/nonexistent/deeper?lang={other}"), other)


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_an_unknown_municipality_honours_the_switch_the_session_and_the_browser(client, locale):
    assert speaks(client.get(f"/atlantis/login?lang={locale}"), locale)
    assert speaks(client.get("/atlantis/projects/", headers={"Accept-Language": f"{locale},en;q=0.5"}), locale)
    with client.session_transaction() as session:
        session.clear()
    client.get(f"/kungalv/login?lang={locale}")  # the switch on an earlier page is remembered
    assert speaks(client.get("/atlantis/"), locale)


@pytest.mark.parametrize("locale", ["sv", "de", "it"])
def test_a_missing_object_speaks_the_signed_in_users_language(client, login_as, locale):
    login_as("kungalv", "staff", preferred_locale=locale)
    assert speaks(client.get("/kungalv/projects/999999"), locale)
    assert speaks(client.get("/kungalv/visits/999999"), locale)
    assert speaks(client.get("/kungalv/nonexistent"), locale)
