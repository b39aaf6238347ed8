"""The scoring functions, table-driven: each part of the score, the hard rules, ranking, and the reasons
in the reader's language. Pure functions: no database."""
from __future__ import annotations

import datetime as dt

import pytest

from exchange.partners import matching
from exchange.partners.matching import Candidate, Need, ProjectProfile, Reason

TODAY = dt.date(2025, 6, 1)
FRESH = dt.date(2025, 1, 1)
STALE = dt.date(2023, 1, 1)
HIDDENHAUSEN, PERANO, KUNGALV = 1, 2, 3
TOURISM, CULTURE, WATER, CLIMATE = 10, 11, 12, 13
ALL_TYPES = frozenset({"municipal_department", "municipal_company", "association", "business",
                       "public_authority", "education", "other_public"})


def candidate(**overrides) -> Candidate:
    values = dict(id=1, municipality_id=PERANO, country="IT", type="association", offers=frozenset({TOURISM}),
                  seeks=frozenset(), languages=frozenset({"it"}), last_confirmed_on=FRESH, active=True)
    values.update(overrides)
    return Candidate(**values)


def project(needs=None, **overrides) -> ProjectProfile:
    values = dict(id=7, lead_municipality_id=HIDDENHAUSEN, lead_locale="de", themes=frozenset({TOURISM, CULTURE}),
                  participating=frozenset({HIDDENHAUSEN}),
                  needs=tuple(needs) if needs is not None else (Need(1, frozenset({TOURISM, WATER}), ALL_TYPES),),
                  leader=False)
    values.update(overrides)
    return ProjectProfile(**values)


def points(suggestion, kind):
    return next((r.points for r in suggestion.reasons if r.kind == kind), None)


# --- each part of the score ------------------------------------------------------------------------

@pytest.mark.parametrize("offers, expected", [
    ({TOURISM}, 10),
    ({TOURISM, WATER}, 20),
    ({TOURISM, WATER, CLIMATE}, 20),      # a theme nobody asked for adds nothing
])
def test_offered_needed_themes_count_ten_each(offers, expected):
    assert points(matching.score(candidate(offers=frozenset(offers)), project(), TODAY), "offers") == expected


@pytest.mark.parametrize("seeks, expected", [
    (set(), None),
    ({CULTURE}, 1),
    ({CULTURE, TOURISM}, 2),
    ({WATER}, None),                      # the project does not work on water: nothing to learn there
])
def test_sought_themes_the_project_works_on(seeks, expected):
    assert points(matching.score(candidate(seeks=frozenset(seeks)), project(), TODAY), "seeks") == expected


def test_sought_themes_are_capped():
    many = project(themes=frozenset({TOURISM, CULTURE, WATER, CLIMATE}))
    result = matching.score(candidate(seeks=frozenset({TOURISM, CULTURE, WATER, CLIMATE})), many, TODAY)
    assert points(result, "seeks") == matching.SEEK_POINTS * matching.SEEK_MAX_THEMES


@pytest.mark.parametrize("languages, kind, expected", [
    ({"de"}, "language", 3),
    ({"it", "de"}, "language", 3),
    ({"it"}, "no_language", 0),
    (set(), "no_language", 0),
])
def test_a_working_language_shared_with_the_lead(languages, kind, expected):
    assert points(matching.score(candidate(languages=frozenset(languages)), project(), TODAY), kind) == expected


@pytest.mark.parametrize("municipality, participating, kind", [
    (PERANO, {HIDDENHAUSEN}, "new_municipality"),
    (PERANO, {HIDDENHAUSEN, PERANO}, "participating"),
    (HIDDENHAUSEN, {HIDDENHAUSEN}, "participating"),
])
def test_from_a_municipality_not_yet_in_the_project(municipality, participating, kind):
    result = matching.score(candidate(municipality_id=municipality), project(participating=frozenset(participating)),
                            TODAY)
    assert points(result, kind) == (2 if kind == "new_municipality" else 0)


@pytest.mark.parametrize("confirmed, kind, expected", [
    (TODAY, "fresh", 2),
    (TODAY - dt.timedelta(days=365), "fresh", 2),
    (TODAY - dt.timedelta(days=366), "stale", 0),
    (STALE, "stale", 0),
])
def test_profile_freshness(confirmed, kind, expected):
    assert points(matching.score(candidate(last_confirmed_on=confirmed), project(), TODAY), kind) == expected


def test_the_total_is_the_sum_of_the_reasons():
    result = matching.score(candidate(offers=frozenset({TOURISM, WATER}), seeks=frozenset({CULTURE}),
                                      languages=frozenset({"de", "it"})), project(), TODAY)
    assert result.score == 20 + 1 + 3 + 2 + 2 == sum(r.points for r in result.reasons)


def test_one_offered_theme_outweighs_everything_else():
    best_of_the_rest = candidate(offers=frozenset({TOURISM}), seeks=frozenset({TOURISM, CULTURE}),
                                 languages=frozenset({"de"}), last_confirmed_on=TODAY)
    bare_two_themes = candidate(id=2, offers=frozenset({TOURISM, WATER}), languages=frozenset({"sv"}),
                                municipality_id=HIDDENHAUSEN, last_confirmed_on=STALE)
    assert matching.score(bare_two_themes, project(), TODAY).score > matching.score(best_of_the_rest, project(),
                                                                                    TODAY).score


# --- the hard rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, need, leader, fits", [
    ({}, Need(1, frozenset({TOURISM}), ALL_TYPES), False, True),
    ({"active": False}, Need(1, frozenset({TOURISM}), ALL_TYPES), False, False),
    ({"type": "business"}, Need(1, frozenset({TOURISM}), frozenset({"association"})), False, False),
    ({"type": "individual"}, Need(1, frozenset({TOURISM}), ALL_TYPES | {"individual"}), False, False),
    ({"type": "individual"}, Need(1, frozenset({TOURISM}), ALL_TYPES | {"individual"}), True, False),
    ({"type": "association"}, Need(1, frozenset({TOURISM}), ALL_TYPES), True, True),
    ({"type": "municipal_company"}, Need(1, frozenset({TOURISM}), ALL_TYPES), True, True),
    ({}, Need(1, frozenset({TOURISM}), ALL_TYPES, origin="municipality", origin_municipality_id=PERANO), False, True),
    ({}, Need(1, frozenset({TOURISM}), ALL_TYPES, origin="municipality", origin_municipality_id=KUNGALV), False, False),
    ({}, Need(1, frozenset({TOURISM}), ALL_TYPES, origin="country", origin_country="IT"), False, True),
    ({}, Need(1, frozenset({TOURISM}), ALL_TYPES, origin="country", origin_country="SE"), False, False),
    ({"offers": frozenset({CLIMATE})}, Need(1, frozenset({TOURISM}), ALL_TYPES), False, False),
])
def test_hard_rules(overrides, need, leader, fits):
    result = matching.score(candidate(**overrides), project([need], leader=leader), TODAY)
    assert (result is not None) is fits


@pytest.mark.parametrize("org_type, leader, eligible", [
    ("association", True, True), ("business", True, True), ("municipal_department", True, True),
    ("education", True, True), ("individual", True, False), ("individual", False, False),
    ("private_person", True, False), ("", False, False),
])
def test_eligibility(org_type, leader, eligible):
    assert matching.is_eligible(org_type, leader) is eligible


def test_the_best_need_wins_and_gives_the_role():
    needs = [Need(1, frozenset({CULTURE}), ALL_TYPES, role="expert"),
             Need(2, frozenset({TOURISM, WATER}), ALL_TYPES, role="host")]
    result = matching.score(candidate(offers=frozenset({TOURISM, WATER, CULTURE})), project(needs), TODAY)
    assert (result.need_id, result.role, points(result, "offers")) == (2, "host", 20)


def test_a_need_whose_type_does_not_fit_is_skipped_for_another():
    needs = [Need(1, frozenset({TOURISM, WATER}), frozenset({"business"}), role="co_applicant"),
             Need(2, frozenset({TOURISM}), frozenset({"association"}), role="associate")]
    result = matching.score(candidate(offers=frozenset({TOURISM, WATER})), project(needs), TODAY)
    assert (result.need_id, points(result, "offers")) == (2, 10)


def test_without_needs_the_projects_themes_are_the_need():
    result = matching.score(candidate(offers=frozenset({CULTURE})), project(needs=()), TODAY)
    assert result.need_id is None and points(result, "offers") == 10


def test_already_linked_organisations_are_not_suggested():
    assert matching.score(candidate(), project(linked=frozenset({1})), TODAY) is None


def test_the_bound_is_never_below_the_score():
    best = candidate(offers=frozenset({TOURISM, WATER}), seeks=frozenset({TOURISM, CULTURE}),
                     languages=frozenset({"de"}), last_confirmed_on=TODAY)
    result = matching.score(best, project(), TODAY)
    assert result.score == matching.upper_bound(2)


def test_ranking_is_by_score_then_name_then_id():
    suggestions = [matching.Suggestion(i, 7, None, "associate", s, ()) for i, s in [(1, 10), (2, 30), (3, 30), (4, 20)]]
    ranked = matching.rank(suggestions, {2: "zeta", 3: "alpha"}, limit=3)
    assert [s.organisation_id for s in ranked] == [3, 2, 4]


# --- reasons in the reader's language -----------------------------------------------------------------

NAMES = {TOURISM: {"de": "Tourismus", "it": "Turismo", "sv": "Turism"},
         WATER: {"de": "Wasser und Umwelt", "it": "Acqua e ambiente", "sv": "Vatten och miljö"}}


def describe_all(app, lang, reasons):
    from flask_babel import force_locale
    from exchange.i18n.formatting import date, language_name
    from exchange.partners.models import OrganisationType
    with app.test_request_context("/"), force_locale(lang):
        return [matching.describe(r, lambda t: NAMES[t][lang], lambda m: {PERANO: "Perano"}[m], language_name,
                                  lambda t: OrganisationType(t).label, date) for r in reasons]


REASONS = [Reason("offers", 20, {"themes": (TOURISM, WATER)}), Reason("language", 3, {"languages": ("de", "it")}),
           Reason("new_municipality", 2, {"municipality_id": PERANO}),
           Reason("type", 0, {"type": "association", "leader": True}),
           Reason("fresh", 2, {"date": dt.date(2025, 3, 4)})]


@pytest.mark.parametrize("lang, expected", [
    ("de", ["Tourismus", "Wasser und Umwelt", "Deutsch", "Italienisch", "Perano", "2025"]),
    ("it", ["Turismo", "Acqua e ambiente", "tedesco", "italiano", "Perano", "2025"]),
    ("sv", ["Turism", "Vatten och miljö", "tyska", "italienska", "Perano", "2025"]),
])
def test_reasons_name_themes_languages_and_places_in_the_readers_language(app, lang, expected):
    text = " ".join(describe_all(app, lang, REASONS))
    for word in expected:
        assert word in text, (word, text)


@pytest.mark.parametrize("lang, english", [("de", "offers: "), ("it", "offers: "), ("sv", "offers: ")])
def test_reasons_are_translated_sentences(app, lang, english):
    """The sentence itself follows the interface language, not only the names in it."""
    text = describe_all(app, lang, REASONS)[0]
    assert not text.startswith(english), text
    assert "%(" not in text


def test_every_reason_kind_has_a_sentence(app):
    kinds = [Reason("seeks", 2, {"themes": (TOURISM,)}), Reason("no_language", 0, {"languages": ("it",),
                                                                                  "lead_language": "de"}),
             Reason("participating", 0, {"municipality_id": PERANO}), Reason("stale", 0, {"date": STALE}),
             Reason("type", 0, {"type": "business", "leader": False})]
    assert all(describe_all(app, "sv", kinds))
    with pytest.raises(ValueError):
        describe_all(app, "sv", [Reason("unknown", 0, {})])
