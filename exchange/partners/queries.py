"""Reads of partner organisations: the directory, profiles, suggestions both ways, dashboard work lists.

Visibility is never filtered here (the tenancy scope does it: every profile is visible to the network; a
project's needs and partnerships go with the project). The filters below are the reader's choices.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from exchange.db import utcnow
from exchange.extensions import db
from exchange.i18n.queries import like_pattern, text_matches
from exchange.municipalities.models import Municipality
from exchange.partners import matching
from exchange.partners.matching import Candidate, Need, ProjectProfile, Suggestion
from exchange.partners.models import (OFFERS, SEEKS, STALE_AFTER, Organisation, OrganisationContact,
                                      OrganisationLanguage,
                                      OrganisationSortKey, OrganisationTheme, Origin, PartnerNeed,
                                      PartnerNeedTheme, PartnerNeedType, Partnership, PartnershipStatus)
from exchange.projects.models import (OPEN_FOR_PARTNERS, FundingSource, ParticipationStatus, Project,
                                      ProjectTheme)

SUGGESTIONS = 20
# Candidates are fetched from SQL in batches, best upper bound first, until the top 20 is certain.
BATCH = 50


# --- the directory ---------------------------------------------------------------------------------

@dataclass
class DirectoryFilters:
    """The reader's choices on the directory page (already validated by the search form)."""

    q: str = ""
    theme_id: int | None = None
    theme_kind: str = ""      # "offers", "seeks" or "" (either)
    type: str = ""
    municipality_id: int | None = None
    language: str = ""
    include_retired: bool = False


def _sort_expression(locale: str):
    """The name's sort key in the reader's alphabet: the stored per-locale key, else the neutral one."""
    return func.coalesce(OrganisationSortKey.key, Organisation.sort_name)


def profile_options(with_texts: bool = True):
    """What listings and profiles show, loaded in a fixed number of queries whatever the page size."""
    options = [selectinload(Organisation.theme_links), selectinload(Organisation.language_rows)]
    if with_texts:
        options.append(selectinload(Organisation.texts))
    return tuple(options)


def directory(filters: DirectoryFilters, locale: str):
    """A select() of the organisations matching the filters, sorted by name in the reader's alphabet
    (by the database, so pagination stays correct); paginate it or iterate it (CSV)."""
    stmt = (select(Organisation)
            .outerjoin(OrganisationSortKey, and_(OrganisationSortKey.organisation_id == Organisation.id,
                                                 OrganisationSortKey.locale == locale))
            .options(*profile_options()))
    if not filters.include_retired:
        stmt = stmt.where(Organisation.active.is_(True))
    if filters.q:
        term = filters.q
        stmt = stmt.where(or_(Organisation.name.ilike(like_pattern(term), escape="\\"),
                              text_matches(Organisation, term)))
    if filters.theme_id:
        kinds = [filters.theme_kind] if filters.theme_kind in (OFFERS, SEEKS) else [OFFERS, SEEKS]
        stmt = stmt.where(exists().where(OrganisationTheme.organisation_id == Organisation.id,
                                         OrganisationTheme.kind.in_(kinds),
                                         OrganisationTheme.theme_id == filters.theme_id))
    if filters.type:
        stmt = stmt.where(Organisation.type == filters.type)
    if filters.municipality_id:
        stmt = stmt.where(Organisation.municipality_id == filters.municipality_id)
    if filters.language:
        stmt = stmt.where(exists().where(OrganisationLanguage.organisation_id == Organisation.id,
                                         OrganisationLanguage.language == filters.language))
    return stmt.order_by(_sort_expression(locale), Organisation.id)


def get_organisation(organisation_id: int) -> Organisation | None:
    """One organisation with what its profile shows (contacts included; the template decides), or None."""
    return db.session.scalar(select(Organisation).where(Organisation.id == organisation_id)
                             .options(*profile_options(), selectinload(Organisation.contacts)))


def contacts_of(organisation_ids: list[int]) -> dict:
    """The first contact person of each of these organisations (callers pass only ids they may export)."""
    if not organisation_ids:
        return {}
    contacts = {}
    for contact in db.session.scalars(select(OrganisationContact).where(
            OrganisationContact.organisation_id.in_(organisation_ids)).order_by(OrganisationContact.id)):
        contacts.setdefault(contact.organisation_id, contact)
    return contacts


def own_active_organisations(municipality_id: int) -> list[Organisation]:
    """The municipality's active organisations by name (to express interest on behalf of one)."""
    return list(db.session.scalars(select(Organisation).where(Organisation.municipality_id == municipality_id,
                                                              Organisation.active.is_(True))
                                   .order_by(Organisation.sort_name, Organisation.id)))


def stale_organisations(municipality_id: int, today: dt.date | None = None, limit: int = 10):
    """(the first ``limit`` active organisations of the municipality not confirmed for 12 months, their count)."""
    today = today or utcnow().date()
    where = (Organisation.municipality_id == municipality_id, Organisation.active.is_(True),
             Organisation.last_confirmed_on < today - STALE_AFTER)
    rows = list(db.session.scalars(select(Organisation).where(*where)
                                   .order_by(Organisation.last_confirmed_on, Organisation.id).limit(limit)))
    count = db.session.scalar(select(func.count()).select_from(Organisation).where(*where))
    return rows, count


# --- partnerships ----------------------------------------------------------------------------------

def _link_options():
    return (selectinload(Partnership.project).selectinload(Project.texts),
            selectinload(Partnership.need))


def partnerships_of_project(project_id: int) -> list[Partnership]:
    """Every partnership of the project (partners, pending and declined), oldest first."""
    return list(db.session.scalars(select(Partnership).where(Partnership.project_id == project_id)
                                   .options(selectinload(Partnership.need))
                                   .order_by(Partnership.created_at, Partnership.id)))


def partnerships_of_organisation(organisation_id: int) -> list[Partnership]:
    """The projects the organisation is a partner of, invited to or interested in (that the reader sees)."""
    return list(db.session.scalars(select(Partnership).join(Partnership.project)
                                   .where(Partnership.organisation_id == organisation_id)
                                   .options(*_link_options())
                                   .order_by(Partnership.created_at.desc(), Partnership.id.desc())))


def get_partnership(partnership_id: int) -> Partnership | None:
    return db.session.scalar(select(Partnership).where(Partnership.id == partnership_id).options(*_link_options()))


def interests_to_answer(lead_municipality_id: int) -> list[Partnership]:
    """Expressions of interest in projects led by the municipality, waiting for its coordinators."""
    return list(db.session.scalars(
        select(Partnership).join(Partnership.project)
        .where(Project.lead_municipality_id == lead_municipality_id,
               Partnership.status == PartnershipStatus.INTERESTED.value,
               Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
        .options(*_link_options()).order_by(Partnership.created_at, Partnership.id)))


def invitations_to_answer(municipality_id: int) -> list[Partnership]:
    """Invitations to the municipality's organisations, waiting for its coordinators."""
    return list(db.session.scalars(
        select(Partnership).join(Partnership.project).join(Partnership.organisation)
        .where(Organisation.municipality_id == municipality_id,
               Partnership.status == PartnershipStatus.INVITED.value,
               Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
        .options(*_link_options()).order_by(Partnership.created_at, Partnership.id)))


# --- a project's needs and its matching profile ----------------------------------------------------

def needs_of_project(project_id: int) -> list[PartnerNeed]:
    return list(db.session.scalars(select(PartnerNeed).where(PartnerNeed.project_id == project_id)
                                   .options(selectinload(PartnerNeed.theme_links), selectinload(PartnerNeed.type_rows))
                                   .order_by(PartnerNeed.id)))


def get_need(need_id: int) -> PartnerNeed | None:
    return db.session.scalar(select(PartnerNeed).where(PartnerNeed.id == need_id)
                             .options(selectinload(PartnerNeed.theme_links), selectinload(PartnerNeed.type_rows)))


def get_project(project_id: int) -> Project | None:
    """The project (if the reader's municipality sees it) with what partner pages use."""
    return db.session.scalar(select(Project).where(Project.id == project_id).options(
        selectinload(Project.texts), selectinload(Project.theme_links), selectinload(Project.funding_lines),
        selectinload(Project.participations)))


def _need_of(row: PartnerNeed) -> Need:
    return Need(row.id, frozenset(link.theme_id for link in row.theme_links),
                frozenset(r.type for r in row.type_rows), row.role, row.origin, row.origin_municipality_id,
                row.origin_country)


def project_profile(project: Project, needs: list[PartnerNeed] | None = None,
                    linked: Iterable[int] | None = None) -> ProjectProfile:
    """What matching needs to know about a project (its needs and links loaded when not given)."""
    if needs is None:
        needs = needs_of_project(project.id)
    if linked is None:
        linked = db.session.scalars(select(Partnership.organisation_id).where(
            Partnership.project_id == project.id, Partnership.status != PartnershipStatus.DECLINED.value)).all()
    participating = {project.lead_municipality_id} | {p.municipality_id for p in project.participations
                                                      if p.status == ParticipationStatus.ACCEPTED.value}
    leader = any(line.source == FundingSource.EU_LEADER.value for line in project.funding_lines)
    return ProjectProfile(project.id, project.lead_municipality_id, project.lead.default_locale,
                          frozenset(link.theme_id for link in project.theme_links), frozenset(participating),
                          tuple(_need_of(n) for n in needs), leader, frozenset(linked))


def candidate_of(org: Organisation) -> Candidate:
    offers = frozenset(link.theme_id for link in org.theme_links if link.kind == OFFERS)
    seeks = frozenset(link.theme_id for link in org.theme_links if link.kind == SEEKS)
    return Candidate(org.id, org.municipality_id, org.municipality.country, org.type, offers, seeks,
                     frozenset(org.languages), org.last_confirmed_on, org.active, org.sort_name)


# --- suggestions for a project ---------------------------------------------------------------------

def _origin_clause(need: Need):
    if need.origin == Origin.MUNICIPALITY.value:
        return Organisation.municipality_id == need.origin_municipality_id
    if need.origin == Origin.COUNTRY.value:
        return Organisation.municipality_id.in_(select(Municipality.id).where(Municipality.country == need.origin_country))
    return literal(True)


def _capped(expr, cap: int):
    return case((expr > cap, cap), else_=expr)


def _greatest(exprs: list):
    """The largest of several SQL expressions (portable: nested CASE, no GREATEST/max(a, b) dialects)."""
    best = exprs[0]
    for expr in exprs[1:]:
        best = case((expr > best, expr), else_=best)
    return best


def _candidate_bounds(profile: ProjectProfile, today: dt.date, limit: int):
    """SQL: the organisations that can be in the top ``limit``, with their score, best first.

    Mirrors matching.score() part by part (the tests check the two agree):

    1. ``candidates`` (a CTE): active organisations of an acceptable, eligible type from where a need says,
       not yet linked, offering a needed theme (the (kind, theme_id) index), with the offered-themes part
       of the score for their best need;
    2. since one offered theme outweighs every other part together (matching.MAX_BONUS < OFFER_POINTS),
       only the tier of the ``limit``-th best offered part and above can make the top ``limit``: the
       other parts are computed for those rows only, so the work stays small however many organisations
       offer one of the themes.
    """
    needs = matching.effective_needs(profile)
    per_need, fits = [], []
    for need in needs:
        types = sorted(t for t in need.types if matching.is_eligible(t, profile.leader))
        if not need.themes or not types:
            continue
        fit = and_(Organisation.type.in_(types), _origin_clause(need))
        fits.append(fit)
        per_need.append(func.sum(case((and_(OrganisationTheme.theme_id.in_(sorted(need.themes)), fit), 1),
                                      else_=0)))
    if not fits:
        return None
    needed = sorted(set().union(*(n.themes for n in needs)))
    offer = (_greatest(per_need) * matching.OFFER_POINTS).label("offer")
    grouped = (select(Organisation.id.label("id"), offer)
               .join(OrganisationTheme, OrganisationTheme.organisation_id == Organisation.id)
               .where(OrganisationTheme.kind == OFFERS, OrganisationTheme.theme_id.in_(needed),
                      Organisation.active.is_(True), or_(*fits))
               .group_by(Organisation.id))
    if profile.linked:
        grouped = grouped.where(Organisation.id.not_in(sorted(profile.linked)))
    candidates = grouped.cte("candidates")
    cut = (select(candidates.c.offer).order_by(candidates.c.offer.desc()).limit(1).offset(limit - 1)
           .scalar_subquery())

    # The other parts, for the rows that survive the cut. They read the child tables through Core
    # (organisation_id = a visible Organisation row), so the scope's criteria are already met.
    themes_t, languages_t = OrganisationTheme.__table__, OrganisationLanguage.__table__
    sought = (select(func.count()).select_from(themes_t)
              .where(themes_t.c.organisation_id == Organisation.id, themes_t.c.kind == SEEKS,
                     themes_t.c.theme_id.in_(sorted(profile.themes) or [-1]))
              .scalar_subquery())
    language = exists().where(languages_t.c.organisation_id == Organisation.id,
                              languages_t.c.language == profile.lead_locale)
    bound = (candidates.c.offer
             + _capped(sought, matching.SEEK_MAX_THEMES) * matching.SEEK_POINTS
             + case((language, matching.LANGUAGE_POINTS), else_=0)
             + case((Organisation.municipality_id.in_(sorted(profile.participating)), 0),
                    else_=matching.NEW_MUNICIPALITY_POINTS)
             + case((Organisation.last_confirmed_on >= today - matching.STALE_AFTER, matching.FRESH_POINTS),
                    else_=0)).label("bound")
    return (select(Organisation.id, Organisation.sort_name, bound)
            .join(candidates, candidates.c.id == Organisation.id)
            .where(candidates.c.offer > 0, candidates.c.offer >= func.coalesce(cut, 0))
            .order_by(bound.desc(), Organisation.sort_name, Organisation.id))


def load_candidates(ids: list[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).options(
        selectinload(Organisation.theme_links), selectinload(Organisation.language_rows)))
    return {org.id: org for org in rows}


def _settled(found: list[Suggestion], limit: int, last_row, names: dict[int, str]) -> bool:
    """No unfetched row can enter the top ``limit``: their bounds are at most the last fetched row's, and
    on an equal bound they sort after it by name (the SQL order), so they cannot outrank ``found[-1]``."""
    if len(found) < limit:
        return False
    worst = found[-1]
    if worst.score != last_row.bound:
        return worst.score > last_row.bound
    return (names[worst.organisation_id], worst.organisation_id) <= (last_row.sort_name, last_row.id)


def suggestions_for_project(project: Project, profile: ProjectProfile | None = None, today: dt.date | None = None,
                            limit: int = SUGGESTIONS) -> list[tuple[Suggestion, Organisation]]:
    """The best ``limit`` organisations for the project, each with its explained score.

    Narrowed and ordered in SQL (``_candidate_bounds``), scored exactly in Python (matching.score) for
    the reasons, fetched in batches until no unfetched candidate could enter the top ``limit`` (one batch
    in practice): a bounded number of queries whatever the number of organisations.
    """
    today = today or utcnow().date()
    profile = profile or project_profile(project)
    stmt = _candidate_bounds(profile, today, limit)
    if stmt is None:
        return []
    found: list[Suggestion] = []
    organisations: dict[int, Organisation] = {}
    offset, batch_size = 0, max(BATCH, limit)
    while True:
        rows = db.session.execute(stmt.limit(batch_size).offset(offset)).all()
        offset += len(rows)
        batch = load_candidates([row.id for row in rows])
        organisations.update(batch)
        for org in batch.values():
            suggestion = matching.score(candidate_of(org), profile, today)
            if suggestion is not None:
                found.append(suggestion)
        names = {i: o.sort_name for i, o in organisations.items()}
        found = matching.rank(found, names, limit)
        if len(rows) < batch_size or _settled(found, limit, rows[-1], names):
            break
    return [(s, organisations[s.organisation_id]) for s in found]


# --- suggestions for an organisation (the reverse view) --------------------------------------------

def _project_options():
    return (selectinload(Project.texts), selectinload(Project.theme_links), selectinload(Project.funding_lines),
            selectinload(Project.participations))


def suggestions_for_organisation(org: Organisation, today: dt.date | None = None,
                                 limit: int = SUGGESTIONS) -> list[tuple[Suggestion, Project]]:
    """Open projects the organisation would suit, best first, with the same explained score.

    Narrowed in SQL to open projects with a need (or, listing none, a theme) among the organisation's
    offers, ordered by the number of offered themes; scored in Python; fetched in batches until no
    unfetched project could enter the top ``limit``.
    """
    today = today or utcnow().date()
    candidate = candidate_of(org)
    if not candidate.active or not candidate.offers:
        return []
    offers = sorted(candidate.offers)
    need_hits = (select(PartnerNeed.project_id.label("project_id"), func.count().label("hits"))
                 .join(PartnerNeedTheme, PartnerNeedTheme.need_id == PartnerNeed.id)
                 .where(PartnerNeedTheme.theme_id.in_(offers),
                        exists().where(PartnerNeedType.need_id == PartnerNeed.id, PartnerNeedType.type == org.type))
                 .group_by(PartnerNeed.id))
    implicit_hits = (select(ProjectTheme.project_id.label("project_id"), func.count().label("hits"))
                     .where(ProjectTheme.theme_id.in_(offers),
                            ~exists().where(PartnerNeed.project_id == ProjectTheme.project_id))
                     .group_by(ProjectTheme.project_id))
    hits = need_hits.union_all(implicit_hits).subquery()
    best = func.max(hits.c.hits).label("hits")
    linked = select(Partnership.project_id).where(Partnership.organisation_id == org.id,
                                                  Partnership.status != PartnershipStatus.DECLINED.value)
    stmt = (select(Project.id, best).join(hits, hits.c.project_id == Project.id)
            .where(Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]), Project.id.not_in(linked))
            .group_by(Project.id).order_by(best.desc(), Project.id.desc()))
    found: list[Suggestion] = []
    projects: dict[int, Project] = {}
    offset = 0
    while True:
        rows = db.session.execute(stmt.limit(BATCH).offset(offset)).all()
        offset += len(rows)
        ids = [row.id for row in rows]
        batch = list(db.session.scalars(select(Project).where(Project.id.in_(ids)).options(*_project_options()))) \
            if ids else []
        needs_by_project: dict[int, list[PartnerNeed]] = {i: [] for i in ids}
        if ids:
            for need in db.session.scalars(select(PartnerNeed).where(PartnerNeed.project_id.in_(ids)).options(
                    selectinload(PartnerNeed.theme_links), selectinload(PartnerNeed.type_rows))
                    .order_by(PartnerNeed.id)):
                needs_by_project[need.project_id].append(need)
        for project in batch:
            projects[project.id] = project
            profile = project_profile(project, needs_by_project[project.id], linked=())
            suggestion = matching.score(candidate, profile, today)
            if suggestion is not None:
                found.append(suggestion)
        found = matching.rank_projects(found, limit)
        if len(rows) < BATCH:
            break
        if len(found) >= limit and found[-1].score > matching.upper_bound(rows[-1].hits):
            break
    return [(s, projects[s.project_id]) for s in found]


def open_projects_led_by(municipality_id: int, limit: int = 10) -> list[Project]:
    """The municipality's own projects that are open for partners, most recently changed first."""
    return list(db.session.scalars(select(Project).where(Project.lead_municipality_id == municipality_id,
                                                         Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
                                   .options(selectinload(Project.texts))
                                   .order_by(Project.updated_at.desc(), Project.id.desc()).limit(limit)))
