"""Calls in the municipality's calendar feed (exchange.visits' subscription feed): the opening and the
deadline of each call as two separate events, at their moment in the programme's own time zone
(``TZID=Europe/Brussels``, with its VTIMEZONE), so "17:00 Brussels time" reaches every calendar as that
instant, shown in the reader's own zone by their calendar application."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import url_for
from flask_babel import gettext as _
from icalendar import Event

from exchange.calls.models import FundingCall
from exchange.db import utcnow


def _event(call: FundingCall, kind: str, moment: dt.datetime, summary: str, lang: str) -> Event:
    url = url_for("tenant.calls.detail", call_id=call.id, _external=True)
    event = Event()
    event.add("uid", f"call-{call.id}-{kind}@twin-town-exchange")
    event.add("dtstamp", utcnow())
    event.add("dtstart", moment.astimezone(call.zone))
    event.add("summary", summary)
    description = call.plain("description", lang)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    event.add("sequence", max(call.version - 1, 0))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def events(calls: Iterable[FundingCall], lang: str) -> list[tuple[Event, dt.date]]:
    """Two events per call (opening, closing) with the date each falls on, in the current language."""
    found = []
    for call in calls:
        title = call.plain("title", lang)
        found.append((_event(call, "opens", call.opens_utc, _("Call opens: %(title)s", title=title), lang),
                      call.opens_local.date()))
        found.append((_event(call, "closes", call.closes_utc, _("Call deadline: %(title)s", title=title), lang),
                      call.closes_local.date()))
    return found
