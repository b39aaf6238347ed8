"""Every export (projects, partner organisations, visits, follow-up actions) in the reader's language, as
CSV and as XLSX (issue 13): translated headers, one column per language for every translatable text, the
same rows in both formats, and nothing of another municipality's private data."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

LOCALES = ["sv", "de", "it"]
# the header of a translatable text's column in each language: the field, then the language of the column
TITLE_DE = {"sv": "Titel (tyska)", "de": "Titel (Deutsch)", "it": "Titolo (tedesco)"}
DESCRIPTION_IT = {"sv": "Beskrivning (italienska)", "de": "Beschreibung (Italienisch)", "it": "Descrizione (italiano)"}
PURPOSE_SV = {"sv": "Syfte (svenska)", "de": "Zweck (Schwedisch)", "it": "Scopo (svedese)"}
STATUS = {"sv": "Status", "de": "Status", "it": "Stato"}


def csv_table(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # a BOM, so spreadsheet programs read UTF-8
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))  # ; for sv, de and it


def xlsx_table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def both(client, url: str) -> tuple[list[list[str]], list[list[str]]]:
    """The CSV and the XLSX of one export; they hold the same table."""
    path, _sep, query = url.partition("?")
    from_csv = csv_table(client.get(f"{path}.csv?{query}"))
    from_xlsx = xlsx_table(client.get(f"{path}.xlsx?{query}"))
    assert from_xlsx[0] == from_csv[0]
    assert [[cell for cell in row] for row in from_xlsx[1:]] == [[c for c in row] for row in from_csv[1:]]
    return from_csv, from_xlsx


def column(table: list[list[str]], header: str) -> list[str]:
    index = table[0].index(header)
    return [row[index] for row in table[1:]]


@pytest.mark.parametrize("locale", LOCALES)
def test_projects_export_in_the_readers_language_without_another_towns_draft(client, login_as, make_project,
                                                                             locale):
    make_project("kungalv", status="proposed", title="Solenergi", translations={"de": {"title": "Solarenergie"}})
    make_project("kungalv", status="draft", title="Hemligt utkast")  # Kungälv's own draft
    login_as("hiddenhausen", "staff")
    table, _xlsx = both(client, f"/hiddenhausen/projects/export?lang={locale}&sort=title")
    header = table[0]
    assert "id" not in header and "title_sv" not in header  # no codes for headers
    assert STATUS[locale] in header and TITLE_DE[locale] in header
    assert column(table, TITLE_DE[locale]) == ["Solarenergie"]
    assert "Hemligt utkast" not in str(table)
    languages = {"sv": "svenska", "de": "Schwedisch", "it": "svedese"}
    assert column(table, {"sv": "Originalspråk", "de": "Originalsprache", "it": "Lingua originale"}[locale]) \
        == [languages[locale]]


@pytest.mark.parametrize("locale", LOCALES)
def test_partner_export_has_the_description_per_language_and_no_other_towns_contacts(client, login_as, make_org,
                                                                                     locale):
    make_org("perano", "Frantoio", locale="it", description="Olio extravergine dal 1920.",
             contact={"name": "Maria Rossi", "email": "maria@example.it", "phone": "+39 0872 000"})
    make_org("kungalv", "Bostäder", contact={"name": "Karin Ek", "email": "karin@example.se"})
    login_as("kungalv", "staff")
    table, _xlsx = both(client, f"/kungalv/partners/export?lang={locale}")
    assert column(table, DESCRIPTION_IT[locale]) .count("Olio extravergine dal 1920.") == 1
    text = str(table)
    assert "Karin Ek" in text and "karin@example.se" in text  # Kungälv's own contact person
    assert "Maria Rossi" not in text and "maria@example.it" not in text and "0872" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_visit_exports_translate_headers_and_hide_other_towns_details(client, login_as, make_visit, locale):
    make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 5, 1), purpose="Lära oss om olivodling.",
               follow_ups=[("Skicka rapporten", "Karin", dt.date(2024, 6, 1))])
    make_visit("perano", visitors=("hiddenhausen",), start=dt.date(2024, 9, 1), purpose="Geheimer Zweck.",
               follow_ups=[("Geheime Aufgabe", "Hans", None)])
    login_as("kungalv", "staff")
    visits, _xlsx = both(client, f"/kungalv/visits/reports/visits?lang={locale}")
    assert PURPOSE_SV[locale] in visits[0]
    assert "Lära oss om olivodling." in column(visits, PURPOSE_SV[locale])
    assert len(visits) == 3  # both visits took place and are listed …
    assert "Geheimer Zweck." not in str(visits)  # … but the purpose of one Kungälv did not join is not
    follow_ups, _xlsx = both(client, f"/kungalv/visits/reports/follow-ups?lang={locale}")
    header = {"sv": "Uppföljningsåtgärd (svenska)", "de": "Folgemaßnahme (Schwedisch)",
              "it": "Azione di follow-up (svedese)"}[locale]
    assert column(follow_ups, header) == ["Skicka rapporten"]
    assert "Geheime Aufgabe" not in str(follow_ups)


def test_each_export_page_links_to_its_xlsx(client, login_as, make_project, make_org, make_visit):
    make_project("kungalv", status="proposed")
    make_org("kungalv", "Bostäder")
    make_visit("kungalv", visitors=("perano",))
    login_as("kungalv", "staff")
    for page, link in [("/kungalv/projects/", "/kungalv/projects/export.xlsx"),
                       ("/kungalv/partners/?q=", "/kungalv/partners/export.xlsx"),
                       ("/kungalv/visits/", "/kungalv/visits/reports/visits.xlsx"),
                       ("/kungalv/visits/reports", "/kungalv/visits/reports/follow-ups.xlsx")]:
        assert link in client.get(page).get_data(as_text=True), page
    assert client.get("/kungalv/projects/export.pdf").status_code == 404


ACTION_COLUMNS = {"sv": ["Uppföljningsåtgärd (svenska)", "Uppföljningsåtgärd (tyska)",
                         "Uppföljningsåtgärd (italienska)"],
                  "de": ["Folgemaßnahme (Schwedisch)", "Folgemaßnahme (Deutsch)", "Folgemaßnahme (Italienisch)"],
                  "it": ["Azione di follow-up (svedese)", "Azione di follow-up (tedesco)",
                         "Azione di follow-up (italiano)"]}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_follow_ups_export_has_the_action_in_one_column_per_language(client, login_as, make_visit, in_scope,
                                                                         towns, locale):
    """Issue 13: a follow-up action is a text of the shared mechanism; the export gives every language
    version (and the original's language), for the visits the reader takes part in only."""
    from sqlalchemy import select

    from exchange.i18n import services as content
    from exchange.visits.models import FollowUp
    from tests.fixtures.core import Actor
    visit_id = make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 5, 1),
                          follow_ups=[("Skicka rapporten", "Karin", dt.date(2024, 6, 1))])
    make_visit("perano", visitors=("hiddenhausen",), start=dt.date(2024, 9, 1),
               follow_ups=[("Geheime Aufgabe", "Hans", None)])
    with in_scope("perano") as session:
        follow_up = session.scalars(select(FollowUp).where(FollowUp.visit_id == visit_id)).one()
        content.set_translation(follow_up, "action", "it", "Inviare il rapporto", Actor(towns["perano"]))
        session.commit()
    login_as("kungalv", "staff")
    table, _xlsx = both(client, f"/kungalv/visits/reports/follow-ups?lang={locale}")
    sv, de, it = ACTION_COLUMNS[locale]
    assert (column(table, sv), column(table, de), column(table, it)) == (
        ["Skicka rapporten"], [""], ["Inviare il rapporto"])
    original = {"sv": "Originalspråk", "de": "Originalsprache", "it": "Lingua originale"}[locale]
    assert column(table, original) == [{"sv": "svenska", "de": "Schwedisch", "it": "svedese"}[locale]]
    assert "Geheime Aufgabe" not in str(table) and "Geheime Aufgabe" not in str(_xlsx)
