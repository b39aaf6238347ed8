"""The dashboard's panel of the network: a few twin towns by name and a link to all of them (issue 12: a
network of a thousand municipalities is not listed whole on every dashboard)."""
from __future__ import annotations

from tests.fixtures.core import text_of


def test_the_network_panel_names_a_few_towns_and_links_to_the_whole_network(client, login_as, monkeypatch, tr):
    from exchange.municipalities import views
    login_as("kungalv", "staff")
    whole = tr("de", "See the whole network: %(num)d municipality", "See the whole network: %(num)d municipalities",
               3).replace("%(num)d", "3")
    page = client.get("/kungalv/?lang=de").get_data(as_text=True)
    assert "Perano" in text_of_panel(page) and whole not in text_of(client.get("/kungalv/?lang=de"))
    monkeypatch.setattr(views, "PANEL_ROWS", 2)
    response = client.get("/kungalv/?lang=de")
    panel = text_of_panel(response.get_data(as_text=True))
    assert "Hiddenhausen" in panel and "Kungälv" in panel and "Perano" not in panel
    assert whole in text_of(response)
    assert 'href="/"' in response.get_data(as_text=True).split('id="panel-network"')[1].split("</section>")[0]


def text_of_panel(html: str) -> str:
    return html.split('id="panel-network"')[1].split("</section>")[0]
