"""The accessibility statement (issue 14, EU Web Accessibility Directive): one per municipality in its
language, linked from every page's footer, with a feedback route and the country's enforcement body."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.fixtures.core import text_of


@pytest.mark.parametrize("slug, lang, body, words", [
    ("kungalv", "sv", "Myndigheten för digital förvaltning (Digg)", "Tillgänglighetsredogörelse"),
    ("hiddenhausen", "de", "Ombudsstelle für barrierefreie Informationstechnik", "Erklärung zur Barrierefreiheit"),
    ("perano", "it", "Difensore civico per il digitale", "Dichiarazione di accessibilità"),
])
def test_each_municipality_has_a_statement_in_its_language(client, slug, lang, body, words):
    page = client.get(f"/{slug}/accessibility")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.get_data(as_text=True)
    text = text_of(page)
    assert words in text and body in text and "WCAG 2.1" in text


def test_every_page_links_to_the_statement(client, login_as):
    assert 'href="/accessibility"' in client.get("/").get_data(as_text=True)
    assert 'href="/perano/accessibility"' in client.get("/perano/login").get_data(as_text=True)
    assert 'href="/perano/accessibility"' in client.get("/perano/nowhere").get_data(as_text=True)
    login_as("perano", "staff")
    assert 'href="/perano/accessibility"' in client.get("/perano/").get_data(as_text=True)
    index = text_of(client.get("/accessibility"))
    assert "Kungälv" in index and "Hiddenhausen" in index and "Perano" in index


def test_feedback_is_queued_to_the_municipalitys_contact_in_its_language(app, client, in_scope):
    from exchange.municipalities.models import Municipality
    from exchange.jobs.models import OutboxMessage
    with in_scope("hiddenhausen") as session:
        session.scalar(select(Municipality).where(Municipality.slug == "hiddenhausen")).contact_email = \
            "barrierefrei@hiddenhausen.example"
        session.commit()
    response = client.post("/hiddenhausen/accessibility", data={
        "message": "Die Karte lässt sich nicht mit der Tastatur bedienen.", "page": "/hiddenhausen/visits/",
        "email": "anna@example.org"})
    assert response.status_code == 302
    mail = app.extensions["exchange_outbox"][-1]
    assert mail["To"] == "barrierefrei@hiddenhausen.example" and mail["Reply-To"] == "anna@example.org"
    assert "Barrierefreiheit" in mail["Subject"] and "Tastatur" in mail.get_content()
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "barrierefrei@hiddenhausen.example"))


def test_without_a_contact_the_admins_get_it(app, client, make_user):
    admin = make_user("perano", "admin")
    assert client.post("/perano/accessibility", data={"message": "Il contrasto è basso."}).status_code == 302
    assert app.extensions["exchange_outbox"][-1]["To"] == admin.email


@pytest.mark.parametrize("data, field", [({"message": ""}, "message"), ({"message": "x\x00y"}, "message"),
                                          ({"message": "ok", "email": "not an address"}, "email"),
                                          ({"message": "x" * 5000}, "message")])
def test_bad_feedback_is_refused_beside_the_field_and_nothing_is_sent(app, client, data, field):
    sent = len(app.extensions.get("exchange_outbox", []))
    response = client.post("/kungalv/accessibility", data=data)
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert len(app.extensions.get("exchange_outbox", [])) == sent


def test_feedback_is_rate_limited_per_address(app):
    app.config["FEEDBACK_LIMIT"] = "2 per hour"
    try:
        client = app.test_client()
        for _ in range(2):
            assert client.post("/kungalv/accessibility", data={"message": "Hej"}).status_code == 302
        assert client.post("/kungalv/accessibility", data={"message": "Hej"}).status_code == 429
    finally:
        app.config["FEEDBACK_LIMIT"] = "5 per hour"
