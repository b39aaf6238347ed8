"""Open data (issue 17): the municipality's public projects and visits as CSV and JSON, under the licence
its admins chose. Generators over the public queries, read in batches, streamed.

The files are language-neutral: every approved language version has its own column (CSV) or entry
(JSON); codes (status, themes, municipalities) rather than translated labels. The CSV uses commas and
UTF-8, as open-data portals expect (the spreadsheet-friendly ``;`` of the signed-in exports is for
people's own spreadsheets).
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from flask import current_app

from exchange.cooperation import queries, records
from exchange.exports import BATCH, csv_lines
from exchange.extensions import db

OPEN_DATA_DELIMITER = ","


def _batched(stmt):
    return db.session.scalars(stmt.execution_options(yield_per=BATCH))


def _text(record: dict, field: str, locale: str) -> str:
    version = next((v for v in record["texts"].get(field, []) if v["locale"] == locale), None)
    return (version or {}).get("text") or ""


def project_records(municipality) -> Iterator[dict]:
    for project in _batched(queries.public_projects(municipality.id)):
        yield records.project_record(project, municipality, public=True)


def visit_records(municipality) -> Iterator[dict]:
    for visit in _batched(queries.public_visits(municipality.id)):
        yield records.visit_record(visit, public=True)


def projects_csv(municipality) -> Iterator[str]:
    languages = current_app.config["LANGUAGES"]
    fields = ("title", "summary", "description")
    header = ["id", "status", "lead", "participants", "start_date", "end_date", "priority_areas", "themes",
              *[f"{field}_{lang}" for field in fields for lang in languages], "url"]

    def rows():
        for r in project_records(municipality):
            yield [r["id"], r["status"], r["lead"], " ".join(r["participants"]), r["start_date"] or "",
                   r["end_date"] or "", " ".join(r["priority_areas"]), " ".join(r["themes"]),
                   *[_text(r, field, lang) for field in fields for lang in languages], r["url"]]
    return csv_lines(header, rows(), OPEN_DATA_DELIMITER)


def visits_csv(municipality) -> Iterator[str]:
    languages = current_app.config["LANGUAGES"]
    header = ["id", "start_date", "end_date", "host", "visitors", "places", "themes",
              *[f"lessons_{lang}" for lang in languages]]

    def rows():
        for r in visit_records(municipality):
            yield [r["id"], r["start_date"], r["end_date"], r["host"], " ".join(r["visitors"]),
                   " | ".join(r["places"]), " ".join(r["themes"]), *[_text(r, "lessons", lang) for lang in languages]]
    return csv_lines(header, rows(), OPEN_DATA_DELIMITER)


def json_document(municipality, licence, items: Iterator[dict]) -> Iterator[str]:
    """``{"municipality": …, "licence": {…}, "items": [ … ]}``, streamed one item at a time."""
    head = {"municipality": municipality.slug, "licence": records.licence_record(licence, municipality)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    for n, item in enumerate(items):
        yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]}\n"
