"""Suggestions both ways, with the explained score of ``matching.score``: organisations for a project and
projects for an organisation. Sought in a bounded window of candidates read in index order (the newest
organisations offering each needed theme, the most recently listed needs of each offered theme: issue 12),
narrowed and ordered in SQL, scored exactly in Python, fetched in batches until the top of the window is
certain: a bounded number of queries, and a bounded amount of work, whatever the size of the network.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, case, exists, func, or_, select, union_all
from sqlalchemy.orm import selectinload

from exchange.db import generic_plan, utcnow
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.partners import matching
from exchange.partners.matching import Candidate, Need, ProjectProfile, Suggestion
from exchange.partners.models import (LEADER_ELIGIBLE_TYPES, OFFERS, SEEKS, Organisation, OrganisationLanguage,
                                      OrganisationTheme, Origin, PartnerNeed, PartnerNeedTheme, PartnerNeedType,
                                      PartnerRole, Partnership, PartnershipStatus)
from exchange.partners.queries.projects import needs_of_project
from exchange.projects.models import (OPEN_FOR_PARTNERS, FundingLine, FundingSource, ParticipationStatus, Project,
                                      ProjectParticipation, ProjectTheme, title_texts)

SUGGESTIONS = 20
# Candidates are fetched from SQL in batches, best upper bound first, until the top 20 is certain.
BATCH = 50
# Suggestions are sought in a bounded window: for a project, among the ORGANISATION_WINDOW newest
# organisations offering each theme it needs (_window); for an organisation, among the WINDOW most recently
# listed needs (and newest projects listing none) of each theme it offers (suggestions_for_organisation).
ORGANISATION_WINDOW = 200
WINDOW = 50


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
                     frozenset(org.languages), org.last_confirmed_on, org.active, org.sort_name, bool(org.funder))


# --- suggestions for a project ---------------------------------------------------------------------

def _capped(expr, cap: int):
    return case((expr > cap, cap), else_=expr)


def _window(profile: ProjectProfile):
    """SQL (a CTE): the organisations matching may suggest for the project, a bounded window: for each
    theme a need asks for (the project's own themes when it lists none), the ORGANISATION_WINDOW newest active
    organisations offering it, of a type some need asking for it accepts (and eligible, for LEADER), not
    yet linked, each read backwards along the index on (kind, theme, organisation) and stopped at its
    bound. Scoring every organisation offering a theme grew with the network (135 ms at 100 000: issue
    12); the window is exact while fewer organisations offer a theme."""
    types_by_theme: dict[int, set[str]] = {}
    for need in matching.effective_needs(profile):
        for theme_id in need.themes:
            types_by_theme.setdefault(theme_id, set()).update(need.types)
    if not types_by_theme:
        types_by_theme = {-1: set()}  # no theme: an empty window
    branches = []
    for theme_id, types in sorted(types_by_theme.items()):
        if profile.leader:
            types = {t for t in types if matching.is_eligible(t, True)}
        branch = (select(OrganisationTheme.organisation_id.label("organisation_id"))
                  .join(Organisation, Organisation.id == OrganisationTheme.organisation_id)
                  .where(OrganisationTheme.kind == OFFERS, OrganisationTheme.theme_id == theme_id,
                         Organisation.active.is_(True), Organisation.type.in_(sorted(types) or [""])))
        if profile.linked:
            branch = branch.where(Organisation.id.not_in(sorted(profile.linked)))
        branches.append(branch.order_by(OrganisationTheme.organisation_id.desc()).limit(ORGANISATION_WINDOW)
                        .subquery())
    return union_all(*(select(b.c.organisation_id) for b in branches)).cte("window")


def _offered_per_need(profile: ProjectProfile):
    """SQL: (organisation id, offered) for each need an organisation fits, ``offered`` being how many of the
    need's themes it offers: active, not yet linked, of an acceptable type (and eligible, for LEADER), from
    where the need says.

    One row per (organisation, need) pair, grouped in SQL: the needs' themes, types and origins are joined
    from their own tables rather than written into the statement, so its size grows with the number of
    needs only by their ids (a nested expression per need grew exponentially: issue 11). The child tables
    are read through Core, restricted to the project the caller loaded in scope.
    """
    stmt = (select(Organisation.id.label("id"), func.count().label("offered"))
            .join(OrganisationTheme, OrganisationTheme.organisation_id == Organisation.id)
            .where(OrganisationTheme.kind == OFFERS, Organisation.active.is_(True),
                   Organisation.id.in_(select(_window(profile).c.organisation_id))))
    if profile.leader:
        stmt = stmt.where(Organisation.type.in_(sorted(t.value for t in LEADER_ELIGIBLE_TYPES)))
    if profile.linked:
        stmt = stmt.where(Organisation.id.not_in(sorted(profile.linked)))
    if not profile.needs:
        # The implicit need (matching.effective_needs): the project's own themes, any type, from anywhere.
        return stmt.where(OrganisationTheme.theme_id.in_(sorted(profile.themes))).group_by(Organisation.id)
    needs, need_themes, need_types = (PartnerNeed.__table__, PartnerNeedTheme.__table__,
                                      PartnerNeedType.__table__)
    towns = Municipality.__table__
    return (stmt
            .join(need_themes, need_themes.c.theme_id == OrganisationTheme.theme_id)
            .join(needs, needs.c.id == need_themes.c.need_id)
            .join(towns, towns.c.id == Organisation.municipality_id)
            .where(needs.c.project_id == profile.id, needs.c.id.in_(sorted(n.id for n in profile.needs)),
                   exists().where(need_types.c.need_id == needs.c.id, need_types.c.type == Organisation.type),
                   or_(needs.c.origin == Origin.ANY.value,
                       and_(needs.c.origin == Origin.MUNICIPALITY.value,
                            needs.c.origin_municipality_id == Organisation.municipality_id),
                       and_(needs.c.origin == Origin.COUNTRY.value, needs.c.origin_country == towns.c.country)),
                   # matching.fits_role: a funder is never a co-applicant.
                   or_(needs.c.role != PartnerRole.CO_APPLICANT.value, Organisation.funder.is_(False)))
            .group_by(Organisation.id, needs.c.id))


def _candidate_bounds(profile: ProjectProfile, today: dt.date, limit: int):
    """SQL: the organisations that can be in the top ``limit``, with their score's upper bound, best first.

    Mirrors matching.score() part by part (the tests check the two agree):

    1. ``candidates`` (a CTE): the offered-themes part of the score for each organisation's best need
       (the largest ``offered`` of ``_offered_per_need``, times the points per theme);
    2. since one offered theme outweighs every other part together (matching.MAX_BONUS < OFFER_POINTS),
       only the tier of the ``limit``-th best offered part and above can make the top ``limit``: the
       other parts are computed for those rows only, so the work stays small however many organisations
       offer one of the themes.
    """
    if not profile.needs and not profile.themes:
        return None
    per_need = _offered_per_need(profile).subquery("per_need")
    offer = (func.max(per_need.c.offered) * matching.OFFER_POINTS).label("offer")
    candidates = select(per_need.c.id, offer).group_by(per_need.c.id).cte("candidates")
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

    Among the window of candidates (``_window``: exact while fewer than ORGANISATION_WINDOW organisations
    offer each needed theme), narrowed and ordered in SQL (``_candidate_bounds``), scored exactly in Python
    (matching.score) for the reasons, fetched in batches until no unfetched candidate could enter the top
    ``limit`` (one batch in practice): a bounded number of queries whatever the number of organisations.
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
        # a generic plan (exchange.db.generic_plan): 2.1 ms where PostgreSQL's planning it anew took 4.2
        rows = db.session.execute(generic_plan(stmt.limit(batch_size).offset(offset))).all()
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


def suggestions_per_need(project: Project, needs: list[PartnerNeed], today: dt.date | None = None,
                         limit: int = SUGGESTIONS) -> list[tuple[PartnerNeed | None, list[tuple[Suggestion, Organisation]]]]:
    """Suggestions grouped by the project's partner needs, in the needs' order (issue 14: a second need,
    "an expert from Italy", used to vanish behind the first): for each need, the best ``limit``
    organisations for that need alone, each in the need's role. A project listing no needs has one group
    (None: its own themes). An organisation may appear under several needs. A bounded number of queries
    per need; projects list a handful of needs."""
    profile = project_profile(project, needs)
    if not needs:
        return [(None, suggestions_for_project(project, profile, today, limit))]
    groups = []
    for row, need in zip(needs, profile.needs, strict=True):
        single = dataclasses.replace(profile, needs=(need,))
        groups.append((row, suggestions_for_project(project, single, today, limit)))
    return groups


# --- suggestions for an organisation (the reverse view) --------------------------------------------

def suggestions_for_organisation(org: Organisation, today: dt.date | None = None,
                                 limit: int = SUGGESTIONS) -> list[tuple[Suggestion, Project]]:
    """Open projects the organisation would suit, best first, with the same explained score.

    Narrowed in SQL to a window of open projects with a need (or, listing none, a theme) among the
    organisation's offers (the WINDOW most recent of each offered theme), ordered by the upper bound of
    their score; scored exactly in Python (for the reasons); fetched in keyset batches until no unfetched
    project of the window could enter the top ``limit`` (one batch in practice).
    """
    today = today or utcnow().date()
    candidate = candidate_of(org)
    if not candidate.active or not candidate.offers:
        return []
    offers = sorted(candidate.offers)
    open_statuses = [s.value for s in OPEN_FOR_PARTNERS]
    # The candidates: for each offered theme, the WINDOW most recently listed needs asking for it (of the
    # organisation's type, in an open project) and the WINDOW newest open projects listing no needs that
    # work on it, each read backwards along an index on (theme, need or project) and stopped at its bound.
    # The aggregate over every need of the theme grew with the network (411 ms at 100 000 projects: issue
    # 12); the window is exact while fewer needs ask for a theme, and otherwise suggests among the
    # freshest needs, which are the ones still looking for partners.
    branches = []
    for theme_id in offers:
        branches.append(select(PartnerNeed.project_id.label("project_id"))
                        .select_from(PartnerNeedTheme).join(PartnerNeed, PartnerNeed.id == PartnerNeedTheme.need_id)
                        .join(Project, Project.id == PartnerNeed.project_id)
                        .where(PartnerNeedTheme.theme_id == theme_id, Project.status.in_(open_statuses),
                               exists().where(PartnerNeedType.need_id == PartnerNeed.id,
                                              PartnerNeedType.type == org.type))
                        .order_by(PartnerNeedTheme.need_id.desc()).limit(WINDOW).subquery())
        branches.append(select(ProjectTheme.project_id.label("project_id"))
                        .join(Project, Project.id == ProjectTheme.project_id)
                        .where(ProjectTheme.theme_id == theme_id, Project.status.in_(open_statuses),
                               ~exists().where(PartnerNeed.project_id == ProjectTheme.project_id))
                        .order_by(ProjectTheme.project_id.desc()).limit(WINDOW).subquery())
    # Read apart, as ids: the statement below stays small to plan (on PostgreSQL, planning it with the
    # window inside took as long as running it).
    window = union_all(*(select(b.c.project_id) for b in branches)).subquery("window")
    # A generic plan (exchange.db.generic_plan): PostgreSQL planned the window's branches anew each time,
    # 7.5 ms, where running them with the plan it keeps takes 1.6.
    in_window = sorted(set(db.session.scalars(generic_plan(select(window.c.project_id)))))
    need_hits = (select(PartnerNeed.project_id.label("project_id"), func.count().label("hits"))
                 .join(PartnerNeedTheme, PartnerNeedTheme.need_id == PartnerNeed.id)
                 .where(PartnerNeed.project_id.in_(in_window), PartnerNeedTheme.theme_id.in_(offers),
                        exists().where(PartnerNeedType.need_id == PartnerNeed.id, PartnerNeedType.type == org.type))
                 .group_by(PartnerNeed.id))
    implicit_hits = (select(ProjectTheme.project_id.label("project_id"), func.count().label("hits"))
                     .where(ProjectTheme.project_id.in_(in_window), ProjectTheme.theme_id.in_(offers),
                            ~exists().where(PartnerNeed.project_id == ProjectTheme.project_id))
                     .group_by(ProjectTheme.project_id))
    hits = need_hits.union_all(implicit_hits).subquery()
    per_project = (select(hits.c.project_id, func.max(hits.c.hits).label("hits"))
                   .group_by(hits.c.project_id).subquery("per_project"))
    linked = select(Partnership.project_id).where(Partnership.organisation_id == org.id,
                                                  Partnership.status != PartnershipStatus.DECLINED.value)
    # The score's upper bound per project, every part of matching.score() mirrored in SQL (as
    # _candidate_bounds does for the other direction): ordering by it puts the top ``limit`` in the first
    # batch in practice. Ordering by the offered part alone left thousands of projects tied, read in
    # OFFSET batches that re-ran the aggregate each time (6.7 s and 228 statements at 100 000: issue 12).
    themes_t, participations_t, towns = (ProjectTheme.__table__, ProjectParticipation.__table__,
                                         Municipality.__table__)
    sought = 0
    if candidate.seeks:
        sought = _capped(select(func.count()).select_from(themes_t).where(
            themes_t.c.project_id == Project.id, themes_t.c.theme_id.in_(sorted(candidate.seeks)))
            .scalar_subquery(), matching.SEEK_MAX_THEMES) * matching.SEEK_POINTS
    participates = or_(Project.lead_municipality_id == candidate.municipality_id,
                       exists().where(participations_t.c.project_id == Project.id,
                                      participations_t.c.municipality_id == candidate.municipality_id,
                                      participations_t.c.status == ParticipationStatus.ACCEPTED.value))
    bound = (per_project.c.hits * matching.OFFER_POINTS + sought
             + case((towns.c.default_locale.in_(sorted(candidate.languages) or [""]), matching.LANGUAGE_POINTS),
                    else_=0)
             + case((participates, 0), else_=matching.NEW_MUNICIPALITY_POINTS)
             + (matching.FRESH_POINTS if matching.is_fresh(candidate, today) else 0))
    stmt = (select(Project.id, Project.lead_municipality_id, towns.c.default_locale, bound.label("bound"))
            .join(per_project, per_project.c.project_id == Project.id)
            .join(towns, towns.c.id == Project.lead_municipality_id)
            .where(Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]), Project.id.not_in(linked))
            .order_by(bound.desc(), Project.id.desc()))
    found: list[Suggestion] = []
    last = None
    while True:
        # keyset, not OFFSET: the next batch starts after the last row fetched (bound desc, id desc)
        page = stmt if last is None else stmt.where(
            or_(bound < last.bound, and_(bound == last.bound, Project.id < last.id)))
        rows = db.session.execute(page.limit(BATCH)).all()
        for profile in _profiles_of(rows):
            suggestion = matching.score(candidate, profile, today)
            if suggestion is not None:
                found.append(suggestion)
        found = matching.rank_projects(found, limit)
        if len(rows) < BATCH:
            break
        last = rows[-1]
        # settled: an unfetched project scores at most its bound (<= last.bound) and, on an equal bound,
        # has a smaller id, so it ranks after found[-1] (rank_projects: score desc, newest first)
        if len(found) >= limit and (found[-1].score > last.bound
                                    or (found[-1].score == last.bound and found[-1].project_id >= last.id)):
            break
    # Only the projects shown are loaded as objects, with what the page shows of them: their titles.
    ids = [s.project_id for s in found]
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(ids))
                                                     .options(selectinload(title_texts())))} if ids else {}
    return [(s, projects[s.project_id]) for s in found if s.project_id in projects]


def _profiles_of(rows) -> list[ProjectProfile]:
    """What matching needs to know about these projects ((id, lead municipality id, lead locale) rows),
    read as plain rows: themes, accepted participants, LEADER funding, needs with their themes and types
    (five statements whatever the number of rows). Building a batch of Project objects with their texts,
    lines and participations cost more than the rest of the page (issue 12). The child tables are read
    through Core for projects the caller read in scope; ``linked`` is left empty (the caller's SQL
    excluded the projects the organisation is linked to)."""
    ids = [row[0] for row in rows]
    if not ids:
        return []
    themes_t, parts_t, lines_t = (ProjectTheme.__table__, ProjectParticipation.__table__,
                                  FundingLine.__table__)
    needs_t, need_themes_t, need_types_t = (PartnerNeed.__table__, PartnerNeedTheme.__table__,
                                            PartnerNeedType.__table__)
    themes: dict[int, set[int]] = {i: set() for i in ids}
    for project_id, theme_id in db.session.execute(select(themes_t.c.project_id, themes_t.c.theme_id)
                                                   .where(themes_t.c.project_id.in_(ids))):
        themes[project_id].add(theme_id)
    participating: dict[int, set[int]] = {i: set() for i in ids}
    for project_id, municipality_id in db.session.execute(
            select(parts_t.c.project_id, parts_t.c.municipality_id)
            .where(parts_t.c.project_id.in_(ids), parts_t.c.status == ParticipationStatus.ACCEPTED.value)):
        participating[project_id].add(municipality_id)
    leader = set(db.session.scalars(select(lines_t.c.project_id).distinct().where(
        lines_t.c.project_id.in_(ids), lines_t.c.source == FundingSource.EU_LEADER.value)))
    need_rows = db.session.execute(select(needs_t).where(needs_t.c.project_id.in_(ids))
                                   .order_by(needs_t.c.id)).all()
    need_ids = [n.id for n in need_rows]
    need_themes: dict[int, set[int]] = {i: set() for i in need_ids}
    need_types: dict[int, set[str]] = {i: set() for i in need_ids}
    if need_ids:
        for need_id, theme_id in db.session.execute(select(need_themes_t.c.need_id, need_themes_t.c.theme_id)
                                                    .where(need_themes_t.c.need_id.in_(need_ids))):
            need_themes[need_id].add(theme_id)
        for need_id, kind in db.session.execute(select(need_types_t.c.need_id, need_types_t.c.type)
                                                .where(need_types_t.c.need_id.in_(need_ids))):
            need_types[need_id].add(kind)
    needs: dict[int, list[Need]] = {i: [] for i in ids}
    for n in need_rows:
        needs[n.project_id].append(Need(n.id, frozenset(need_themes[n.id]), frozenset(need_types[n.id]), n.role,
                                        n.origin, n.origin_municipality_id, n.origin_country))
    return [ProjectProfile(project_id, lead_id, lead_locale, frozenset(themes[project_id]),
                           frozenset({lead_id} | participating[project_id]), tuple(needs[project_id]),
                           project_id in leader)
            for project_id, lead_id, lead_locale, *_rest in rows]
