"""Reads of projects: the filtered list, search, the dashboard's pending decisions, funding totals.

Visibility is never filtered here: the tenancy scope adds "own drafts + everything proposed" to every
query. The filters below are the reader's choices (status, municipality, theme, …).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from exchange.extensions import db
from exchange.i18n.queries import text_matches
from exchange.i18n.sorting import keyed_locales
from exchange.projects.models import (FundingCategory, FundingLine, FundingSource, ParticipationStatus, Project,
                                      ProjectComment, ProjectContact, ProjectParticipation, ProjectPriorityArea,
                                      ProjectSortKey, ProjectStatus, ProjectTheme, title_texts)

SORTS = ("updated", "title", "start", "status")


@dataclass
class ProjectFilters:
    """The reader's choices on the list page (already validated by the filter form)."""

    q: str = ""
    status: str = ""
    municipality_id: int | None = None  # lead or accepted participant
    theme_id: int | None = None
    area: str = ""
    source: str = ""
    sort: str = "updated"


def list_options():
    """What the list page and the CSV show, loaded in a fixed number of queries whatever the page size."""
    return (
        selectinload(Project.texts),
        selectinload(Project.theme_links).joinedload(ProjectTheme.theme),
        selectinload(Project.area_rows),
        selectinload(Project.participations).selectinload(ProjectParticipation.texts),
    )


def filtered(filters: ProjectFilters, locale: str, *columns):
    """A select() of the projects matching the filters, sorted; paginate it or iterate it (CSV). With
    ``columns``, those columns of the same rows instead of loaded projects (the CSV's batches)."""
    stmt = select(*columns) if columns else select(Project).options(*list_options())
    if filters.q:
        # "start" and "status" are sorted by the database after reading every match (no index serves
        # them): a common term is then answered from the index's matches, not by walking the list
        stmt = stmt.where(text_matches(Project, filters.q, walk=filters.sort not in ("start", "status")))
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    if filters.municipality_id:
        participates = exists().where(ProjectParticipation.project_id == Project.id,
                                      ProjectParticipation.municipality_id == filters.municipality_id,
                                      ProjectParticipation.status == ParticipationStatus.ACCEPTED.value)
        stmt = stmt.where(or_(Project.lead_municipality_id == filters.municipality_id, participates))
    if filters.theme_id:
        stmt = stmt.where(exists().where(ProjectTheme.project_id == Project.id,
                                         ProjectTheme.theme_id == filters.theme_id))
    if filters.area:
        stmt = stmt.where(exists().where(ProjectPriorityArea.project_id == Project.id,
                                         ProjectPriorityArea.area == filters.area))
    if filters.source:
        stmt = stmt.where(exists().where(FundingLine.project_id == Project.id, FundingLine.source == filters.source))
    if filters.sort == "title" and locale in keyed_locales():
        # The stored keys of the title each reader sees, walked in index order (issue 12).
        return (stmt.join(ProjectSortKey, and_(ProjectSortKey.project_id == Project.id,
                                               ProjectSortKey.locale == locale))
                .order_by(ProjectSortKey.key, ProjectSortKey.project_id))
    order = {
        "title": (Project.id,),  # a locale that is not configured has no keys (never a reader's)
        "start": (Project.start_date.is_(None), Project.start_date, Project.id),
        "status": (Project.status, Project.updated_at.desc(), Project.id.desc()),
    }.get(filters.sort, (Project.updated_at.desc(), Project.id.desc()))
    return stmt.order_by(*order)


def detail_options():
    """Everything the detail page shows, loaded up front."""
    return (
        selectinload(Project.texts),
        selectinload(Project.theme_links).joinedload(ProjectTheme.theme),
        selectinload(Project.area_rows),
        selectinload(Project.sustainability),
        selectinload(Project.milestones),
        selectinload(Project.funding_lines),
        selectinload(Project.contacts),
        selectinload(Project.comments),
        selectinload(Project.events),
        selectinload(Project.participations).selectinload(ProjectParticipation.texts),
    )


def get_project(project_id: int) -> Project | None:
    """One project the current municipality may see, with what its pages show; None otherwise."""
    return db.session.scalar(select(Project).where(Project.id == project_id).options(*detail_options()))


def pending_invitations(municipality_id: int, limit: int | None = None) -> list[ProjectParticipation]:
    """Invitations addressed to ``municipality_id`` that its coordinators still have to answer, oldest
    first (the first ``limit`` of them: the dashboard shows a few, whatever the size of the network).

    (``municipality_id`` is the addressee, a business filter; visibility is still the scope's.)
    """
    return list(db.session.scalars(
        select(ProjectParticipation)
        .where(ProjectParticipation.municipality_id == municipality_id,
               ProjectParticipation.status == ParticipationStatus.INVITED.value)
        .join(ProjectParticipation.project)
        .where(Project.status.in_([s.value for s in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE)]))
        .options(selectinload(ProjectParticipation.project).selectinload(title_texts()))
        .order_by(ProjectParticipation.created_at, ProjectParticipation.id).limit(limit)))


def pending_requests(lead_municipality_id: int, limit: int | None = None) -> list[ProjectParticipation]:
    """Requests to join projects led by ``lead_municipality_id``, waiting for its coordinators, oldest
    first (the first ``limit``)."""
    return list(db.session.scalars(
        select(ProjectParticipation)
        .join(ProjectParticipation.project)
        .where(ProjectParticipation.lead_municipality_id == lead_municipality_id,  # the copy: one index's order
               ProjectParticipation.status == ParticipationStatus.REQUESTED.value,
               Project.status.in_([s.value for s in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE)]))
        .options(selectinload(ProjectParticipation.project).selectinload(title_texts()))
        .order_by(ProjectParticipation.created_at, ProjectParticipation.id).limit(limit)))


def project_total(municipality_id: int, cap: int) -> int:
    """How many projects the municipality leads or takes part in (for the dashboard), counted up to
    ``cap + 1``: a result above ``cap`` means "more than that".

    Two bounded index walks in one statement, the projects it leads and those it has joined (led ones left
    out, so none counts twice): counting all of them read 25 000 rows of a big town on every dashboard
    view at network scale (issue 12), for a sentence that only needs to say "more than 1 000".
    """
    led = select(Project.id).where(Project.lead_municipality_id == municipality_id).limit(cap + 1).subquery()
    joined = (select(ProjectParticipation.project_id).join(ProjectParticipation.project)
              .where(ProjectParticipation.municipality_id == municipality_id,
                     ProjectParticipation.status == ParticipationStatus.ACCEPTED.value,
                     Project.lead_municipality_id != municipality_id)
              .limit(cap + 1).subquery())
    count = lambda rows: select(func.count()).select_from(rows).scalar_subquery()  # noqa: E731
    return db.session.scalar(select(count(led) + count(joined)))


# --- funding totals ------------------------------------------------------------------------------

@dataclass
class Share:
    category: FundingCategory
    amount: Decimal
    percent: Decimal


@dataclass
class CurrencyTotal:
    """The funding plan in one currency: its total and each source category's co-financing share.
    Amounts in different currencies are never added together."""

    currency: str
    total: Decimal = Decimal("0")
    shares: list[Share] = field(default_factory=list)


def funding_summary(lines: list[FundingLine]) -> list[CurrencyTotal]:
    """Totals per currency and the share of each source category within it (largest currency first)."""
    by_currency: dict[str, dict[FundingCategory, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in lines:
        by_currency[line.currency][FundingSource(line.source).category] += line.amount
    summary = []
    for currency, categories in by_currency.items():
        total = sum(categories.values(), Decimal("0"))
        shares = [Share(category, categories[category],
                        (categories[category] * 100 / total).quantize(Decimal("0.1")) if total else Decimal("0"))
                  for category in FundingCategory if category in categories]
        summary.append(CurrencyTotal(currency, total, shares))
    return sorted(summary, key=lambda c: c.currency)


# --- one person's data (a data subject's request) ---------------------------------------------------------
# The project is visible through the scope; of its rows, a municipality answers only for those it wrote
# itself (its own contact people, its own users' comments): the others are another controller's data.

def person_contacts(key: str, municipality_id: int) -> list[ProjectContact]:
    """The contact people with this name key that ``municipality_id`` entered, on projects it can see."""
    return list(db.session.scalars(
        select(ProjectContact).join(ProjectContact.project)
        .where(ProjectContact.name_key == key, ProjectContact.municipality_id == municipality_id)
        .options(selectinload(ProjectContact.project).selectinload(Project.texts))
        .order_by(ProjectContact.project_id, ProjectContact.id)))


def comments_by(author_ids: list[int], municipality_id: int) -> list[ProjectComment]:
    """Comments written by these accounts of ``municipality_id``, on projects it can see."""
    if not author_ids:
        return []
    return list(db.session.scalars(
        select(ProjectComment).join(ProjectComment.project)
        .where(ProjectComment.author_id.in_(author_ids), ProjectComment.author_municipality_id == municipality_id)
        .options(selectinload(ProjectComment.project).selectinload(Project.texts))
        .order_by(ProjectComment.created_at, ProjectComment.id)))
