"""Money and numbers (issue 14, point 1): one parser (``exchange.rules.read_amount``) behind every money and
number field, reading the reader's own format, refusing what could be misread, and echoing the value it
read before anything is saved."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exchange.errors import Refusal
from exchange.rules import read_amount
from tests.fixtures.core import text_of


@pytest.mark.parametrize("typed, locale, value", [
    ("1 234,50", "sv", "1234.50"), ("1 234,50", "de", "1234.50"), ("1\u00a0234,50", "sv", "1234.50"),
    ("1.234,50", "de", "1234.50"), ("1.234,50", "it", "1234.50"), ("1.234,50", "sv", "1234.50"),
    ("1234.50", "it", "1234.50"), ("1234.50", "sv", "1234.50"), ("1234,50", "sv", "1234.50"),
    ("99,50", "it", "99.50"), ("99,50", "de", "99.50"), ("99,50", "sv", "99.50"),
    ("150000,50", "sv", "150000.50"), ("1.234", "de", "1234"), ("1.234.567", "it", "1234567"),
    ("12", "sv", "12"), ("1 250 000", "sv", "1250000"),
])
def test_amounts_are_read_in_the_readers_format(typed, locale, value):
    assert read_amount(typed, "amount", locale) == Decimal(value)


@pytest.mark.parametrize("typed, locale", [
    ("1 50 000", "sv"), ("1 50 000", "it"), ("1.2.3", "de"), ("1.2.3", "sv"), ("1,2,3", "it"),
    ("1.234", "sv"), ("12 34,5", "de"), ("1.23,4.5", "de"),
])
def test_ambiguous_grouping_is_refused_not_guessed(typed, locale):
    with pytest.raises(Refusal) as refused:
        read_amount(typed, "amount", locale)
    assert refused.value.code == "ambiguous_number" and refused.value.field == "amount"


@pytest.mark.parametrize("typed", ["12abc", "NaN", "1e30", "", "€ 12", "12 kr", ".5", "²"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(Refusal) as refused:
        read_amount(typed, "amount", "de")
    assert refused.value.code == "not_a_number"


def test_the_ambiguity_message_is_translated(app):
    with app.test_request_context("/?lang=de"):
        from flask_babel import force_locale
        for lang in ("sv", "de", "it"):
            with force_locale(lang):
                message = Refusal("ambiguous_number").message
                assert message and "This number can be read" not in message, lang


# --- through the pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, typed, stored, echoed", [
    ("it", "99,50", "99.50", "99,50\u00a0€"), ("de", "1.234,50", "1234.50", "1.234,50\u00a0€"),
    ("sv", "1 234,50", "1234.50", "1\u00a0234,50\u00a0€"),
])
def test_a_visit_cost_is_saved_as_typed_and_the_saved_amount_is_said(client, login_as, make_visit, towns, in_scope,
                                                                      lang, typed, stored, echoed):
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    client.get(f"/perano/visits/{visit_id}?lang={lang}")
    response = client.post(f"/perano/visits/{visit_id}/costs", data={
        "cost-category": "travel", "cost-amount": typed, "cost-currency": "EUR",
        "cost-municipality_id": str(towns["perano"])}, follow_redirects=True)
    assert response.status_code == 200
    assert echoed.replace("\u00a0", " ") in response.get_data(as_text=True).replace("\u00a0", " ").replace(
        "\u202f", " ")
    with in_scope("perano"):
        assert str(visit_detail(visit_id).costs[0].amount) == stored


@pytest.mark.parametrize("lang", ["sv", "de", "it"])
def test_ambiguous_cost_is_refused_with_the_translated_message_and_nothing_saved(client, login_as, make_visit, towns,
                                                                                 in_scope, tr, lang):
    from exchange.visits.models import Cost
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    client.get(f"/perano/visits/{visit_id}?lang={lang}")
    response = client.post(f"/perano/visits/{visit_id}/costs", data={
        "cost-category": "travel", "cost-amount": "1 50 000", "cost-currency": "EUR",
        "cost-municipality_id": str(towns["perano"])})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="cost-amount-error">(.*?)</p>', html, re.S).group(1)
    expected = tr(lang, "This number can be read in more than one way. Group thousands in threes or not at all, "
                        "and use one decimal separator: for example 1 250 000,50 or 1250000,50.")
    assert error.strip() == expected.replace("'", "&#39;") or error.strip() == expected
    assert expected != "This number can be read in more than one way. Group thousands in threes or not at all, " \
                       "and use one decimal separator: for example 1 250 000,50 or 1250000,50."
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(Cost)) == 0


def test_a_refused_form_shows_how_each_amount_was_read(client, login_as, make_project, in_scope, tr):
    """A funding line refused for another field: the amount typed is shown as it was read, beside it."""
    from exchange.projects.models import FundingLine
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    client.get(f"/kungalv/projects/{project_id}/plan?lang=it")
    response = client.post(f"/kungalv/projects/{project_id}/plan/funding", data={
        "source": "voluntary_work", "currency": "SEK", "hours": "80", "hourly_value": "99,50", "note": "\x00"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    read = re.search(r'<p class="read-as" id="hourly_value-read">(.*?)</p>', html).group(1)
    assert read == tr("it", "Read as: %(number)s", number="99,50")
    assert re.search(r'<input[^>]*aria-describedby="[^"]*hourly_value-read[^"]*"[^>]*name="hourly_value"', html) \
        or re.search(r'<input[^>]*name="hourly_value"[^>]*aria-describedby="[^"]*hourly_value-read', html)
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(FundingLine)) == 0


def test_the_funding_line_saved_is_said_with_its_amount(client, login_as, make_project, in_scope, tr):
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    client.get(f"/kungalv/projects/{project_id}/plan?lang=de")
    response = client.post(f"/kungalv/projects/{project_id}/plan/funding", data={
        "source": "municipal", "currency": "SEK", "amount": "150.000,50"}, follow_redirects=True)
    assert response.status_code == 200
    assert tr("de", "The funding line has been added. Saved amount: %(amount)s.",
              amount="150.000,50\u00a0SEK") in text_of(response)
