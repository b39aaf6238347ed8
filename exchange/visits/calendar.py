"""iCalendar (RFC 5545) for visits: one .ics per visit and the municipality's subscription feed.

A visit's times are local times of the host (models.Visit), so a timed event is written with
``TZID=<host zone>`` and a matching VTIMEZONE: 09:00 in Perano stays 09:00 Europe/Rome in every
calendar, and the calendar application converts it for a reader in Kungälv. A visit without times is an
all-day event (``VALUE=DATE``, the end date exclusive as the standard says).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from exchange.db import utcnow
from exchange.visits.models import Visit, VisitStatus

PRODID = "-//Twin-Town Exchange//Visits//EN"


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


def calendar_bytes(visits: Iterable[Visit], name: str, describe: Callable[[Visit], tuple[str, str, str, str]]) -> bytes:
    """A whole calendar. ``describe(visit)`` returns (url, summary, description, location)."""
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
    if first is not None:
        # Only the transitions around the events: a compact VTIMEZONE that still covers them.
        cal.add_missing_timezones(first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 2, 1, 1))
    return cal.to_ical()
