"""Reads of the calls domain: the filtered catalog, one call, a project's links, the rules check of a
linked project, the fit of calls and projects, and the deadlines (dashboard, calendar, reminders).

Calls are visible to every municipality (the scope adds nothing for them); what hangs off a project
(its links to calls) is scoped through the project, so a draft of another town never shows up here.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from exchange.calls import rules
from exchange.calls.models import PROGRAMME_SOURCES, ApplicantType, CallTheme, FundingCall, ProjectCall, Programme
from exchange.db import generic_plan, utcnow
from exchange.extensions import db
from exchange.projects.models import CLOSED as CLOSED_PROJECT
from exchange.projects.models import (ParticipationStatus, Project, ProjectParticipation, ProjectStatus, ProjectTheme,
                                      title_texts)

OPEN, UPCOMING, CLOSED, CURRENT = "open", "upcoming", "closed", ""
# The projects a fit is computed for: the ones that can still apply for money.
APPLYING = (ProjectStatus.DRAFT.value, ProjectStatus.PROPOSED.value, ProjectStatus.ACTIVE.value)


@dataclass
class CallFilters:
    """The reader's choices on the list (already validated by the filter form)."""

    programme: str = ""
    theme_id: int | None = None
    state: str = CURRENT        # "" open or upcoming, "open" open now, "upcoming", "closed"
    closing_within: int | None = None  # days


def list_options():
    """What the list and the exports show, in a fixed number of queries whatever the page size."""
    return (selectinload(FundingCall.texts), selectinload(FundingCall.theme_links))


def filtered(filters: CallFilters, now: dt.datetime | None = None):
    """A select() of the calls matching the filters, the nearest deadline first (closed ones: the most
    recently closed first)."""
    now = now or utcnow()
    stmt = select(FundingCall).options(*list_options())
    if filters.programme:
        stmt = stmt.where(FundingCall.programme == filters.programme)
    if filters.theme_id:
        stmt = stmt.where(FundingCall.theme_links.any(CallTheme.theme_id == filters.theme_id))
    if filters.state == CLOSED:
        stmt = stmt.where(FundingCall.closes_at <= now)
    else:
        stmt = stmt.where(FundingCall.closes_at > now)
        if filters.state == OPEN:
            stmt = stmt.where(FundingCall.opens_at <= now)
        elif filters.state == UPCOMING:
            stmt = stmt.where(FundingCall.opens_at > now)
    if filters.closing_within:
        stmt = stmt.where(FundingCall.closes_at > now,
                          FundingCall.closes_at <= now + dt.timedelta(days=filters.closing_within))
    order = (FundingCall.closes_at.desc(),) if filters.state == CLOSED else (FundingCall.closes_at,)
    return stmt.order_by(*order, FundingCall.id)


def get_call(call_id: int) -> FundingCall | None:
    return db.session.scalar(select(FundingCall).where(FundingCall.id == call_id).options(
        selectinload(FundingCall.texts), selectinload(FundingCall.theme_links), selectinload(FundingCall.revisions)))


def links_of(project_id: int) -> list[ProjectCall]:
    """A project's links to calls, the nearest deadline first."""
    return list(db.session.scalars(
        select(ProjectCall).join(ProjectCall.call).where(ProjectCall.project_id == project_id)
        .options(selectinload(ProjectCall.call).selectinload(FundingCall.texts))
        .order_by(FundingCall.closes_at, ProjectCall.id)))


def link_of(project_id: int, call_id: int) -> ProjectCall | None:
    return db.session.scalar(select(ProjectCall).where(ProjectCall.project_id == project_id,
                                                       ProjectCall.call_id == call_id))


def linked_projects(call_id: int) -> list[Project]:
    """The projects linked to a call that the reader's municipality may see (with their titles)."""
    return list(db.session.scalars(
        select(Project).join(ProjectCall, ProjectCall.project_id == Project.id).where(ProjectCall.call_id == call_id)
        .options(selectinload(title_texts())).order_by(Project.id)))


def open_projects_led_by(municipality_id: int, limit: int | None = None, project_id: int | None = None):
    """The open projects (not completed, not withdrawn) ``municipality_id`` leads: the ``limit`` most
    recently updated with their titles (the choices of a form), or only ``project_id`` with its texts (the
    one a form posted). ``municipality_id`` is a business filter: visibility is the scope's."""
    stmt = (select(Project).where(Project.lead_municipality_id == municipality_id,
                                  Project.status.not_in([s.value for s in CLOSED_PROJECT]))
            .options(selectinload(title_texts() if project_id is None else Project.texts)))
    if project_id is not None:
        stmt = stmt.where(Project.id == project_id)
    return list(db.session.scalars(stmt.order_by(Project.updated_at.desc(), Project.id.desc()).limit(limit)))


# --- the rules check -----------------------------------------------------------------------------

def call_rules(call: FundingCall) -> rules.CallRules:
    """A call's rules as the pure functions take them."""
    return rules.CallRules(
        currency=call.currency, grant_sources=frozenset(PROGRAMME_SOURCES[Programme(call.programme)]),
        max_aid_intensity=call.max_aid_intensity, min_grant=call.min_grant, max_grant=call.max_grant,
        min_partners=call.min_partners, min_countries=call.min_countries,
        applicant_types=frozenset(call.applicant_types or ()), countries=frozenset(call.countries or ()),
        voluntary_work_counts=call.voluntary_work_counts, voluntary_hourly_value=call.voluntary_hourly_value,
        themes=frozenset(link.theme_id for link in call.theme_links),
        opens_at=call.opens_utc, closes_at=call.closes_utc)


def _partners_by_project(project_ids: list[int]) -> dict[int, list]:
    """The accepted partner organisations of these projects: (type, country) pairs, one query."""
    from exchange.municipalities.models import Municipality
    from exchange.partners.models import Organisation, Partnership
    found: dict[int, list] = defaultdict(list)
    if not project_ids:
        return found
    # The two columns only: the links' own texts and relationships are not needed to check the rules.
    # a generic plan (exchange.db.generic_plan): 0.6 ms where PostgreSQL's planning it anew took 1.6
    rows = db.session.execute(generic_plan(select(Partnership.project_id, Organisation.type, Municipality.country)
                                           .join(Partnership.organisation).join(Organisation.municipality)
                                           .where(Partnership.project_id.in_(project_ids),
                                                  Partnership.status == "accepted")))
    for project_id, kind, country in rows:
        found[project_id].append((kind, country))
    return found


def plan_of(project: Project, partners: list | None = None) -> rules.Plan:
    """What the rules look at in a project: its funding plan; the lead and participating municipalities
    (applicants of the type "municipality") and its accepted partner organisations, with their countries."""
    if partners is None:
        partners = _partners_by_project([project.id])[project.id]
    municipalities = [project.lead, *(p.municipality for p in project.participants)]
    lines = tuple(rules.PlanLine(line.source, line.amount, line.currency, line.hours)
                  for line in project.funding_lines)
    return rules.Plan(
        lines=lines, partners=len(municipalities) + len(partners),
        countries=frozenset([m.country for m in municipalities] + [country for _t, country in partners]),
        applicant_types=tuple([ApplicantType.MUNICIPALITY.value] * len(municipalities) + [t for t, _c in partners]),
        themes=frozenset(link.theme_id for link in project.theme_links))


def checks_for(project: Project, calls: list[FundingCall]) -> dict[int, list[rules.Check]]:
    """The rules check of a project against each of ``calls`` (by call id)."""
    plan = plan_of(project)
    return {call.id: rules.check_all(call_rules(call), plan) for call in calls}


# --- fit -------------------------------------------------------------------------------------------

def current_calls(now: dt.datetime, limit: int = 200) -> list[FundingCall]:
    """Calls not closed yet, the nearest deadline first."""
    return list(db.session.scalars(select(FundingCall).where(FundingCall.closes_at > now)
                                   .options(*list_options()).order_by(FundingCall.closes_at, FundingCall.id)
                                   .limit(limit)))


def calls_for_project(project: Project, now: dt.datetime | None = None, limit: int = 10):
    """Calls this project could apply to (closed ones excluded, linked ones too), ranked, with reasons:
    [(call, fit)]."""
    now = now or utcnow()
    linked = {link.call_id for link in links_of(project.id)}
    plan = plan_of(project)
    fits = [(call, found) for call in current_calls(now) if call.id not in linked
            and (found := rules.fit(call_rules(call), plan, now)) is not None]
    return rules.rank(fits, limit)


def _fit_plans(candidates: list[tuple[int, int, str]]) -> dict[int, rules.Plan]:
    """What ``rules.fit`` reads of these projects ((id, lead id, lead country) rows): its themes, who takes
    part (the lead, the accepted participant municipalities, the accepted partner organisations) and
    their countries. Plain rows in three statements, no ORM objects: a call's page weighs up to
    ``candidates`` projects and loading each with its texts, lines and participations grew with the
    network (issue 12). The child rows are read through Core for projects the caller read in scope.
    The funding lines are left out: the fit does not look at them (the rules check does, plan_of)."""
    from exchange.municipalities.models import Municipality
    ids = [row[0] for row in candidates]
    themes: dict[int, set[int]] = defaultdict(set)
    people: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if ids:
        links = ProjectTheme.__table__
        for project_id, theme_id in db.session.execute(select(links.c.project_id, links.c.theme_id)
                                                       .where(links.c.project_id.in_(ids))):
            themes[project_id].add(theme_id)
        parts, towns = ProjectParticipation.__table__, Municipality.__table__
        for project_id, country in db.session.execute(
                select(parts.c.project_id, towns.c.country).join(towns, towns.c.id == parts.c.municipality_id)
                .where(parts.c.project_id.in_(ids), parts.c.status == ParticipationStatus.ACCEPTED.value)
                .order_by(parts.c.id)):
            people[project_id].append((ApplicantType.MUNICIPALITY.value, country))
    partners = _partners_by_project(ids)
    plans = {}
    for project_id, _lead_id, lead_country in candidates:
        applicants = [(ApplicantType.MUNICIPALITY.value, lead_country), *people[project_id], *partners[project_id]]
        plans[project_id] = rules.Plan(
            partners=len(applicants), countries=frozenset(country for _t, country in applicants),
            applicant_types=tuple(kind for kind, _c in applicants), themes=frozenset(themes[project_id]))
    return plans


def projects_for_call(call: FundingCall, now: dt.datetime | None = None, limit: int = 10, candidates: int = 200):
    """Projects the reader's municipality sees that fit this call (none once it is closed), ranked:
    [(project, fit)]. Looks at the ``candidates`` most recently updated projects that can still apply
    (read in the order of an index, stopped at the bound), weighed from plain rows (``_fit_plans``); only
    the ranked ``limit`` are loaded as projects with their texts, to be shown."""
    from exchange.municipalities.models import Municipality
    now = now or utcnow()
    if call.is_closed(now):
        return []
    linked = set(db.session.scalars(select(ProjectCall.project_id).where(ProjectCall.call_id == call.id)))
    rows = db.session.execute(
        select(Project.id, Project.lead_municipality_id, Municipality.country)
        .join(Municipality, Municipality.id == Project.lead_municipality_id)
        .where(Project.status.in_(APPLYING))
        .order_by(Project.updated_at.desc(), Project.id.desc()).limit(candidates)).all()
    rows = [tuple(row) for row in rows if row.id not in linked]
    plans = _fit_plans(rows)
    call_rule = call_rules(call)
    fits = [(project_id, found) for project_id, _lead, _country in rows
            if (found := rules.fit(call_rule, plans[project_id], now)) is not None]
    ranked = rules.rank(fits, limit)
    ids = [project_id for project_id, _fit in ranked]
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(ids))
                                                     .options(selectinload(title_texts())))} if ids else {}
    return [(projects[project_id], found) for project_id, found in ranked if project_id in projects]


# --- deadlines -------------------------------------------------------------------------------------

def open_calls(now: dt.datetime | None = None, limit: int = 5) -> list[FundingCall]:
    """Calls open now, the nearest deadline first (the dashboard)."""
    now = now or utcnow()
    # One query (the texts joined, not selected apart): the dashboard has a budget of queries.
    return list(db.session.scalars(select(FundingCall).where(FundingCall.opens_at <= now, FundingCall.closes_at > now)
                                   .options(joinedload(FundingCall.texts))
                                   .order_by(FundingCall.closes_at, FundingCall.id).limit(limit)).unique())


def feed_calls(municipality, now: dt.datetime | None = None, limit: int = 500) -> list[FundingCall]:
    """The calls in a municipality's calendar feed: not closed more than a year ago, and open to its
    country (or to any country)."""
    now = now or utcnow()
    calls = db.session.scalars(select(FundingCall).where(FundingCall.closes_at > now - dt.timedelta(days=365))
                               .options(selectinload(FundingCall.texts))
                               .order_by(FundingCall.closes_at, FundingCall.id).limit(limit))
    return [c for c in calls if not c.countries or municipality.country in c.countries]


def links_closing_between(start: dt.datetime, end: dt.datetime) -> list[ProjectCall]:
    """Links of visible projects to calls whose deadline falls in [start, end) (the reminders)."""
    return list(db.session.scalars(
        select(ProjectCall).join(ProjectCall.call)
        .where(FundingCall.closes_at >= start, FundingCall.closes_at < end)
        .options(selectinload(ProjectCall.project).selectinload(Project.participations))
        .order_by(FundingCall.closes_at, ProjectCall.id)))
