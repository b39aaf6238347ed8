"""Project exports, streamed: the rows are generated from the list's own filtered query, read in batches,
so a long list never sits in memory. Contact people are personal data and are never exported
(DESIGN.md §4); what an export shows is what the reader's list shows (the same scoped query).
"""
from __future__ import annotations

from collections.abc import Iterator

from exchange.exports import BATCH
from exchange.extensions import db
from exchange.projects import queries
from exchange.projects.models import Project

TEXT_COLUMNS = ("title", "summary")


def project_header(languages: list[str]) -> list[str]:
    """The CSV's header: fixed columns, then one column per text and language (``title_sv``, …)."""
    return (["id", "status", "lead", "participants", "start_date", "end_date", "themes", "priority_areas",
             "source_language"]
            + [f"{name}_{code}" for name in TEXT_COLUMNS for code in languages])


def _row(project: Project, locale: str, languages: list[str]) -> list[str]:
    row = [str(project.id), project.status_enum.label, project.lead.name,
           "; ".join(p.municipality.name for p in project.participants),
           project.start_date.isoformat() if project.start_date else "",
           project.end_date.isoformat() if project.end_date else "",
           "; ".join(t.name(locale) for t in project.themes),
           "; ".join(a.label for a in project.priority_areas),
           project.source_locale() or ""]
    for name in TEXT_COLUMNS:
        rows = project.text_rows(name)
        row += [rows[code].text if code in rows else "" for code in languages]
    return row


def project_rows(filters: queries.ProjectFilters, locale: str, languages: list[str]) -> Iterator[list[str]]:
    """One row per project matching ``filters``, in the list's order, fetched ``BATCH`` at a time (the
    list's eager loads run once per batch)."""
    stmt = queries.filtered(filters, locale).execution_options(yield_per=BATCH)
    for project in db.session.scalars(stmt):
        yield _row(project, locale, languages)
