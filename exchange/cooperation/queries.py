"""Reads for the public (no sign-in): the pages, the Atom feed, the open data, the sitemap and the read
API's anonymous requests all read through these functions, so they show exactly the same things.

They run in the scope of the municipality the page is about (set by the public blueprint, or by the
API), and add the *public* visibility rule of each model on top of the scope (``Project.public_criteria``,
``Visit.public_criteria``): a project its lead marked public (never a draft or a withdrawn one), a visit
that took place. Texts are shown through ``display(..., approved_only=True)``. The municipality filter
below is the page's subject (its projects and visits), not a scope: visibility is the models' rule.
"""
from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import selectinload

from exchange.extensions import db
from exchange.i18n.formatting import collate
from exchange.cooperation.models import DEFAULT_LICENCE, CooperationProfile, Licence, Twinning
from exchange.municipalities.models import Municipality
from exchange.projects.models import (FundingCategory, FundingLine, FundingSource, Project, ProjectParticipation,
                                      ProjectStatus, ProjectTheme)
from exchange.visits.models import Visit
from exchange.visits.queries import involving

# Funding "received" (issue 17): the grants of EU and national programmes to projects that run or ran.
PROGRAMME_SOURCES = tuple(s.value for s in FundingSource
                          if s.category in (FundingCategory.EU, FundingCategory.NATIONAL))
RUNNING = (ProjectStatus.ACTIVE.value, ProjectStatus.COMPLETED.value)


# --- the municipality ------------------------------------------------------------------------------

def twin_towns(municipality_id: int) -> list[tuple[Municipality, dt.date]]:
    """The municipality's twin towns and since when, oldest twinning first."""
    rows = db.session.scalars(select(Twinning).where(or_(Twinning.first_municipality_id == municipality_id,
                                                         Twinning.second_municipality_id == municipality_id))
                              .order_by(Twinning.since, Twinning.id))
    return [(t.partner_of(municipality_id), t.since) for t in rows]


def profile(municipality_id: int) -> CooperationProfile | None:
    """The cooperation profile (policy text, licence), or None when nothing has been written yet."""
    return db.session.scalar(select(CooperationProfile).where(CooperationProfile.municipality_id == municipality_id)
                             .options(selectinload(CooperationProfile.texts)))


# --- projects --------------------------------------------------------------------------------------

def _project_options():
    return (selectinload(Project.texts), selectinload(Project.theme_links).joinedload(ProjectTheme.theme),
            selectinload(Project.area_rows), selectinload(Project.sustainability),
            selectinload(Project.participations).selectinload(ProjectParticipation.texts))


def public_projects(municipality_id: int):
    """A select() of the public projects the municipality leads or takes part in, newest published first
    (paginate it, iterate it, or order it by id for the API's cursor)."""
    return (select(Project).options(*_project_options())
            .where(Project.public_criteria(), Project.involving(municipality_id))
            .order_by(Project.public_at.desc(), Project.id.desc()))


def public_project_ids(municipality_id: int) -> list[int]:
    """The ids of the municipality's public projects (the sitemap)."""
    return list(db.session.scalars(select(Project.id).where(Project.public_criteria(), Project.involving(municipality_id))
                                   .order_by(Project.id)))


def public_project(project_id: int, municipality_id: int) -> Project | None:
    """One public project of the municipality with what its public page shows (funding lines), or None."""
    return db.session.scalar(select(Project).where(Project.id == project_id, Project.public_criteria(),
                                                   Project.involving(municipality_id))
                             .options(*_project_options(), selectinload(Project.funding_lines)))


# --- visits ----------------------------------------------------------------------------------------

def visit_options():
    return (selectinload(Visit.visiting_links), selectinload(Visit.texts), selectinload(Visit.theme_links),
            selectinload(Visit.agenda_items))


def public_visits(municipality_id: int):
    """A select() of the visits that took place with the municipality as host or visitor, newest first."""
    return (select(Visit).options(*visit_options())
            .where(Visit.public_criteria(), involving(municipality_id))
            .order_by(Visit.start_date.desc(), Visit.id.desc()))


def public_visit(visit_id: int, municipality_id: int) -> Visit | None:
    return db.session.scalar(select(Visit).options(*visit_options())
                             .where(Visit.id == visit_id, Visit.public_criteria(), involving(municipality_id)))


def places(visit: Visit) -> list[str]:
    """Where the visit took place: the host, then the places of its programme (no people)."""
    found = [visit.host.name]
    for item in visit.agenda_items:
        if item.location and item.location not in found:
            found.append(item.location)
    return found


def public_lessons(visit: Visit) -> bool:
    """The lessons learned may be shown to the public (the visit took place and they were marked public)."""
    return visit.is_public and bool(visit.lessons_public)


# --- funding ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FundingRow:
    source: FundingSource
    year: int | None  # the year the project started (None: no start date given)
    currency: str
    amount: Decimal
    projects: int


def funding_received(municipality_id: int) -> list[FundingRow]:
    """The municipality's own funding lines from EU and national programmes on its public projects that
    run or ran, per programme, year (of the project's start) and currency (never summed across currencies)."""
    year = func.extract("year", Project.start_date)
    rows = db.session.execute(
        select(FundingLine.source, year, FundingLine.currency, func.sum(FundingLine.amount),
               func.count(distinct(Project.id)))
        .join(FundingLine.project)
        .where(Project.public_criteria(), Project.status.in_(RUNNING), FundingLine.municipality_id == municipality_id,
               FundingLine.source.in_(PROGRAMME_SOURCES))
        .group_by(FundingLine.source, year, FundingLine.currency)).all()
    result = [FundingRow(FundingSource(source), int(y) if y is not None else None, currency, amount or Decimal(0), n)
              for source, y, currency, amount, n in rows]
    order = list(FundingSource)
    return sorted(result, key=lambda r: (-(r.year or 0), order.index(r.source), r.currency))


# --- the feed --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedEntry:
    kind: str  # "project" or "visit"
    item: object
    published: dt.datetime


def as_utc(value: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=dt.timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def feed_entries(municipality_id: int, limit: int = 30) -> list[FeedEntry]:
    """The newest public projects (by when they were published) and visits that took place (by their
    last day), newest first, at most ``limit`` in all."""
    projects = list(db.session.scalars(public_projects(municipality_id).limit(limit)))
    visits = list(db.session.scalars(public_visits(municipality_id).order_by(None)
                                     .order_by(Visit.end_date.desc(), Visit.id.desc()).limit(limit)))
    entries = heapq.merge(
        (FeedEntry("project", p, as_utc(p.public_at or p.published_at)) for p in projects),
        (FeedEntry("visit", v, as_utc(v.end_date)) for v in visits),
        key=lambda e: e.published, reverse=True)
    return list(entries)[:limit]


def count(stmt) -> int:
    """How many rows a listing select() has."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def licence_of(found: CooperationProfile | None) -> Licence:
    """The licence of the municipality's open data (the default until its admins choose)."""
    return found.licence_enum if found is not None else DEFAULT_LICENCE


def municipalities() -> list[Municipality]:
    """Every municipality of the network, by name in the reader's alphabet."""
    return collate(db.session.scalars(select(Municipality)), key=lambda m: m.name)

