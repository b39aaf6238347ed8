"""Explainable partner matching: pure scoring functions over plain data (no database, no request).

A suggestion's score is the sum of transparent parts, each of which becomes a *reason* the reader sees:

=================  =====================================================================  ============
part               rule                                                                    points
=================  =====================================================================  ============
offers             themes the organisation offers that the need asks for                  10 each
seeks              themes the organisation seeks that the project works on (offers)       1 each, ≤ 2
type / eligibility the type is acceptable for the need and, for LEADER projects, eligible  filter (0)
origin             the need's "where from" (any / a municipality / a country)              filter (0)
language           works in the lead municipality's language                               3
new municipality   from a municipality not yet taking part in the project                  2
freshness          profile confirmed within the last 12 months                            2
=================  =====================================================================  ============

Offering a needed theme dominates on purpose: everything else together (``MAX_BONUS``, 9) is worth less
than one offered theme (10), so the ranking is "most needed themes first, then the rest". That also lets
the caller narrow candidates in SQL to the top tier of offered themes and still find the exact top 20 of
its window of candidates (see ``queries.suggestions_for_project``).

``describe()`` turns a reason into a sentence in the current interface language; it is the only function
here that needs a request (for gettext), and it takes every name it shows as data.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from exchange.partners.models import LEADER_ELIGIBLE_TYPES, STALE_AFTER, Origin, OrganisationType, PartnerRole

OFFER_POINTS = 10
SEEK_POINTS = 1
SEEK_MAX_THEMES = 2
LANGUAGE_POINTS = 3
NEW_MUNICIPALITY_POINTS = 2
FRESH_POINTS = 2
# The most an organisation can gain from everything except offered themes.
MAX_BONUS = SEEK_POINTS * SEEK_MAX_THEMES + LANGUAGE_POINTS + NEW_MUNICIPALITY_POINTS + FRESH_POINTS
assert MAX_BONUS < OFFER_POINTS, "one offered theme must outweigh everything else (queries rely on it)"


# --- the data the functions work on ----------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """What matching needs to know about an organisation."""

    id: int
    municipality_id: int
    country: str
    type: str
    offers: frozenset[int]
    seeks: frozenset[int]
    languages: frozenset[str]
    last_confirmed_on: dt.date
    active: bool = True
    sort_name: str = ""
    funder: bool = False  # funds projects: never a co-applicant


@dataclass(frozen=True)
class Need:
    """What a project asks for in one kind of partner. ``id`` None: the implicit need of a project that
    lists no needs (its own themes, any type, from anywhere, as an associate)."""

    id: int | None
    themes: frozenset[int]
    types: frozenset[str]
    role: str = PartnerRole.ASSOCIATE.value
    origin: str = Origin.ANY.value
    origin_municipality_id: int | None = None
    origin_country: str | None = None


@dataclass(frozen=True)
class ProjectProfile:
    """What matching needs to know about a project."""

    id: int
    lead_municipality_id: int
    lead_locale: str
    themes: frozenset[int]
    participating: frozenset[int]      # the lead and accepted participant municipalities
    needs: tuple[Need, ...]
    leader: bool = False               # funded through LEADER (EAFRD): the eligibility rule applies
    linked: frozenset[int] = frozenset()  # organisations already partners, invited or interested


@dataclass(frozen=True)
class Reason:
    """One part of a score: ``kind`` names the rule, ``points`` what it added, ``data`` what to show."""

    kind: str
    points: int
    data: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    organisation_id: int
    project_id: int
    need_id: int | None
    role: str
    score: int
    reasons: tuple[Reason, ...]


# --- the parts ----------------------------------------------------------------------------------

def is_eligible(org_type: str, leader: bool) -> bool:
    """May an organisation of this type be a partner at all, and under LEADER in particular?

    Unknown types (a private person, anything not registrable) are never eligible; under LEADER only the
    types in LEADER_ELIGIBLE_TYPES (legal persons: companies, associations, organisations, public bodies).
    """
    try:
        kind = OrganisationType(org_type)
    except ValueError:
        return False
    return kind in LEADER_ELIGIBLE_TYPES if leader else True


def fits_origin(candidate: Candidate, need: Need) -> bool:
    origin = need.origin
    if origin == Origin.MUNICIPALITY.value:
        return candidate.municipality_id == need.origin_municipality_id
    if origin == Origin.COUNTRY.value:
        return candidate.country == need.origin_country
    return True


def fits_role(candidate: Candidate, role: str) -> bool:
    """An organisation that funds projects (a local action group) is never a co-applicant: it would be
    funding itself."""
    return not (candidate.funder and role == PartnerRole.CO_APPLICANT.value)


def fits_need(candidate: Candidate, need: Need, leader: bool) -> bool:
    """The hard rules: active, the type acceptable for the need and eligible for the instrument, from
    where the need says, and able to take the need's role."""
    return (candidate.active and candidate.type in need.types and is_eligible(candidate.type, leader)
            and fits_origin(candidate, need) and fits_role(candidate, need.role))


def offered_needed(candidate: Candidate, need: Need) -> frozenset[int]:
    return candidate.offers & need.themes


def sought_offered(candidate: Candidate, project: ProjectProfile) -> frozenset[int]:
    return candidate.seeks & project.themes


def is_fresh(candidate: Candidate, today: dt.date) -> bool:
    return candidate.last_confirmed_on >= today - STALE_AFTER


def effective_needs(project: ProjectProfile) -> tuple[Need, ...]:
    """The project's needs, or the implicit one (its own themes, any type) when it lists none."""
    if project.needs:
        return project.needs
    return (Need(None, project.themes, frozenset(t.value for t in OrganisationType)),)


def score(candidate: Candidate, project: ProjectProfile, today: dt.date) -> Suggestion | None:
    """The best suggestion of ``candidate`` for ``project`` (over its needs), or None when it fits no need
    or offers nothing the project needs. Pure: the same inputs always give the same result."""
    if candidate.id in project.linked:
        return None
    best: tuple[int, Need, frozenset[int]] | None = None
    for need in effective_needs(project):
        if not fits_need(candidate, need, project.leader):
            continue
        offered = offered_needed(candidate, need)
        if not offered:
            continue
        # Ties between needs go to the one listed first (the project's own order).
        if best is None or len(offered) > len(best[2]):
            best = (len(offered) * OFFER_POINTS, need, offered)
    if best is None:
        return None
    offer_points, need, offered = best
    reasons = [Reason("offers", offer_points, {"themes": tuple(sorted(offered))})]
    sought = sought_offered(candidate, project)
    if sought:
        reasons.append(Reason("seeks", SEEK_POINTS * min(len(sought), SEEK_MAX_THEMES),
                              {"themes": tuple(sorted(sought))}))
    reasons.append(Reason("type", 0, {"type": candidate.type, "leader": project.leader}))
    if project.lead_locale in candidate.languages:
        reasons.append(Reason("language", LANGUAGE_POINTS,
                              {"languages": _lead_first(candidate.languages, project.lead_locale)}))
    else:
        reasons.append(Reason("no_language", 0, {"languages": tuple(sorted(candidate.languages)),
                                                  "lead_language": project.lead_locale}))
    if candidate.municipality_id not in project.participating:
        reasons.append(Reason("new_municipality", NEW_MUNICIPALITY_POINTS,
                              {"municipality_id": candidate.municipality_id}))
    else:
        reasons.append(Reason("participating", 0, {"municipality_id": candidate.municipality_id}))
    if is_fresh(candidate, today):
        reasons.append(Reason("fresh", FRESH_POINTS, {"date": candidate.last_confirmed_on}))
    else:
        reasons.append(Reason("stale", 0, {"date": candidate.last_confirmed_on}))
    total = sum(r.points for r in reasons)
    return Suggestion(candidate.id, project.id, need.id, need.role, total, tuple(reasons))


def _lead_first(languages: Iterable[str], lead: str) -> tuple[str, ...]:
    return tuple(sorted(languages, key=lambda code: (code != lead, code)))


def upper_bound(offered_count: int) -> int:
    """The highest score an organisation offering ``offered_count`` needed themes could reach."""
    return offered_count * OFFER_POINTS + MAX_BONUS


def rank(suggestions: Iterable[Suggestion], sort_names: Mapping[int, str], limit: int = 20) -> list[Suggestion]:
    """Best first: score, then name (``sort_names``: id → sort key), then id, so the order is stable."""
    ordered = sorted(suggestions, key=lambda s: (-s.score, sort_names.get(s.organisation_id, ""),
                                                 s.organisation_id))
    return ordered[:limit]


def rank_projects(suggestions: Iterable[Suggestion], limit: int = 20) -> list[Suggestion]:
    """Projects for one organisation, best first (newest project first on equal scores)."""
    return sorted(suggestions, key=lambda s: (-s.score, -s.project_id))[:limit]


# --- explanations in the reader's language ------------------------------------------------------

def describe(reason: Reason, theme_name: Callable[[int], str], municipality_name: Callable[[int], str],
             language_name: Callable[[str], str], type_label: Callable[[str], str],
             format_date: Callable[[dt.date], str]) -> str:
    """One reason as a sentence in the current interface language. Names (themes, municipalities,
    languages, types, dates) are passed in already localised for the reader."""
    from flask_babel import gettext as _

    data = reason.data

    def join(items: Iterable[str]) -> str:
        from babel.lists import format_list
        from flask_babel import get_locale
        items = list(items)
        return format_list(items, locale=get_locale()) if items else ""

    if reason.kind == "offers":
        return _("offers: %(themes)s", themes=join(theme_name(t) for t in data["themes"]))
    if reason.kind == "seeks":
        return _("wants to learn about: %(themes)s", themes=join(theme_name(t) for t in data["themes"]))
    if reason.kind == "type":
        if data.get("leader"):
            return _("%(type)s: eligible for LEADER support", type=type_label(data["type"]))
        return _("%(type)s: a type the project accepts", type=type_label(data["type"]))
    if reason.kind == "language":
        return _("works in %(languages)s", languages=join(language_name(c) for c in data["languages"]))
    if reason.kind == "no_language":
        return _("does not work in %(lead_language)s (works in %(languages)s)",
                 lead_language=language_name(data["lead_language"]),
                 languages=join(language_name(c) for c in data["languages"]) or "–")
    if reason.kind == "new_municipality":
        return _("from %(municipality)s, not yet in the project",
                 municipality=municipality_name(data["municipality_id"]))
    if reason.kind == "participating":
        return _("from %(municipality)s, already in the project",
                 municipality=municipality_name(data["municipality_id"]))
    if reason.kind == "fresh":
        return _("profile confirmed on %(date)s", date=format_date(data["date"]))
    if reason.kind == "stale":
        return _("profile not confirmed since %(date)s", date=format_date(data["date"]))
    raise ValueError(f"unknown reason {reason.kind!r}")
