"""How the calls read: the rules check and the fit reasons as sentences in the reader's language, and a
call's dates in the programme's own time zone ("30 Apr 2027 at 17:00 (Brussels time)").

The rule functions (rules.py) return codes and raw values; only here do numbers, money and country
names get the reader's formatting (DESIGN.md §5: Babel, each amount in its own currency).
"""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time, get_timezone_location
from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from exchange.calls.models import ApplicantType, FundingCall
from exchange.calls.rules import FAIL, PASS, UNKNOWN, Check, Reason
from exchange.i18n.formatting import country_name, money, number

RULE_LABELS = {
    "aid_intensity": _l("Aid intensity"),
    "grant": _l("Grant"),
    "partners": _l("Partners"),
    "countries_count": _l("Countries"),
    "applicant_types": _l("Eligible applicants"),
    "eligible_countries": _l("Eligible countries"),
    "voluntary_work": _l("Voluntary work"),
}
STATUS_LABELS = {PASS: _l("met"), FAIL: _l("not met"), UNKNOWN: _l("cannot be checked")}


def _join(items) -> str:
    items = [str(i) for i in items]
    return format_list(items, locale=get_locale()) if items else "–"


def _type(value: str) -> str:
    try:
        return ApplicantType(value).label
    except ValueError:
        return value


def describe(check: Check) -> str:
    """One rule's outcome as a sentence in the current interface language."""
    p, code = check.params, check.code
    if code in ("aid_intensity_over", "aid_intensity_ok"):
        values = {"share": number(p["share"]), "max": number(p["max"])}
        if code == "aid_intensity_over":
            return _("aid intensity %(share)s %% > %(max)s %% allowed", **values)
        return _("aid intensity %(share)s %% ≤ %(max)s %% allowed", **values)
    if code == "other_currency":
        return _("the plan has amounts in %(currencies)s, the call counts only %(currency)s: convert them in the "
                 "plan to check this rule", currencies=_join(p["currencies"]), currency=p["currency"])
    if code == "no_costs":
        return _("the funding plan has no amounts to compare yet")
    if code == "no_grant_line":
        return _("the funding plan asks nothing from this programme yet")
    if code in ("grant_below_min", "grant_over_max", "grant_ok"):
        grant = money(p["grant"], p["currency"])
        if code == "grant_below_min":
            return _("grant %(grant)s < %(min)s minimum", grant=grant, min=money(p["min"], p["currency"]))
        if code == "grant_over_max":
            return _("grant %(grant)s > %(max)s maximum", grant=grant, max=money(p["max"], p["currency"]))
        return _("grant %(grant)s within the call's limits", grant=grant)
    if code in ("partners_ok", "partners_too_few"):
        return ngettext("needs at least %(num)d partner, has %(count)d",
                        "needs at least %(num)d partners, has %(count)d", p["min"], count=p["count"])
    if code in ("countries_ok", "countries_too_few"):
        return ngettext("needs partners from %(num)d country, has %(count)d",
                        "needs partners from %(num)d countries, has %(count)d", p["min"], count=p["count"])
    if code == "private_person":
        return _("private persons are not eligible")
    if code == "no_applicants":
        return _("no applicants to check yet")
    if code == "type_not_eligible":
        return _("not eligible as applicants: %(types)s", types=_join(_type(t) for t in p["types"]))
    if code == "types_ok":
        return _("every applicant is eligible: %(types)s", types=_join(_type(t) for t in p["types"]))
    if code == "country_not_eligible":
        return _("not an eligible country: %(countries)s", countries=_join(country_name(c) for c in p["countries"]))
    if code == "countries_eligible":
        return _("every partner comes from an eligible country: %(countries)s",
                 countries=_join(country_name(c) for c in p["countries"]))
    if code == "voluntary_not_counted":
        return _("voluntary work (%(hours)s h) does not count as co-financing in this call", hours=number(p["hours"]))
    if code == "voluntary_no_rate":
        return _("the call names no hourly value for voluntary work (%(hours)s h in the plan)",
                 hours=number(p["hours"]))
    if code == "voluntary_counted":
        return _("voluntary work %(hours)s h counted at %(rate)s/h = %(value)s", hours=number(p["hours"]),
                 rate=money(p["rate"], p["currency"]), value=money(p["value"], p["currency"]))
    raise ValueError(f"unknown rule outcome {code!r}")


def rows(checks: list[Check]) -> list[dict]:
    """The rules check as table rows: rule, status (code and words), the reason."""
    return [{"rule": str(RULE_LABELS[c.rule]), "status": c.status, "status_label": str(STATUS_LABELS[c.status]),
             "reason": describe(c)} for c in checks]


def reason_text(reason: Reason, theme_name) -> str:
    """One reason of a fit as a sentence; ``theme_name(id)`` gives a theme's name for the reader."""
    data = reason.data
    if reason.kind == "themes":
        return _("shared themes: %(themes)s", themes=_join(theme_name(t) for t in data["themes"]))
    if reason.kind == "types":
        return _("eligible applicants among the participants: %(types)s", types=_join(_type(t) for t in data["types"]))
    if reason.kind == "countries":
        return _("participants from eligible countries: %(countries)s",
                 countries=_join(country_name(c) for c in data["countries"]))
    if reason.kind == "opens_later":
        return _("opens on %(date)s", date=format_date(data["opens_at"], "medium", locale=get_locale()))
    if reason.kind == "time_left":
        return ngettext("%(num)d day left before the deadline", "%(num)d days left before the deadline", data["days"])
    raise ValueError(f"unknown reason {reason.kind!r}")


def local_moment(call: FundingCall, moment: dt.datetime) -> str:
    """A moment of the call in the programme's time zone, with the zone's city in the reader's language."""
    locale = get_locale()
    local = moment.astimezone(call.zone)
    return _("%(date)s at %(time)s (%(city)s time)", date=format_date(local, "medium", locale=locale),
             time=format_time(local, "HH:mm", locale=locale),
             city=get_timezone_location(call.zone, locale=locale, return_city=True))


def closes(call: FundingCall) -> str:
    return local_moment(call, call.closes_utc)


def opens(call: FundingCall) -> str:
    return local_moment(call, call.opens_utc)


def state(call: FundingCall, now: dt.datetime | None = None) -> str:
    """Open, upcoming or closed, in words."""
    from exchange.db import utcnow
    now = now or utcnow()
    if call.is_closed(now):
        return _("Closed")
    if call.is_open(now):
        return _("Open")
    return _("Opens later")


def days_left(call: FundingCall, now: dt.datetime | None = None) -> str:
    from exchange.db import utcnow
    left = call.closes_utc - (now or utcnow())
    if left.total_seconds() <= 0:
        return ""
    if left < dt.timedelta(days=1):
        return _("closes within a day")
    return ngettext("%(num)d day left", "%(num)d days left", left.days)


def countries(call: FundingCall) -> str:
    return _join(sorted(country_name(c) for c in call.countries)) if call.countries else _("Any country")


def applicant_types(call: FundingCall) -> str:
    return _join(t.label for t in call.applicant_type_enums) if call.applicant_types else _("Not restricted")


FIELD_LABELS = {
    "title": _l("Title"), "description": _l("Description"), "programme": _l("Programme"),
    "official_url": _l("Official web page of the call"), "opens_at": _l("Opens on"), "closes_at": _l("Closes on"),
    "timezone": _l("Time zone of the programme"), "applicant_types": _l("Eligible applicants"),
    "countries": _l("Eligible countries"), "themes": _l("Themes"), "min_partners": _l("Minimum number of partners"),
    "min_countries": _l("Minimum number of countries"), "max_aid_intensity": _l("Maximum aid intensity (in per cent)"),
    "min_grant": _l("Minimum grant"), "max_grant": _l("Maximum grant"),
    "voluntary_work_counts": _l("Voluntary work counts as co-financing"),
    "voluntary_hourly_value": _l("Value of one hour of voluntary work"), "currency": _l("Currency"),
}


def changed_fields(revision) -> str:
    """The fields a save changed, named as the form names them."""
    order = list(FIELD_LABELS)
    names = sorted(revision.changes or {}, key=lambda n: order.index(n) if n in order else len(order))
    return _join(str(FIELD_LABELS.get(name, name)) for name in names)
