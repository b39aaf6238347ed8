"""The rules check and the fit, table-driven: boundaries, currencies, missing data."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from exchange.calls.rules import (FAIL, PASS, UNKNOWN, CallRules, Plan, PlanLine, check_aid_intensity, check_all,
                                  check_applicant_types, check_countries_count, check_eligible_countries,
                                  check_grant, check_partners, check_voluntary_work, fit, rank, summary)

LEADER = frozenset({"eu_leader"})


def call(**kw) -> CallRules:
    kw.setdefault("currency", "SEK")
    kw.setdefault("grant_sources", LEADER)
    return CallRules(**kw)


def plan(*lines, **kw) -> Plan:
    return Plan(lines=tuple(lines), **kw)


def line(source, amount, currency="SEK", hours=None) -> PlanLine:
    return PlanLine(source, D(amount), currency, D(hours) if hours is not None else None)


@pytest.mark.parametrize(("grant", "other", "max_", "status", "code", "share"), [
    ("60", "40", "60", PASS, "aid_intensity_ok", D("60.0")),          # exactly the maximum
    ("6001", "3999", "60", FAIL, "aid_intensity_over", D("60.0")),    # 60.01 %: over, though it rounds to 60.0
    ("68", "32", "60", FAIL, "aid_intensity_over", D("68.0")),
    ("0", "100", "60", PASS, "aid_intensity_ok", D("0.0")),
    ("100", "0", "100", PASS, "aid_intensity_ok", D("100.0")),
])
def test_aid_intensity(grant, other, max_, status, code, share):
    result = check_aid_intensity(call(max_aid_intensity=D(max_)),
                                 plan(line("eu_leader", grant), line("municipal", other)))
    assert (result.status, result.code, result.params["share"]) == (status, code, share)


def test_aid_intensity_counts_voluntary_work_at_the_calls_rate_only_when_it_counts():
    # 60 000 grant; 20 000 municipal; 200 h of voluntary work the plan values at 300/h (60 000).
    lines = (line("eu_leader", "60000"), line("municipal", "20000"), line("voluntary_work", "60000", hours="200"))
    counted = call(max_aid_intensity=D("60"), voluntary_work_counts=True, voluntary_hourly_value=D("250"))
    # 200 h × 250 = 50 000 → total 130 000, grant 46.2 %
    assert check_aid_intensity(counted, plan(*lines)).params["share"] == D("46.2")
    not_counted = call(max_aid_intensity=D("60"))
    # voluntary work left out → total 80 000, grant 75 %
    result = check_aid_intensity(not_counted, plan(*lines))
    assert (result.status, result.params["share"]) == (FAIL, D("75.0"))


@pytest.mark.parametrize(("lines", "status", "code"), [
    ((line("eu_leader", "100", "EUR"), line("municipal", "100")), UNKNOWN, "other_currency"),
    ((), UNKNOWN, "no_costs"),
    ((line("eu_leader", "0"),), UNKNOWN, "no_costs"),
])
def test_aid_intensity_unknown(lines, status, code):
    result = check_aid_intensity(call(max_aid_intensity=D("60")), plan(*lines))
    assert (result.status, result.code) == (status, code)


def test_other_currency_names_the_currencies():
    result = check_aid_intensity(call(currency="EUR", max_aid_intensity=D("80")),
                                 plan(line("eu_cerv", "100", "SEK"), line("municipal", "5", "EUR")))
    assert result.params == {"currencies": ("SEK",), "currency": "EUR"}


@pytest.mark.parametrize(("asked", "min_", "max_", "status", "code"), [
    ("10000", "10000", "50000", PASS, "grant_ok"),      # the minimum itself
    ("9999.99", "10000", "50000", FAIL, "grant_below_min"),
    ("50000", "10000", "50000", PASS, "grant_ok"),      # the maximum itself
    ("50000.01", "10000", "50000", FAIL, "grant_over_max"),
    ("1", None, "50000", PASS, "grant_ok"),
    ("999999", "10000", None, PASS, "grant_ok"),
])
def test_grant(asked, min_, max_, status, code):
    result = check_grant(call(min_grant=D(min_) if min_ else None, max_grant=D(max_) if max_ else None),
                         plan(line("eu_leader", asked), line("eu_erasmus", "1000000")))
    assert (result.status, result.code) == (status, code)


def test_grant_unknown_without_a_line_of_the_programme_or_in_another_currency():
    rules = call(min_grant=D("1"))
    assert check_grant(rules, plan(line("municipal", "5"))).code == "no_grant_line"
    assert check_grant(rules, plan(line("eu_leader", "5", "EUR"))).code == "other_currency"
    assert check_grant(call(), plan(line("eu_leader", "5"))) is None  # the call sets no limits


@pytest.mark.parametrize(("minimum", "count", "status"), [(3, 3, PASS), (3, 2, FAIL), (3, 4, PASS), (None, 0, None)])
def test_partners(minimum, count, status):
    result = check_partners(call(min_partners=minimum), plan(partners=count))
    assert (result.status if result else None) == status


@pytest.mark.parametrize(("minimum", "countries", "status"), [
    (2, {"SE", "DE", "IT"}, PASS), (2, {"SE", "DE"}, PASS), (2, {"SE"}, FAIL), (3, set(), FAIL)])
def test_countries_count(minimum, countries, status):
    result = check_countries_count(call(min_countries=minimum), plan(countries=frozenset(countries)))
    assert result.status == status
    assert result.params == {"min": minimum, "count": len(countries)}


@pytest.mark.parametrize(("eligible", "types", "status", "code"), [
    ({"municipality", "association"}, ("municipality", "association"), PASS, "types_ok"),
    ({"municipality"}, ("municipality", "business"), FAIL, "type_not_eligible"),
    ({"municipality"}, ("municipality", "individual"), FAIL, "private_person"),
    (set(), ("private_person",), FAIL, "private_person"),       # even when the call lists no types
    ({"municipality"}, (), UNKNOWN, "no_applicants"),
])
def test_applicant_types(eligible, types, status, code):
    result = check_applicant_types(call(applicant_types=frozenset(eligible)), plan(applicant_types=types))
    assert (result.status, result.code) == (status, code)


def test_applicant_types_names_the_refused_ones():
    result = check_applicant_types(call(applicant_types=frozenset({"municipality"})),
                                   plan(applicant_types=("business", "municipality", "education")))
    assert result.params == {"types": ("business", "education")}


@pytest.mark.parametrize(("eligible", "present", "status", "refused"), [
    ({"SE", "DE", "IT"}, {"SE", "IT"}, PASS, None),
    ({"SE"}, {"SE", "DE"}, FAIL, ("DE",)),
    (set(), {"XX"}, None, None),   # no list: any country
])
def test_eligible_countries(eligible, present, status, refused):
    result = check_eligible_countries(call(countries=frozenset(eligible)), plan(countries=frozenset(present)))
    assert (result.status if result else None) == status
    if refused:
        assert result.params["countries"] == refused


@pytest.mark.parametrize(("counts", "rate", "currency", "status", "code", "value"), [
    (True, "250", "SEK", PASS, "voluntary_counted", D("50000.00")),
    (False, None, "SEK", FAIL, "voluntary_not_counted", None),
    (True, None, "SEK", UNKNOWN, "voluntary_no_rate", None),
    (True, "250", "EUR", UNKNOWN, "other_currency", None),
])
def test_voluntary_work(counts, rate, currency, status, code, value):
    rules = call(voluntary_work_counts=counts, voluntary_hourly_value=D(rate) if rate else None)
    result = check_voluntary_work(rules, plan(line("voluntary_work", "60000", currency, hours="200")))
    assert (result.status, result.code) == (status, code)
    if value is not None:
        assert result.params["value"] == value and result.params["hours"] == D("200")


def test_no_voluntary_work_no_rule():
    assert check_voluntary_work(call(voluntary_work_counts=True), plan(line("municipal", "1"))) is None


def test_check_all_keeps_the_order_and_leaves_out_unset_rules():
    rules = call(max_aid_intensity=D("60"), min_partners=2, countries=frozenset({"SE", "DE"}))
    checks = check_all(rules, plan(line("eu_leader", "50"), line("municipal", "50"), partners=1,
                                   countries=frozenset({"SE"})))
    assert [c.rule for c in checks] == ["aid_intensity", "partners", "eligible_countries"]
    assert [c.status for c in checks] == [PASS, FAIL, PASS]
    assert summary(checks) == FAIL
    assert summary([checks[0]]) == PASS
    assert summary([checks[0], check_aid_intensity(rules, plan())]) == UNKNOWN


NOW = dt.datetime(2027, 3, 1, 12, tzinfo=dt.timezone.utc)


def test_fit_excludes_closed_calls_and_explains():
    closes = NOW + dt.timedelta(days=30)
    rules = call(themes=frozenset({1, 2, 3}), closes_at=closes, countries=frozenset({"SE", "DE"}),
                 applicant_types=frozenset({"municipality"}))
    project = plan(themes=frozenset({2, 3, 9}), countries=frozenset({"SE", "IT"}),
                   applicant_types=("municipality",))
    result = fit(rules, project, NOW)
    assert [r.kind for r in result.reasons] == ["themes", "types", "countries", "time_left"]
    assert result.reasons[0].data == {"themes": (2, 3)}
    assert result.reasons[-1].data == {"days": 30}
    assert result.score == 6 + 2 + 2 + 1
    assert fit(rules, project, closes) is None                         # closed at the deadline itself
    assert fit(rules, plan(themes=frozenset({9})), NOW) is None        # no shared theme
    assert fit(rules, plan(themes=frozenset({1}), countries=frozenset({"IT"})), NOW) is None


def test_rank_by_score_then_deadline():
    soon = fit(call(closes_at=NOW + dt.timedelta(days=20)), plan(), NOW)
    later = fit(call(closes_at=NOW + dt.timedelta(days=40)), plan(), NOW)
    urgent = fit(call(closes_at=NOW + dt.timedelta(days=3)), plan(), NOW)
    themed = fit(call(themes=frozenset({1}), closes_at=NOW + dt.timedelta(days=90)), plan(themes=frozenset({1})), NOW)
    ranked = rank([("later", later), ("urgent", urgent), ("soon", soon), ("themed", themed)])
    assert [name for name, _f in ranked] == ["themed", "soon", "later", "urgent"]
