"""Exports of visits: the visits and follow-up tables as CSV or XLSX (generators over batched queries,
streamed by ``exchange.exports.download``), headers and labels in the reader's language and the purpose
and lessons learned in one column per language. One person's data is exported by ``exchange.privacy``.
Dates stay ISO 8601 and zones IANA names, so spreadsheets and other programs read them unambiguously.

What a reader gets is what the pages show them: every municipality sees that a visit took place; the
purpose and the number of participants only where the reader's municipality takes part; follow-up
actions only of such visits. Participants' names never leave in a CSV.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _

from exchange.exports import language_cells, language_columns
from exchange.extensions import db
from exchange.i18n.formatting import collate, language_name
from exchange.visits import permissions, queries
from exchange.visits.models import Visit


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _names(municipalities) -> str:
    return "; ".join(collate(m.name for m in municipalities))


def visits_header(languages: list[str]) -> list[str]:
    return [_("Visit"), _("First day"), _("Start time"), _("Last day"), _("End time"), _("Time zone"),
            _("Host municipality"), _("Visiting municipalities"), _("Status"), _("Themes"), _("Linked projects"),
            _("Participants"), _("Original language"), *language_columns(_("Purpose"), languages),
            *language_columns(_("Lessons learned"), languages), _("Address")]


def visits_rows(user, lang: str, languages: list[str]) -> Iterator[list]:
    """One row per visit of the network; purpose, lessons and participant count only for the visit's own
    municipalities (the others see that it took place, as on its page)."""
    for visit, participants in db.session.execute(queries.visits_for_export()):
        details = permissions.can_view_details(user, visit)
        hidden = [""] * len(languages)
        yield [visit.id, visit.start_date.isoformat(), _hhmm(visit.start_time), visit.end_date.isoformat(),
               _hhmm(visit.end_time), visit.timezone, visit.host.name, _names(visit.visitors),
               visit.status_enum.label, "; ".join(t.name(lang) for t in visit.themes),
               "; ".join(p.plain("title", lang) for p in visit.projects),
               participants if details else "", language_name(visit.source_locale("purpose")) if details else "",
               *(language_cells(visit, "purpose", languages) if details else hidden),
               *(language_cells(visit, "lessons", languages) if details else hidden),
               url_for("tenant.visits.detail", visit_id=visit.id, _external=True)]


def follow_ups_header(languages: list[str]) -> list[str]:
    return [_("Visit"), _("First day"), _("Host municipality"), _("Visiting municipalities"), _("Original language"),
            *language_columns(_("Follow-up action"), languages), _("Owner"), _("Due date"), _("Status")]


def follow_ups_rows(user, languages: list[str]) -> Iterator[list]:
    """The follow-up actions of the visits the reader's municipality takes part in, the action in each
    language (its texts are loaded with each batch of actions)."""
    for f in db.session.scalars(queries.follow_ups_for_export(permissions.details_clause(user))):
        yield [f.visit.id, f.visit.start_date.isoformat(), f.visit.host.name, _names(f.visit.visitors),
               language_name(f.source_locale("action")), *language_cells(f, "action", languages), f.owner,
               f.due_date.isoformat() if f.due_date else "", f.status_enum.label]
