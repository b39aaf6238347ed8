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
from functools import cache

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from exchange.exports import BATCH, language_columns
from exchange.extensions import db
from exchange.i18n.formatting import collation_key, language_name
from exchange.municipalities.models import Municipality
from exchange.themes.models import Theme
from exchange.visits import permissions, queries
from exchange.visits.models import FollowUpStatus, VisitStatus


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def visits_header(languages: list[str]) -> list[str]:
    return [_("Visit"), _("First day"), _("Start time"), _("Last day"), _("End time"), _("Time zone"),
            _("Host municipality"), _("Visiting municipalities"), _("Status"), _("Themes"), _("Linked projects"),
            _("Participants"), _("Original language"), *language_columns(_("Purpose"), languages),
            *language_columns(_("Lessons learned"), languages), _("Address")]


def visits_rows(user, lang: str, languages: list[str]) -> Iterator[list]:
    """One row per visit of the network; purpose, lessons and participant count only for the visit's own
    municipalities (the others see that it took place, as on its page).

    The visits come as plain columns in one streamed result, oldest first; what each batch of ``BATCH``
    rows needs besides (visitors, themes, texts, participant counts, linked projects' titles) is read
    with a few queries restricted to those ids, so memory and the statements per row stay flat (issue 12:
    ORM objects with their eager loads did not give a first byte within 40 s at 100 000 visits)."""
    reader = user.municipality_id if permissions.can_view_visits(user) else None
    themes = {theme.id: theme.name(lang) for theme in db.session.scalars(select(Theme))}
    statuses = {status.value: status.label for status in VisitStatus}
    languages_named = cache(language_name)  # a few languages, named once per download
    # Days, times and theme lists repeat from visit to visit: each is written once per download
    day, hhmm = cache(dt.date.isoformat), cache(_hhmm)
    theme_names = cache(lambda ids: "; ".join(themes[t] for t in ids if t in themes))
    url = _url_maker()
    towns = _Towns()
    result = db.session.execute(queries.visit_rows_for_export(), execution_options={"yield_per": BATCH})
    for rows in result.partitions(BATCH):
        links = queries.visit_links_of([row.id for row in rows])
        towns.load({row.host_municipality_id for row in rows} | {m for ms in links.visitors.values() for m in ms})
        mine = ({row.id for row in rows if row.host_municipality_id == reader or reader in links.visitors[row.id]}
                if reader is not None else set())
        texts, source = queries.visit_texts_of(sorted(mine))
        people = queries.participant_counts(sorted(mine))
        projects = queries.project_titles(links.projects, lang)
        hidden = [""] * (2 * len(languages))
        for visit_id, start_date, start_time, end_date, end_time, timezone, host, status in rows:
            if visit_id in mine:
                own = texts.get(visit_id, {})
                details = [people.get(visit_id, 0),
                           languages_named(source[visit_id]) if visit_id in source else "",
                           *[own.get(("purpose", code), "") for code in languages],
                           *[own.get(("lessons", code), "") for code in languages]]
            else:
                details = ["", "", *hidden]
            linked = links.projects_of.get(visit_id)
            yield [visit_id, day(start_date), hhmm(start_time), day(end_date), hhmm(end_time), timezone,
                   towns.name(host), towns.joined(links.visitors.get(visit_id, ())), statuses[status],
                   theme_names(tuple(links.themes.get(visit_id, ()))),
                   "; ".join(projects[p] for p in linked if p in projects) if linked else "",
                   *details, url(visit_id)]


def _url_maker():
    """The visit's external URL by id, built once (url_for per row costs more than the rest of the row)."""
    sentinel = 987654321987
    template = url_for("tenant.visits.detail", visit_id=sentinel, _external=True)
    head, tail = template.split(str(sentinel), 1)
    return lambda visit_id: f"{head}{visit_id}{tail}"


class _Towns:
    """Municipality names by id, read for each batch's new ids and kept for the export (a network has far
    fewer municipalities than visits), with their sort keys in the reader's alphabet computed once."""

    def __init__(self):
        self.names: dict[int, str] = {}
        self.keys: dict[int, tuple[str, str]] = {}

    def load(self, ids: set[int]) -> None:
        wanted = ids - self.names.keys()
        if wanted:
            for town_id, name in db.session.execute(select(_towns.c.id, _towns.c.name).where(_towns.c.id.in_(wanted))):
                self.names[town_id], self.keys[town_id] = name, (collation_key(name), name)

    def name(self, town_id: int) -> str:
        return self.names.get(town_id, "")

    def joined(self, ids: list[int]) -> str:
        """The names in the reader's alphabet, joined as the export joins lists."""
        return "; ".join(self.names[i] for i in sorted((i for i in ids if i in self.names), key=self.keys.__getitem__))


def follow_ups_header(languages: list[str]) -> list[str]:
    return [_("Visit"), _("First day"), _("Host municipality"), _("Visiting municipalities"), _("Original language"),
            *language_columns(_("Follow-up action"), languages), _("Owner"), _("Due date"), _("Status")]


def follow_ups_rows(user, languages: list[str]) -> Iterator[list]:
    """The follow-up actions of the visits the reader's municipality takes part in, by the visit's first day,
    as plain columns read in batches: the action's original language, then its text in each language."""
    statuses = {status.value: status.label for status in FollowUpStatus}
    languages_named = cache(language_name)  # a few languages, named once per download
    towns = _Towns()
    result = db.session.execute(queries.follow_up_rows_for_export(permissions.details_clause(user)),
                                execution_options={"yield_per": BATCH})
    for rows in result.partitions(BATCH):
        links = queries.visit_links_of(sorted({row.visit_id for row in rows}), themes=False, projects=False)
        towns.load({row.host_municipality_id for row in rows} | {m for ms in links.visitors.values() for m in ms})
        actions = queries.follow_up_action_texts([row.id for row in rows])
        for row in rows:
            texts = actions.get(row.id, {})
            source = next((locale for locale, (_text, status) in texts.items() if status == "source"), None)
            yield [row.visit_id, row.start_date.isoformat(), towns.name(row.host_municipality_id),
                   towns.joined(links.visitors[row.visit_id]), languages_named(source) if source else "",
                   *(texts[code][0] if code in texts else "" for code in languages), row.owner,
                   row.due_date.isoformat() if row.due_date else "", statuses[row.status]]


_towns = Municipality.__table__
