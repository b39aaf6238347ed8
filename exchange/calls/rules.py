"""The rules check and the fit of a project with a call: pure functions, table-tested
(tests/calls/test_rules.py). No database, no request, no translation: each rule returns a ``Check``
(pass, fail or unknown, a reason code and its parameters); ``display.describe`` turns it into a sentence
in the reader's language.

Money is compared only in the call's currency: a plan with a line in another currency is *unknown* for
every money rule, with the reason, never silently converted (DESIGN.md §5: no sums across currencies
without an explicit, dated rate).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
VOLUNTARY = "voluntary_work"
# What someone might call a private person in a plan or an import: never an eligible applicant.
PRIVATE_PERSON_TYPES = frozenset({"individual", "private_person", "person", "private", "natural_person"})
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlanLine:
    """One line of the project's funding plan: its source (exchange.projects FundingSource values), the
    amount in its currency, and for voluntary work the hours."""

    source: str
    amount: Decimal
    currency: str
    hours: Decimal | None = None


@dataclass(frozen=True)
class Plan:
    """What the rules look at in a project: its funding plan and who takes part (the lead and the
    participating municipalities, and its accepted partner organisations)."""

    lines: tuple[PlanLine, ...] = ()
    partners: int = 0
    countries: frozenset[str] = frozenset()
    applicant_types: tuple[str, ...] = ()
    themes: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CallRules:
    """A call's rules, as plain values."""

    currency: str
    grant_sources: frozenset[str] = frozenset()
    max_aid_intensity: Decimal | None = None
    min_grant: Decimal | None = None
    max_grant: Decimal | None = None
    min_partners: int | None = None
    min_countries: int | None = None
    applicant_types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    voluntary_work_counts: bool = False
    voluntary_hourly_value: Decimal | None = None
    themes: frozenset[int] = frozenset()
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


@dataclass(frozen=True)
class Check:
    """The outcome of one rule: ``status`` pass/fail/unknown, ``code`` the reason, ``params`` its values."""

    rule: str
    status: str
    code: str
    params: dict = field(default_factory=dict)


# --- money in the call's currency --------------------------------------------------------------------

def foreign_currencies(call: CallRules, plan: Plan) -> tuple[str, ...]:
    """The currencies of the plan other than the call's (sorted)."""
    return tuple(sorted({line.currency for line in plan.lines} - {call.currency}))


def _unknown_currency(rule: str, call: CallRules, plan: Plan) -> Check | None:
    others = foreign_currencies(call, plan)
    if others:
        return Check(rule, UNKNOWN, "other_currency", {"currencies": others, "currency": call.currency})
    return None


def voluntary_hours(plan: Plan) -> Decimal:
    return sum((line.hours or Decimal(0) for line in plan.lines if line.source == VOLUNTARY), Decimal(0))


def counted_voluntary_value(call: CallRules, plan: Plan) -> Decimal:
    """Voluntary work as the call counts it: the hours at the call's hourly value, or nothing."""
    if not call.voluntary_work_counts or call.voluntary_hourly_value is None:
        return Decimal(0)
    return (voluntary_hours(plan) * call.voluntary_hourly_value).quantize(CENT)


def grant(call: CallRules, plan: Plan) -> Decimal:
    """What the plan asks from the call's programme (the lines of its funding sources)."""
    return sum((line.amount for line in plan.lines if line.source in call.grant_sources), Decimal(0))


def eligible_total(call: CallRules, plan: Plan) -> Decimal:
    """The plan's total as the call counts it: money lines as they are, voluntary work at the call's
    hourly value when it counts, otherwise not at all."""
    money = sum((line.amount for line in plan.lines if line.source != VOLUNTARY), Decimal(0))
    return money + counted_voluntary_value(call, plan)


# --- the rules -------------------------------------------------------------------------------------

def check_aid_intensity(call: CallRules, plan: Plan) -> Check | None:
    """The grant's share of the eligible total is at most the call's maximum aid intensity."""
    if call.max_aid_intensity is None:
        return None
    rule = "aid_intensity"
    if (unknown := _unknown_currency(rule, call, plan)) is not None:
        return unknown
    total = eligible_total(call, plan)
    if total <= 0:
        return Check(rule, UNKNOWN, "no_costs")
    asked = grant(call, plan)
    share = (asked * 100 / total).quantize(Decimal("0.1"))
    params = {"share": share, "max": call.max_aid_intensity}
    # Compared exactly (not the rounded share): 60.04 % is more than 60 %.
    if asked * 100 > call.max_aid_intensity * total:
        return Check(rule, FAIL, "aid_intensity_over", params)
    return Check(rule, PASS, "aid_intensity_ok", params)


def check_grant(call: CallRules, plan: Plan) -> Check | None:
    """The grant asked is within the call's minimum and maximum."""
    if call.min_grant is None and call.max_grant is None:
        return None
    rule = "grant"
    if (unknown := _unknown_currency(rule, call, plan)) is not None:
        return unknown
    if not any(line.source in call.grant_sources for line in plan.lines):
        return Check(rule, UNKNOWN, "no_grant_line")
    asked = grant(call, plan)
    params = {"grant": asked, "min": call.min_grant, "max": call.max_grant, "currency": call.currency}
    if call.min_grant is not None and asked < call.min_grant:
        return Check(rule, FAIL, "grant_below_min", params)
    if call.max_grant is not None and asked > call.max_grant:
        return Check(rule, FAIL, "grant_over_max", params)
    return Check(rule, PASS, "grant_ok", params)


def check_partners(call: CallRules, plan: Plan) -> Check | None:
    """At least the call's minimum number of partners."""
    if not call.min_partners:
        return None
    params = {"min": call.min_partners, "count": plan.partners}
    status = PASS if plan.partners >= call.min_partners else FAIL
    return Check("partners", status, "partners_ok" if status == PASS else "partners_too_few", params)


def check_countries_count(call: CallRules, plan: Plan) -> Check | None:
    """Partners from at least the call's minimum number of countries."""
    if not call.min_countries:
        return None
    count = len(plan.countries)
    params = {"min": call.min_countries, "count": count}
    status = PASS if count >= call.min_countries else FAIL
    return Check("countries_count", status, "countries_ok" if status == PASS else "countries_too_few", params)


def check_applicant_types(call: CallRules, plan: Plan) -> Check | None:
    """Every applicant is of an eligible type; a private person never is."""
    rule = "applicant_types"
    private = sorted(t for t in set(plan.applicant_types) if t in PRIVATE_PERSON_TYPES)
    if private:
        return Check(rule, FAIL, "private_person")
    if not call.applicant_types:
        return None
    if not plan.applicant_types:
        return Check(rule, UNKNOWN, "no_applicants")
    refused = tuple(sorted({t for t in plan.applicant_types if t not in call.applicant_types}))
    if refused:
        return Check(rule, FAIL, "type_not_eligible", {"types": refused})
    return Check(rule, PASS, "types_ok", {"types": tuple(sorted(set(plan.applicant_types)))})


def check_eligible_countries(call: CallRules, plan: Plan) -> Check | None:
    """Every partner's country is among the call's eligible countries (none listed: any country)."""
    if not call.countries:
        return None
    refused = tuple(sorted(plan.countries - call.countries))
    if refused:
        return Check("eligible_countries", FAIL, "country_not_eligible", {"countries": refused})
    return Check("eligible_countries", PASS, "countries_eligible", {"countries": tuple(sorted(plan.countries))})


def check_voluntary_work(call: CallRules, plan: Plan) -> Check | None:
    """Voluntary work in the plan counts as co-financing only when the call says so, at its hourly value."""
    hours = voluntary_hours(plan)
    if not any(line.source == VOLUNTARY for line in plan.lines):
        return None
    rule = "voluntary_work"
    if not call.voluntary_work_counts:
        return Check(rule, FAIL, "voluntary_not_counted", {"hours": hours})
    if call.voluntary_hourly_value is None:
        return Check(rule, UNKNOWN, "voluntary_no_rate", {"hours": hours})
    if (unknown := _unknown_currency(rule, call, plan)) is not None:
        return unknown
    return Check(rule, PASS, "voluntary_counted", {"hours": hours, "rate": call.voluntary_hourly_value,
                                                     "value": counted_voluntary_value(call, plan),
                                                     "currency": call.currency})


RULES = (check_aid_intensity, check_grant, check_partners, check_countries_count, check_applicant_types,
         check_eligible_countries, check_voluntary_work)


def check_all(call: CallRules, plan: Plan) -> list[Check]:
    """Every rule the call sets, in a fixed order (rules the call does not set are left out)."""
    return [check for rule in RULES if (check := rule(call, plan)) is not None]


def summary(checks: list[Check]) -> str:
    """The whole check in one word: fail when any rule fails, else unknown when any is unknown, else pass."""
    statuses = {c.status for c in checks}
    return FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS


# --- the fit of a project and a call -----------------------------------------------------------------

THEME_POINTS, TYPES_POINTS, COUNTRIES_POINTS, SOON_POINTS = 3, 2, 2, 1
SOON = dt.timedelta(days=14)


@dataclass(frozen=True)
class Reason:
    kind: str
    points: int
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Fit:
    score: int
    reasons: tuple[Reason, ...]
    closes_at: dt.datetime | None


def fit(call: CallRules, plan: Plan, now: dt.datetime) -> Fit | None:
    """How well a project fits a call, with the reasons (the matching engine's way: every point is a
    reason the reader sees). None for a closed call, or one whose rules exclude the project outright
    (no shared theme when the call names themes, an ineligible country or applicant type)."""
    if call.closes_at is not None and now >= call.closes_at:
        return None
    reasons = []
    if call.themes:
        shared = call.themes & plan.themes
        if not shared:
            return None
        reasons.append(Reason("themes", THEME_POINTS * len(shared), {"themes": tuple(sorted(shared))}))
    if call.applicant_types and plan.applicant_types:
        eligible = tuple(sorted({t for t in plan.applicant_types if t in call.applicant_types}))
        if not eligible:
            return None
        reasons.append(Reason("types", TYPES_POINTS, {"types": eligible}))
    if call.countries:
        present = tuple(sorted(plan.countries & call.countries))
        if not present:
            return None
        reasons.append(Reason("countries", COUNTRIES_POINTS, {"countries": present}))
    if call.closes_at is not None:
        left = call.closes_at - now
        opens_later = call.opens_at is not None and now < call.opens_at
        if opens_later:
            reasons.append(Reason("opens_later", 0, {"opens_at": call.opens_at}))
        # More time to write the application is better: a call closing within two weeks loses its point.
        reasons.append(Reason("time_left", 0 if left < SOON else SOON_POINTS, {"days": left.days}))
    return Fit(sum(r.points for r in reasons), tuple(reasons), call.closes_at)


def rank(fits: list[tuple[object, Fit]], limit: int = 20) -> list[tuple[object, Fit]]:
    """Best first: score, then the deadline (soonest first), then the order given, so it is stable."""
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    indexed = list(enumerate(fits))
    indexed.sort(key=lambda p: (-p[1][1].score, p[1][1].closes_at or far, p[0]))
    return [pair for _i, pair in indexed][:limit]
