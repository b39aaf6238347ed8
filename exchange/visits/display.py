"""How a visit reads to people: its title and dates in the reader's language, and today in the current
municipality's time zone. Templates call these as ``h.visits.title(visit)``, ``h.visits.when(visit)``,
``h.visits.time(value)`` and ``h.visits.today()`` (exposed in views/__init__.py).
"""
from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable

from babel.dates import format_time
from flask_babel import get_locale
from flask_babel import gettext as _

from exchange.i18n.formatting import collate, date, name_list
from exchange.tenancy import current_municipality


def today() -> dt.date:
    """Today in the current municipality's time zone (what "overdue" means to its coordinators)."""
    municipality = current_municipality()
    zone = zoneinfo.ZoneInfo(municipality.timezone) if municipality else dt.timezone.utc
    return dt.datetime.now(zone).date()


def visit_title(visit) -> str:
    """"Kungälv and Hiddenhausen visiting Perano" in the reader's language."""
    return title_of(visit.host.name, [m.name for m in visit.visitors])


def title_of(host: str, visitors: list[str]) -> str:
    """A visit's title from the names of its host and visitors (``visit_title`` without the objects)."""
    return titles()(host, visitors)


def titles() -> Callable[[str, list[str]], str]:
    """``title_of`` for the many visits of one page: the sentence is translated and the reader's locale
    found once, not once a visit (a busy month of the calendar shows a hundred titles, issue 12)."""
    sentence = _("%(visitors)s visiting %(host)s")  # filled in below, as gettext fills it
    code = str(get_locale())

    def title(host: str, visitors: list[str]) -> str:
        # the names are sorted by name_list anyway: their order does not change the title
        return _filled_title(sentence, code, host, tuple(sorted(visitors)))
    return title


@functools.lru_cache(maxsize=4096)
def _filled_title(sentence: str, locale: str, host: str, visitors: tuple[str, ...]) -> str:
    """A title from its translated sentence, kept for the process: a network's visits are between a few
    towns, so the calendar's hundred titles a month are mostly made before. The translated sentence is
    part of the key, so a published translation is a new entry, never an old one."""
    return sentence % {"visitors": name_list(visitors, locale=locale) if visitors else "?", "host": host}


def pair_label(first, second) -> str:
    """"Hiddenhausen and Kungälv": a pair of municipalities in the reader's alphabet, the same order in the
    visits filter and the reports."""
    a, b = collate((first, second), key=lambda m: m.name)
    return _("%(first)s and %(second)s", first=a.name, second=b.name)


def time_text(value: dt.time | None) -> str:
    return format_time(value, "short", locale=get_locale()) if value else ""


def _day_and_time(day: dt.date, time: dt.time | None) -> str:
    text = date(day, "long")
    return _("%(date)s, %(time)s", date=text, time=time_text(time)) if time else text


def visit_when(visit) -> str:
    """The dates (and times) of a visit in the reader's language; times are the host's local times."""
    start = _day_and_time(visit.start_date, visit.start_time)
    if visit.end_date == visit.start_date:
        if visit.end_time:
            return _("%(start)s–%(end)s", start=start, end=time_text(visit.end_time))
        return start
    return _("%(start)s – %(end)s", start=start, end=_day_and_time(visit.end_date, visit.end_time))


HELPERS = {"title": visit_title, "when": visit_when, "time": time_text, "today": today}
