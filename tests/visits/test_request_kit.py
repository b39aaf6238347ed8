"""Visits on the shared request kit: hostile and blank request input never gives a 500 (issue 11), a stale
save is a 409 that shows both versions, a co-editor's save keeps what they cannot see, amounts are read
in the reader's own number format, and the CSV exports stream what the pages show. Every test runs on
SQLite and, when configured, on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import text_of
from tests.fixtures.forms import submitted


def _form(towns, **overrides):
    data = {"host_id": str(towns["perano"]), "visiting_ids": [str(towns["kungalv"])], "start_date": "2025-05-14",
            "start_time": "09:00", "end_date": "2025-05-16", "end_time": "", "status": "planned",
            "purpose_locale": "it", "purpose": "Scambio di esperienze sul turismo sostenibile.", "version": "0"}
    data.update(overrides)
    return data


def _visits(in_scope, slug="perano"):
    from exchange.visits.models import Visit
    with in_scope(slug) as session:
        return session.scalar(select(func.count()).select_from(Visit))


# --- issue 11: blank members of a multi-select, whitespace-only selects ---------------------------

@pytest.mark.parametrize("overrides", [
    {"visiting_ids": ["__KUNGALV__", ""]},
    {"visiting_ids": ["", "__KUNGALV__", " "]},
    {"theme_ids": [""]},
    {"theme_ids": ["", " "]},
    {"project_ids": [""]},
])
def test_blank_members_of_a_multiple_choice_are_ignored(client, login_as, towns, in_scope, overrides):
    login_as("perano", "coordinator")
    overrides = {k: [towns["kungalv"] if v == "__KUNGALV__" else v for v in values]
                 for k, values in overrides.items()}
    response = client.post("/perano/visits/new", data=_form(towns, **overrides))
    assert response.status_code == 302, text_of(response)
    assert _visits(in_scope) == 1


@pytest.mark.parametrize("overrides, message", [
    ({"visiting_ids": [""]}, "Choose at least one visiting municipality."),
    ({"visiting_ids": [" ", ""]}, "Choose at least one visiting municipality."),
    # A blank choice is a missing one (exchange.forms.required refuses what the field turns into nothing).
    ({"host_id": " "}, "This field is required."),
    ({"status": " "}, "This field is required."),
    ({"version": "²"}, None),
])
def test_blank_or_whitespace_choices_are_a_translated_422(client, login_as, towns, in_scope, says, overrides,
                                                         message):
    login_as("perano", "coordinator")
    response = client.post("/perano/visits/new?lang=sv", data=_form(towns, **overrides))
    if message is None:  # the version of a new visit is not used: a tampered one changes nothing
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert says(response, message)
    assert _visits(in_scope) == 0


def test_blank_ids_on_the_edit_form_and_the_child_forms_are_never_a_500(client, login_as, towns, make_visit,
                                                                       in_scope):
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    opened = client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True)
    data = submitted(opened, "/edit")
    data.update(visiting_ids=[str(towns["kungalv"]), ""], theme_ids=[""], project_ids=[" "])
    assert client.post(f"/perano/visits/{visit_id}/edit", data=data).status_code == 302
    for endpoint, payload in [
        ("participants", {"participant-name": "X", "participant-municipality_id": " "}),
        ("costs", {"cost-category": "travel", "cost-amount": "5", "cost-currency": "EUR",
                   "cost-municipality_id": str(towns["perano"]), "cost-funding_line_id": " "}),
        ("costs", {"cost-category": " ", "cost-amount": "5", "cost-currency": " ", "cost-municipality_id": ""}),
    ]:
        assert client.post(f"/perano/visits/{visit_id}/{endpoint}", data=payload).status_code in (302, 422)


# --- issue 11: NUL and other control characters in search and filter terms -----------------------

@pytest.mark.parametrize("query", ["q=%00", "q=hamn%00en", "q=%01%7F", "q=%00&theme=%00", "theme=+", "theme=",
                                   "q=" + "x" * 5000])
def test_lesson_search_strips_control_characters_before_the_database(client, login_as, make_visit, query):
    make_visit("perano", visitors=("kungalv",), lessons="Hamnen behöver en ny brygga.")
    login_as("kungalv", "staff")
    response = client.get(f"/kungalv/visits/lessons?{query}&lang=sv")
    assert response.status_code == 200
    if query == "q=hamn%00en":
        assert "Hamnen behöver" in text_of(response)  # the term is searched without the NUL


@pytest.mark.parametrize("query", ["year=+", "municipality=+", "pair=+", "theme=%00", "status=+", "project=+",
                                   "pair=1-", "pair=-", "year=%C2%B2", "page=%00", "since=abc", "until=%00",
                                   "since=0001-01-01", "until=2024-13-40", "since=99999-01-01"])
def test_whitespace_or_junk_list_filters_are_ignored(client, login_as, make_visit, query):
    make_visit("perano", visitors=("kungalv",))
    login_as("hiddenhausen", "staff")
    page = text_of(client.get(f"/hiddenhausen/visits/?{query}&lang=sv"))
    assert int(re.search(r"(\d+) (?:besök|visits?) ", page).group(1)) == 1


def test_calendar_ignores_junk_months(client, login_as):
    login_as("kungalv", "staff")
    for query in ("year=%00&month=+", "year=²&month=5", "year=2025&month=0", "year=99999999999&month=1"):
        assert client.get(f"/kungalv/visits/calendar?{query}").status_code == 200


# --- 409: a stale save shows both versions -------------------------------------------------------

def test_a_stale_edit_is_a_409_showing_the_input_beside_the_saved_version(client, login_as, make_visit, towns,
                                                                         in_scope, says):
    visit_id = make_visit("perano", visitors=("kungalv",), purpose="Il testo salvato", locale="it")
    login_as("perano", "coordinator")
    data = submitted(client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True), "/edit")
    assert client.post(f"/perano/visits/{visit_id}/edit", data={**data, "status": ["completed"]}).status_code == 302
    stale = client.post(f"/perano/visits/{visit_id}/edit", data={**data, "purpose": ["Il mio testo"]})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>[^<]*</td>', html))
    saved = dict(re.findall(r'<th scope="row">([^<]+)</th><td>[^<]*</td><td>([^<]*)</td>', html))
    from flask_babel import force_locale, gettext
    with client.application.test_request_context("/"), force_locale("it"):
        purpose, status = gettext("Purpose"), gettext("Status")
    assert rows[purpose] == "Il mio testo" and saved[purpose] == "Il testo salvato"
    assert status in rows  # confirmed (the input) beside completed (saved)
    # The form now carries the saved version: a second save knowingly replaces it.
    again = submitted(html, "/edit")
    assert client.post(f"/perano/visits/{visit_id}/edit", data=again).status_code == 302
    from exchange.visits.queries import visit_detail
    with in_scope("perano"):
        visit = visit_detail(visit_id)
        assert visit.plain("purpose", "it") == "Il mio testo" and visit.status == "confirmed"


@pytest.mark.parametrize("version", ["", "abc", "²", "1²", "9" * 5000, "-1"])
def test_a_missing_or_tampered_version_is_a_conflict_never_a_500(client, login_as, make_visit, towns, in_scope,
                                                                version):
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    data = submitted(client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True), "/edit")
    assert client.post(f"/perano/visits/{visit_id}/edit", data={**data, "version": version}).status_code == 409
    assert client.post(f"/perano/visits/{visit_id}/lessons",
                       data={"language": "sv", "lessons": "x", "version": version}).status_code == 409


def test_stale_lessons_are_a_409_and_keep_the_input(client, login_as, make_visit, says):
    visit_id = make_visit("perano", visitors=("kungalv",), lessons="Första versionen.")
    login_as("kungalv", "coordinator")
    opened = submitted(client.get(f"/kungalv/visits/{visit_id}/lessons").get_data(as_text=True))
    assert client.post(f"/kungalv/visits/{visit_id}/lessons", data={**opened, "lessons": ["Andra."]}).status_code == 302
    stale = client.post(f"/kungalv/visits/{visit_id}/lessons", data={**opened, "lessons": ["Tredje."]})
    assert stale.status_code == 409
    assert says(stale, "Someone else saved this visit while you were editing it. Your changes have not been saved: "
                       "they are still in the form below. Compare them with the saved version, then save again.")
    html = stale.get_data(as_text=True)
    assert "Tredje." in html and "Andra." in html


def test_deleting_a_visit_changed_since_the_confirmation_page_is_a_409(client, login_as, make_visit, in_scope):
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    confirm = submitted(client.get(f"/perano/visits/{visit_id}/delete").get_data(as_text=True))
    assert confirm["version"] == ["1"]
    data = submitted(client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True), "/edit")
    assert client.post(f"/perano/visits/{visit_id}/edit", data={**data, "status": ["completed"]}).status_code == 302
    assert client.post(f"/perano/visits/{visit_id}/delete", data=confirm).status_code == 409
    assert _visits(in_scope) == 1
    fresh = submitted(client.get(f"/perano/visits/{visit_id}/delete").get_data(as_text=True))
    assert client.post(f"/perano/visits/{visit_id}/delete", data=fresh).status_code == 302
    assert _visits(in_scope) == 0


# --- children through the kit ---------------------------------------------------------------------

def test_remove_children_and_mark_a_follow_up_done(client, login_as, make_visit, in_scope):
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), participants=[("kungalv", "Åsa", "K")],
                          follow_ups=[("Skicka rapporten", "", None)])
    with in_scope("perano"):
        visit = visit_detail(visit_id)
        person_id, follow_up_id = visit.participants[0].id, visit.follow_ups[0].id
    login_as("kungalv", "coordinator")
    base = f"/kungalv/visits/{visit_id}"

    def button(action: str) -> dict:  # the button's form as the visit's page shows it now (its version)
        return submitted(client.get(base).get_data(as_text=True), action)

    done = client.post(f"{base}/follow-ups/{follow_up_id}/done", data=button(f"/follow-ups/{follow_up_id}/done"))
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{base}#follow-ups")
    with in_scope("perano"):
        assert visit_detail(visit_id).follow_ups[0].is_done
    assert client.post(f"{base}/follow-ups/{follow_up_id}/reopen",
                       data=button(f"/follow-ups/{follow_up_id}/reopen")).status_code == 302
    removed = client.post(f"{base}/participants/{person_id}/remove", data=button(f"/participants/{person_id}/remove"))
    assert removed.status_code == 302 and removed.headers["Location"].endswith(f"{base}#participants")
    with in_scope("perano"):
        visit = visit_detail(visit_id)
        assert visit.participants == [] and not visit.follow_ups[0].is_done


@pytest.mark.parametrize("lang, typed, stored", [("de", "1.234,50", "1234.50"), ("sv", "1 234,50", "1234.50"),
                                                 ("it", "1234,5", "1234.50"), ("de", "12", "12.00")])
def test_cost_amounts_are_read_in_the_readers_number_format(client, login_as, make_visit, towns, in_scope, lang,
                                                            typed, stored):
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",))
    login_as("perano", "coordinator")
    page = client.get(f"/perano/visits/{visit_id}?lang={lang}").get_data(as_text=True)
    amount = re.search(r'<input[^>]*name="cost-amount"[^>]*>', page).group(0)
    assert 'type="text"' in amount and 'inputmode="decimal"' in amount and "number" not in amount
    response = client.post(f"/perano/visits/{visit_id}/costs", data={
        "cost-category": "travel", "cost-amount": typed, "cost-currency": "EUR",
        "cost-municipality_id": str(towns["perano"])})
    assert response.status_code == 302
    with in_scope("perano"):
        assert str(visit_detail(visit_id).costs[0].amount) == stored


# --- exports ---------------------------------------------------------------------------------------

def test_csv_exports_keep_their_columns_and_never_carry_participant_names(client, login_as, make_visit):
    import csv
    import io
    make_visit("perano", visitors=("kungalv",), participants=[("kungalv", "Åsa Öberg", "Kultur")],
               follow_ups=[("Skicka rapporten", "Johan", dt.date(2024, 6, 1))])
    make_visit("perano", visitors=("hiddenhausen",), participants=[("perano", "Marco Rossi", "Comune")])
    login_as("kungalv", "coordinator")
    # visits: 13 fixed columns, the original language, purpose and lessons learned in each of 3 languages
    # follow-ups: 7 fixed columns, the original language, the action in each of 3 languages
    for path, columns in (("visits.csv", 20), ("follow-ups.csv", 11)):
        response = client.get(f"/kungalv/visits/reports/{path}?lang=sv")
        assert response.status_code == 200 and response.is_streamed
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert {len(row) for row in rows} == {columns}
        assert "Åsa Öberg" not in text and "Marco Rossi" not in text
    visits = list(csv.reader(io.StringIO(client.get("/kungalv/visits/reports/visits.csv?lang=sv")
                                         .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    counts = {row[7]: row[11] for row in visits[1:]}
    assert counts == {"Kungälv": "1", "Hiddenhausen": ""}  # Kungälv's own visit counted; the other one not
