"""The calendar of visits: the month grid of the calendar page, and iCalendar (RFC 5545) for one visit
and for the municipality's subscription feed.

The month grid starts its weeks on the reader's first day of the week (Monday in sv/de/it, Sunday in
en-US) and holds the days of the neighbouring months that complete the first and last week.


A visit's times are local times of the host (models.Visit), so a timed event is written with
``TZID=<host zone>`` and a matching VTIMEZONE: 09:00 in Perano stays 09:00 Europe/Rome in every
calendar, and the calendar application converts it for a reader in Kungälv. A visit without times is an
all-day event (``VALUE=DATE``, the end date exclusive as the standard says).
"""
from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.dates import get_day_names, get_month_names
from flask import url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from icalendar import Calendar, Event

from exchange.db import utcnow
from exchange.rules import MAX_YEAR, MIN_YEAR
from exchange.urls import url_maker
from exchange.visits import queries
from exchange.visits.display import titles, visit_title
from exchange.visits.models import Visit, VisitStatus

PRODID = "-//Twin-Town Exchange//Visits//EN"
MONTH_LIST_LIMIT = 10  # the month's list under the grid: its first visits shown, then a link to them all


# --- the month grid ------------------------------------------------------------------------------

@dataclass
class Day:
    date: dt.date
    in_month: bool
    today: bool
    visits: list[queries.CalendarVisit]  # the first ``queries.CALENDAR_PER_DAY`` under way, by start
    more: int = 0  # how many more are under way that day (the list of visits filtered to the day)
    more_text: str = ""  # "+3 more"
    more_link: str = ""  # the list of visits filtered to the day


@dataclass
class Month:
    """One month of the calendar page: weeks of days (each with its first visits and how many more),
    the names of the weekdays (wide, abbreviated), the month's title, its neighbours, the visits shown on
    its days and how many visits touch it."""

    first: dt.date
    last: dt.date
    title: str
    weeks: list[list[Day]]
    day_names: list[tuple[str, str]]
    visits: list[queries.CalendarVisit]
    total: int = 0  # visits under way on some day of the month
    per_day: int = 0

    @property
    def more(self) -> bool:
        """Some day of the month has more visits than it shows."""
        return any(day.more for week in self.weeks for day in week if day.in_month)

    @property
    def previous(self) -> dt.date:
        return self.first - dt.timedelta(days=1)

    @property
    def following(self) -> dt.date:
        return self.last + dt.timedelta(days=1)


def month(year: int | None, number: int | None, today: dt.date) -> Month:
    """The month ``number`` of ``year`` (this month when either is missing or out of range)."""
    if year is None or number is None or not (MIN_YEAR <= year <= MAX_YEAR and 1 <= number <= 12):
        year, number = today.year, today.month
    locale = get_locale()
    first = dt.date(year, number, 1)
    last = dt.date(year, number, pycalendar.monthrange(year, number)[1])
    week_start = locale.first_week_day  # 0 = Monday
    grid_start = first - dt.timedelta(days=(first.weekday() - week_start) % 7)
    grid_end = last + dt.timedelta(days=(week_start - last.weekday() - 1) % 7)
    # Each day its first visits and a count, not every visit of the month (a network has hundreds a
    # month): the page costs the same at any size (issue 12).
    found = queries.calendar_visits(grid_start, grid_end, queries.CALENDAR_PER_DAY)
    days = [grid_start + dt.timedelta(days=n) for n in range((grid_end - grid_start).days + 1)]
    # A visit of several days is in several cells: its title and link are made once. (The links are
    # built around a marker, exchange.urls.url_maker: a busy month has a hundred and forty.)
    title_of, visit_link = titles(), url_maker("tenant.visits.detail", "visit_id")
    for visit in found.visits.values():
        visit.title, visit.link = title_of(visit.host_name, visit.visitor_names), visit_link(visit.id)
    day_link = url_maker("tenant.visits.index", "since", "until")
    cells = []
    more_texts: dict[int, str] = {}  # a busy month says "+N more" on every day: each N translated once
    for day in days:
        shown = [found.visits[i] for i in found.shown.get(day, [])]
        more = found.counts.get(day, 0) - len(shown)
        if more and more not in more_texts:
            more_texts[more] = ngettext("+%(num)d more", "+%(num)d more", more)
        cells.append(Day(day, day.month == number, day == today, shown, more, more_texts.get(more, ""),
                         day_link(day.isoformat()) if more else ""))
    in_month = {v.id: v for cell in cells if cell.in_month for v in cell.visits}
    visits = sorted(in_month.values(), key=lambda v: queries.start_order(v.start_date, v.start_time, v.id))
    wide = get_day_names("wide", locale=locale)
    short = get_day_names("abbreviated", locale=locale)
    title = _("%(month)s %(year)d", month=get_month_names("wide", context="stand-alone", locale=locale)[number],
              year=year)
    return Month(first=first, last=last, title=title, weeks=[cells[i:i + 7] for i in range(0, len(cells), 7)],
                 day_names=[(wide[(week_start + i) % 7], short[(week_start + i) % 7]) for i in range(7)],
                 visits=visits[:MONTH_LIST_LIMIT], total=found.total(first, last),
                 per_day=queries.CALENDAR_PER_DAY)


# --- iCalendar -----------------------------------------------------------------------------------


def _end(visit: Visit) -> dt.date | dt.datetime:
    if visit.start_time is None:
        return visit.end_date + dt.timedelta(days=1)
    if visit.end_time is not None:
        return visit.ends_at
    # A start time but no end time: the event lasts until the end of the last day.
    return dt.datetime.combine(visit.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=visit.starts_at.tzinfo)


def event_for(visit: Visit, url: str, summary: str, description: str, location: str) -> Event:
    """One VEVENT for the visit, with a link back to its page (URL and in the description)."""
    event = Event()
    event.add("uid", f"visit-{visit.id}@twin-town-exchange")
    event.add("dtstamp", utcnow())
    event.add("dtstart", visit.starts_at or visit.start_date)
    event.add("dtend", _end(visit))
    event.add("summary", summary)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("location", location)
    event.add("url", url)
    event.add("sequence", max(visit.version - 1, 0))
    event.add("status", {VisitStatus.CANCELLED.value: "CANCELLED",
                         VisitStatus.PLANNED.value: "TENTATIVE"}.get(visit.status, "CONFIRMED"))
    if visit.updated_at is not None:
        modified = visit.updated_at if visit.updated_at.tzinfo else visit.updated_at.replace(tzinfo=dt.timezone.utc)
        event.add("last-modified", modified)
    return event


def calendar_bytes(visits: Iterable[Visit], name: str, describe: Callable[[Visit], tuple[str, str, str, str]],
                   extra: Iterable[tuple[Event, dt.date]] = ()) -> bytes:
    """A whole calendar. ``describe(visit)`` returns (url, summary, description, location); ``extra`` are
    other domains' events with the date each falls on (the funding calls' openings and deadlines)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    first = last = None
    for visit in visits:
        cal.add_component(event_for(visit, *describe(visit)))
        first = min(first or visit.start_date, visit.start_date)
        last = max(last or visit.end_date, visit.end_date)
    for event, day in extra:
        cal.add_component(event)
        first, last = min(first or day, day), max(last or day, day)
    if first is not None:
        # Only the transitions around the events: a compact VTIMEZONE that still covers them.
        cal.add_missing_timezones(first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 2, 1, 1))
    return cal.to_ical()


def _describe(visit: Visit, with_details: bool, lang: str) -> tuple[str, str, str, str]:
    """(url, summary, description, location) of a visit's event; the purpose only ``with_details``."""
    url = url_for("tenant.visits.detail", visit_id=visit.id, _external=True)
    description = visit.plain("purpose", lang) if with_details else ""
    return url, visit_title(visit), description, visit.host.name


def visit_file(visit: Visit, with_details: bool, lang: str) -> bytes:
    """The .ics of one visit, in the reader's language."""
    return calendar_bytes([visit], visit_title(visit), lambda v: _describe(v, with_details, lang))


def feed_file(municipality, visits: Iterable[Visit], calls: Iterable = ()) -> bytes:
    """The municipality's subscription feed, in its default language. The feed belongs to a municipality
    of each of its visits: purposes are theirs to read. ``calls``: funding calls whose opening and
    deadline go into the feed too (exchange.calls.calendar)."""
    from exchange.calls.calendar import events as call_events
    lang = municipality.default_locale
    with force_locale(lang):
        name = _("Visits: %(municipality)s", municipality=municipality.name)
        return calendar_bytes(visits, name, lambda v: _describe(v, True, lang), call_events(calls, lang))
