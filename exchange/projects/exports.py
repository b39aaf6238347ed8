"""Project exports, streamed as CSV or XLSX: the rows are generated from the list's own filtered query,
read in batches, so a long list never sits in memory. Contact people are personal data and are never
exported (DESIGN.md §4); what an export shows is what the reader's list shows (the same scoped query).

Headers and labels are in the reader's language; every translatable text has one column per language.
Dates stay ISO 8601 (2026-11-29): spreadsheet programs read that form as a date in any locale.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from exchange.exports import BATCH, language_cells, language_columns
from exchange.extensions import db
from exchange.i18n.formatting import collate, language_name
from exchange.projects import queries
from exchange.projects.models import Project


def _text_labels() -> dict[str, str]:
    return {"title": _("Title"), "summary": _("Summary"), "description": _("Description")}


def project_header(languages: list[str]) -> list[str]:
    """The header in the reader's language: fixed columns, then one column per text and language
    ("Titel (svenska)", "Titel (tyska)", …)."""
    return ([_("Project number"), _("Status"), _("Lead municipality"), _("Participating municipalities"),
             _("Start date"), _("End date"), _("Themes"), _("Priority areas"), _("Original language")]
            + [column for field, label in _text_labels().items() for column in language_columns(label, languages)])


def _row(project: Project, locale: str, languages: list[str]) -> list:
    row = [project.id, project.status_enum.label, project.lead.name,
           "; ".join(collate(p.municipality.name for p in project.participants)),
           project.start_date.isoformat() if project.start_date else "",
           project.end_date.isoformat() if project.end_date else "",
           "; ".join(t.name(locale) for t in project.themes),
           "; ".join(a.label for a in project.priority_areas),
           language_name(project.source_locale())]
    for field in _text_labels():
        row += language_cells(project, field, languages)
    return row


def project_rows(filters: queries.ProjectFilters, locale: str, languages: list[str]) -> Iterator[list]:
    """One row per project matching ``filters``, in the list's order, fetched ``BATCH`` at a time (the
    list's eager loads run once per batch)."""
    stmt = queries.filtered(filters, locale).execution_options(yield_per=BATCH)
    for project in db.session.scalars(stmt):
        yield _row(project, locale, languages)
