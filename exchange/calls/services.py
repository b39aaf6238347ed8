"""Writes of the calls domain: adding and editing calls (any municipality's coordinators and admins),
linking projects to calls (the project's lead coordinators). Services validate everything that reaches
them (the CLI and the demo loader call them too), flush, keep the call's history and write the audit log
of the acting municipality; the caller checks permissions and commits.
"""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from exchange import rules
from exchange.audit.services import record
from exchange.calls.models import ApplicantType, CallRevision, CallTheme, FundingCall, ProjectCall, Programme
from exchange.calls.rules import PRIVATE_PERSON_TYPES
from exchange.db import Len, utcnow
from exchange.errors import Conflict, Refusal, register_messages
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.themes import queries as theme_queries

register_messages({
    "call_closes_before_opens": _l("The call must close after it opens."),
    "call_unknown_timezone": _l("Choose one of the offered time zones."),
    "call_unknown_country": _l("Choose countries from the list."),
    "call_private_person_applicant": _l("Private persons cannot be eligible applicants: choose organisations or "
                                   "public bodies."),
    "call_not_a_count": _l("Enter a whole number between %(low)d and %(high)d."),
    "call_not_a_percentage": _l("Enter a percentage above 0 and at most 100."),
    "call_max_below_min": _l("The maximum grant cannot be less than the minimum grant."),
    "call_already_linked": _l("This project is already linked to this call."),
    "call_closed": _l("This call is closed: a project can no longer be linked to it."),
})

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
MAX_PARTNERS, MAX_COUNTRIES = 500, 60


@dataclass
class CallInput:
    """A call as a form (or the demo loader) gives it: plain values, checked by ``_checked``.
    Opening and closing are local date and time in ``timezone`` (the programme's zone)."""

    title: str
    locale: str
    programme: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    currency: str
    timezone: str = "Europe/Brussels"
    opens_time: dt.time | None = None
    closes_time: dt.time | None = None
    description: str = ""
    official_url: str = ""
    applicant_types: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    min_partners: object = None
    min_countries: object = None
    max_aid_intensity: object = None
    min_grant: object = None
    max_grant: object = None
    voluntary_work_counts: bool = False
    voluntary_hourly_value: object = None
    example: bool = False


def _count(value, name: str, high: int) -> int | None:
    if value in (None, ""):
        return None
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,6}\s*", value):
        number = int(value)
    if number is None or not 1 <= number <= high:
        raise Refusal("call_not_a_count", name, low=1, high=high)
    return number


def _money(value, name: str) -> Decimal | None:
    return None if value in (None, "") else rules.amount(value, name)


def _zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise Refusal("call_unknown_timezone", "timezone") from None
    return name


def to_utc(day: dt.date, time: dt.time | None, zone: str, default: dt.time) -> dt.datetime:
    """A local date and time of ``zone`` as UTC (a wall time that does not exist, on the night clocks go
    forward, is read as the moment after the gap, as zoneinfo does)."""
    local = dt.datetime.combine(day, time or default, tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.timezone.utc)


def _checked(data: CallInput) -> dict:
    """The column values of a call, or a Refusal beside the field that is wrong."""
    values: dict = {}
    values["title"] = rules.clean_text(data.title, Len.TITLE, "title", required=True)
    values["description"] = rules.clean_text(data.description, Len.TEXT, "description")
    values["locale"] = rules.check_locale(data.locale)
    try:
        values["programme"] = Programme(data.programme).value
    except ValueError:
        raise Refusal("unknown_choice", "programme") from None
    url = rules.clean_text(data.official_url, Len.URL, "official_url")
    if url and not _URL.fullmatch(url):
        raise Refusal("invalid_url", "official_url")
    values["official_url"] = url
    zone = values["timezone"] = _zone(data.timezone)
    opens_on = rules.check_date(data.opens_on, "opens_on")
    closes_on = rules.check_date(data.closes_on, "closes_on")
    values["opens_at"] = to_utc(opens_on, data.opens_time, zone, dt.time(0, 0))
    values["closes_at"] = to_utc(closes_on, data.closes_time, zone, dt.time(17, 0))
    if values["closes_at"] <= values["opens_at"]:
        raise Refusal("call_closes_before_opens", "closes_on")
    types = [t for t in dict.fromkeys(data.applicant_types or []) if isinstance(t, str)]
    if any(t in PRIVATE_PERSON_TYPES for t in types):
        raise Refusal("call_private_person_applicant", "applicant_types")
    known = {t.value for t in ApplicantType}
    if any(t not in known for t in types):
        raise Refusal("unknown_choice", "applicant_types")
    values["applicant_types"] = [t.value for t in ApplicantType if t.value in types]
    countries = [str(c).strip().upper() for c in dict.fromkeys(data.countries or [])]
    territories = Locale.parse("en").territories
    if any(not re.fullmatch(r"[A-Z]{2}", c) or c not in territories for c in countries):
        raise Refusal("call_unknown_country", "countries")
    values["countries"] = sorted(countries)
    theme_ids = rules.parse_ids(data.theme_ids)
    themes = theme_queries.by_ids(theme_ids)
    if len(themes) != len(theme_ids) or len(theme_ids) != len(data.theme_ids or []):
        raise Refusal("unknown_theme", "themes")
    values["themes"] = themes
    values["min_partners"] = _count(data.min_partners, "min_partners", MAX_PARTNERS)
    values["min_countries"] = _count(data.min_countries, "min_countries", MAX_COUNTRIES)
    if data.max_aid_intensity in (None, ""):
        values["max_aid_intensity"] = None
    else:
        percent = rules.amount(data.max_aid_intensity, "max_aid_intensity", Decimal(100))
        if percent <= 0:
            raise Refusal("call_not_a_percentage", "max_aid_intensity")
        values["max_aid_intensity"] = percent
    values["min_grant"] = _money(data.min_grant, "min_grant")
    values["max_grant"] = _money(data.max_grant, "max_grant")
    if values["min_grant"] is not None and values["max_grant"] is not None and values["max_grant"] < values["min_grant"]:
        raise Refusal("call_max_below_min", "max_grant")
    values["voluntary_work_counts"] = bool(data.voluntary_work_counts)
    values["voluntary_hourly_value"] = _money(data.voluntary_hourly_value, "voluntary_hourly_value")
    values["currency"] = rules.check_currency(data.currency)
    values["example"] = bool(data.example)
    return values


# The fields a revision records, as plain JSON values (what the history shows as before → after).
TRACKED = ("title", "description", "programme", "official_url", "opens_at", "closes_at", "timezone",
           "applicant_types", "countries", "themes", "min_partners", "min_countries", "max_aid_intensity",
           "min_grant", "max_grant", "voluntary_work_counts", "voluntary_hourly_value", "currency")


def _plain(value):
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def snapshot(call: FundingCall) -> dict:
    """The tracked values of a call as plain JSON (texts in their source language)."""
    values = {name: _plain(getattr(call, name)) for name in TRACKED
              if name not in ("title", "description", "themes")}
    values["title"] = call.plain("title", call.source_locale("title") or "")
    values["description"] = call.plain("description", call.source_locale("description") or "")
    values["themes"] = sorted(link.theme_id for link in call.theme_links)
    return values


def _proposed(call: FundingCall, values: dict) -> dict:
    """The snapshot the call would have with ``values``, to tell a save that changes nothing."""
    proposed = {name: _plain(values[name]) for name in TRACKED if name not in ("title", "description", "themes")}
    proposed["title"] = values["title"]
    has_description = values["description"] or call.source_row("description") is not None
    proposed["description"] = values["description"] if has_description else ""
    proposed["themes"] = sorted(t.id for t in values["themes"])
    return proposed


def _apply(call: FundingCall, values: dict, user) -> None:
    for name in ("programme", "official_url", "opens_at", "closes_at", "timezone", "applicant_types", "countries",
                 "min_partners", "min_countries", "max_aid_intensity", "min_grant", "max_grant",
                 "voluntary_work_counts", "voluntary_hourly_value", "currency", "example"):
        # Compared as plain values: SQLite hands back naive UTC datetimes, and setting an equal value
        # must not make an UPDATE (nor a new version).
        if _plain(getattr(call, name)) != _plain(values[name]):
            setattr(call, name, values[name])
    wanted = {t.id for t in values["themes"]}
    for link in [link for link in call.theme_links if link.theme_id not in wanted]:
        call.theme_links.remove(link)
    present = {link.theme_id for link in call.theme_links}
    call.theme_links.extend(CallTheme(theme_id=t.id) for t in values["themes"] if t.id not in present)
    texts = {"title": values["title"]}
    if values["description"] or call.source_row("description") is not None:
        texts["description"] = values["description"]  # no empty original for the translators' queue
    content.write_fields(call, texts, values["locale"], user)


def _revision(call: FundingCall, user, action: str, before: dict, after: dict) -> CallRevision:
    changes = {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}
    revision = CallRevision(version=call.version, action=action, at=utcnow(), actor_name=getattr(user, "name", "") or "",
                            actor_municipality_id=getattr(user, "municipality_id", None), changes=changes)
    call.revisions.append(revision)
    return revision


def create_call(user, data: CallInput) -> FundingCall:
    """Add a call to the shared catalog; the current municipality owns it (stamped by the scope)."""
    values = _checked(data)
    call = FundingCall(programme=values["programme"], opens_at=values["opens_at"], closes_at=values["closes_at"],
                       timezone=values["timezone"], currency=values["currency"])
    db.session.add(call)
    _apply(call, values, user)
    db.session.flush()
    _revision(call, user, "created", {}, snapshot(call))
    db.session.flush()
    record(user, "call.created", call)
    return call


def update_call(call: FundingCall, user, data: CallInput, expected_version: int | None) -> bool:
    """Save a call (anyone allowed to edit calls, of any municipality). A form opened on an older version
    is a Conflict; nothing changed is no new version. Returns True when something changed."""
    rules.check_version(call, expected_version)
    values = _checked(data)
    before = snapshot(call)
    if _proposed(call, values) == before:
        return False
    try:
        # The row itself changes, so its version moves on once, even for an edit of the texts only.
        call.updated_at = utcnow()
        _apply(call, values, user)
        db.session.flush()
    except StaleDataError:
        raise Conflict() from None
    after = snapshot(call)
    revision = _revision(call, user, "edited", before, after)
    db.session.flush()
    record(user, "call.edited", call, fields=sorted(revision.changes))
    return True


def link_project(project, call: FundingCall, user, now: dt.datetime | None = None) -> ProjectCall:
    """Link a project to a call it applies to (its lead coordinators; an open or upcoming call)."""
    if call.is_closed(now):
        raise Refusal("call_closed")
    if any(link.call_id == call.id for link in links_of(project)):
        raise Refusal("call_already_linked")
    link = ProjectCall(project_id=project.id, call_id=call.id, linked_by_name=getattr(user, "name", "") or "")
    db.session.add(link)
    db.session.flush()
    record(user, "project.call_linked", project, call_id=call.id)
    return link


def unlink_project(link: ProjectCall, user) -> None:
    """Take a project's link to a call away (idempotent for the caller: the view loads the link first)."""
    project, call_id = link.project, link.call_id
    db.session.delete(link)
    db.session.flush()
    record(user, "project.call_unlinked", project, call_id=call_id)


def links_of(project) -> list[ProjectCall]:
    from exchange.calls import queries
    return queries.links_of(project.id)
