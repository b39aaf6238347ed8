"""Reads of visits: listings with filters, the calendar month, lessons learned, reports, personal data.

The tenancy scope decides which visits exist for the reader (every visit of the network, see
models.py). Reads that gather *details* (participants, follow-ups, lessons) take ``readable``, the SQL
form of the reader's permission (permissions.details_clause); nothing here filters by the current
municipality by hand. Listings load their relationships eagerly so a page costs the same number of
queries whatever the data size.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import Date, and_, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from exchange.exports import child_rows
from exchange.listparams import among, among_selected, pair_among
from exchange.extensions import db
from exchange.i18n.formatting import collate, collation_key
from exchange.i18n.queries import like_pattern, text_matches
from exchange.i18n.search import is_common, per_row_exists
from exchange.paging import bounded_count
from exchange.municipalities.models import Municipality
from exchange.visits import tallies
from exchange.visits.models import (Cost, FollowUp, FollowUpStatus, Participant, Visit, VisitMunicipality,
                                    VisitProject, VisitStatus, VisitText, VisitTheme)
from exchange.visits.models.visit import length_days


def _listing_options(project_titles_only: bool = True):
    """What a list row shows: visitors, texts, themes and the linked projects' titles. Only the projects'
    title rows are loaded (a list never shows their summaries and descriptions, which are most of their
    text); a page that shows more of a project passes ``project_titles_only=False``."""
    from exchange.projects.models import Project, title_texts
    texts = title_texts() if project_titles_only else Project.texts
    return (
        selectinload(Visit.visiting_links),
        selectinload(Visit.texts),
        selectinload(Visit.theme_links),
        selectinload(Visit.project_links).selectinload(VisitProject.project).selectinload(texts),
    )


def _ordered(stmt):
    return stmt.order_by(Visit.start_date.desc(), Visit.start_time.desc(), Visit.id.desc())


@dataclass
class VisitFilters:
    """The list's filters; every one optional."""

    year: int | None = None
    municipality_id: int | None = None
    pair: tuple[int, int] | None = None
    theme_id: int | None = None
    status: str | None = None
    project_id: int | None = None
    since: dt.date | None = None  # under way on a day from ``since`` to ``until`` (a calendar day, a month)
    until: dt.date | None = None

    def as_args(self) -> dict:
        """For url_for() in pagination links."""
        args = {"year": self.year, "municipality": self.municipality_id, "theme": self.theme_id,
                "status": self.status, "project": self.project_id,
                "pair": f"{self.pair[0]}-{self.pair[1]}" if self.pair else None,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None}
        return {k: v for k, v in args.items() if v not in (None, "")}


FEW_VISITS = 3000  # a municipality with at most this many visits is read from its own (Visit.involves)
# … and with at most this many in a statement that counts (up to a cap) what it finds among them: a page
# walks its order and stops after a page, but a count goes on to the cap or the end. Tested on each row of
# the network, a town of a few thousand visits had every visit (or every overdue action) of 100 000 walked
# before its count ended; reading its own reads its few thousand. Measured at 100 000 visits (issue 12),
# its own win up to about 10 000 visits on both databases (the lessons naming "skola": SQLite 42-66 -> 25
# ms of SQL for a town of 10 176; its overdue actions 5.3 -> 4.0 there, 4.8 -> 6.1 on PostgreSQL), break
# even at 21 000 for the lessons and lose for the overdue actions, and lose at 36 000 (Kungälv).
FEW_VISITS_COUNTED = 12000


def visit_number(municipality_id: int) -> int:
    """How many visits the municipality hosts or visits, once per request and municipality: read from the
    running counts (``tallies.visits_of``, one key), or while those were never built, counted from the
    index of hosts and the index of visitors up to the largest threshold + 1 entries of each (enough to
    tell every threshold; a sum of capped sides exceeds a threshold whenever the true number does)."""
    known = g.setdefault("_visit_numbers", {})
    if municipality_id not in known:
        number = tallies.visits_of(municipality_id)
        if number is None:
            limit = max(_threshold(False), _threshold(True))
            hosted = select(Visit.id).where(Visit.host_municipality_id == municipality_id).limit(limit + 1)
            visited = (select(VisitMunicipality.visit_id)
                       .where(VisitMunicipality.municipality_id == municipality_id).limit(limit + 1))
            number = db.session.connection().scalar(select(
                select(func.count()).select_from(hosted.subquery()).scalar_subquery()
                + select(func.count()).select_from(visited.subquery()).scalar_subquery()))
        known[municipality_id] = number
    return known[municipality_id]


def _threshold(counting: bool) -> int:
    config = current_app.config
    return config.get("FEW_VISITS_COUNTED", FEW_VISITS_COUNTED) if counting else config.get("FEW_VISITS", FEW_VISITS)


def has_few_visits(municipality_id: int, counting: bool = False) -> bool:
    """The municipality hosts or visits at most ``FEW_VISITS`` (configurable) visits, or for a statement
    that counts, ``FEW_VISITS_COUNTED``: then its visits are best read from its own (``involving``).

    Executed on the connection, outside the tenancy scope, as ``exchange.i18n.search.is_common``: the
    number only chooses the shape of the caller's statement, which decides with the scope what is read.
    A number gone wrong (counts not kept by some path) would cost time, never show another visit."""
    return visit_number(municipality_id) <= _threshold(counting)


def involving(municipality_id: int, counting: bool = False):
    """SQL: visits the municipality hosts or visits (``Visit.involves``), shaped by how many it has
    (``has_few_visits``): a small town's visits read from its own, a large one's tested on each visit a
    list walks. Either way the same visits. ``counting``: for a statement that counts what it finds."""
    return Visit.involves(municipality_id, few=has_few_visits(municipality_id, counting))


def involving_visit(visit_id, municipality_id: int, counting: bool = False):
    """SQL: the visit of a child row (``visit_id``, e.g. ``FollowUp.visit_id``) involves the municipality,
    shaped as ``involving``: one of a small town's own visits, so that the children's index on their visit
    drives the statement (a town's overdue follow-up actions: 23 -> 1 ms at 100 000 visits, where testing
    the visit of every overdue action of the network grew with it), or the visit tested for each child row
    walked."""
    if has_few_visits(municipality_id, counting):
        return among_selected(visit_id, Visit.ids_involving(municipality_id))
    return exists().where(Visit.id == visit_id, Visit.involves(municipality_id))


def filtered_visits(filters: VisitFilters):
    """The visits matching the filters, newest first, with what a list row shows; paginate the result."""
    stmt = select(Visit).options(*_listing_options())
    if filters.year:
        stmt = stmt.where(Visit.start_date >= dt.date(filters.year, 1, 1),
                          Visit.start_date <= dt.date(filters.year, 12, 31))
    if filters.municipality_id:
        stmt = stmt.where(involving(filters.municipality_id))
    if filters.pair:
        first, second = filters.pair
        stmt = stmt.where(involving(first), involving(second))
    if filters.theme_id:
        stmt = stmt.where(Visit.theme_links.any(VisitTheme.theme_id == filters.theme_id))
    if filters.status:
        stmt = stmt.where(Visit.status == filters.status)
    if filters.project_id:
        stmt = stmt.where(Visit.project_links.any(VisitProject.project_id == filters.project_id))
    if filters.since:
        # under way on ``since`` or later; begun within the longest visit's reach, which bounds the index scan
        stmt = stmt.where(Visit.end_date >= filters.since, in_reach_of(filters.since))
    if filters.until:
        stmt = stmt.where(Visit.start_date <= filters.until)
    return _ordered(stmt)


def visit_detail(visit_id: int) -> Visit | None:
    """One visit with everything its page shows, or None (unknown id)."""
    from exchange.projects.models import Project
    return db.session.scalar(select(Visit).where(Visit.id == visit_id).options(
        *_listing_options(project_titles_only=False),
        selectinload(Visit.agenda_items), selectinload(Visit.participants), selectinload(Visit.costs),
        selectinload(Visit.follow_ups),
        selectinload(Visit.project_links).selectinload(VisitProject.project).selectinload(Project.funding_lines),
    ))


CALENDAR_PER_DAY = 2  # visits shown in one day of the month grid; the others behind "+N more"


@dataclass
class CalendarVisit:
    """What the calendar shows of a visit: plain values read as columns (no visit objects and their
    relationships built for a hundred links), with the names for its title."""

    id: int
    start_date: dt.date
    start_time: dt.time | None
    end_date: dt.date
    end_time: dt.time | None
    status: str
    host_name: str
    visitor_names: list[str]
    # set by the page (exchange.visits.calendar.month): its title and the link to its page, made once for
    # the cells of every day it is under way
    title: str = ""
    link: str = ""

    @property
    def status_enum(self) -> VisitStatus:
        return VisitStatus(self.status)


@dataclass
class CalendarVisits:
    """What the month grid shows: ``counts`` of the visits under way on each day of the grid, the first
    ``per day`` of each day's visits by start (``shown``, ids by day) and those visits."""

    counts: dict[dt.date, int]
    shown: dict[dt.date, list[int]]
    visits: dict[int, CalendarVisit]
    groups: list[tuple[dt.date, dt.date, int]]  # (first day, last day, number of visits) of every group

    def total(self, first: dt.date, last: dt.date) -> int:
        """The number of visits under way on some day of first..last (within the days asked for)."""
        return sum(size for start, end, size in self.groups if start <= last and end >= first)


def start_order(start_date: dt.date, start_time: dt.time | None, visit_id: int) -> tuple:
    """A visit's place in a day of the calendar: by first day, all-day visits before timed ones, then by
    time and id (the same order as ``calendar_visits`` asks of the database, on both databases)."""
    return start_date, start_time is not None, start_time or dt.time.min, visit_id


# The calendar reads plain columns of the tables (Core selects, still executed through the session and its
# tenancy guard): an ORM select of columns builds each row through the ORM's loading, about as costly as
# reading it, for a few hundred rows of a busy month (issue 12). Visits are the network's (every municipality
# sees that a visit takes place, models.Visit.tenancy_visible_to_all): no rule of the scope is left out.
_visits, _visitors, _towns = Visit.__table__, VisitMunicipality.__table__, Municipality.__table__
_host, _visitor = _towns.alias("host"), _towns.alias("visitor")


def in_reach_of(day: dt.date):
    """SQL: the visit began at most the longest visit's length before ``day``. True of every visit still
    under way on ``day`` or later, and the bound that lets a walk of the start_date index begin a few days
    before ``day``: "under way from ``day`` on" alone (``end_date >= day``) made SQLite visit every first
    day of the network's history (2.6 ms of the dashboard at 100 000 visits), or read every visit begun
    before ``day``. The longest length is a subquery read from the end of its index (models.visit)."""
    dialect = db.session.get_bind().dialect.name
    longest = select(func.max(length_days(dialect))).scalar_subquery()
    if dialect == "sqlite":  # dates are ISO text there, and date() shifts one by a modifier ("-4 days")
        return _visits.c.start_date >= func.date(day, func.printf("-%d days", func.coalesce(longest, 0)))
    return _visits.c.start_date >= literal(day, Date) - func.coalesce(longest, 0)


def calendar_visits(first: dt.date, last: dt.date, per_day: int = CALENDAR_PER_DAY) -> CalendarVisits:
    """The visits under way on the days first..last (a month grid): the number on each day and the first
    ``per_day`` of each day by start, in three statements whatever the number of visits (issue 12).
    Not every visit of a busy month loaded and drawn, as before: a network has hundreds a month.

    1. The visits are counted per (first day, last day) from the (start_date, end_date, start_time)
       index alone: a few hundred groups for a busy month, whatever the number of visits, and each day's
       count is the sum of the groups under way on it.
    2. A day's first visits begin on the earliest first days of its groups, up to the first day by
       which it holds ``per_day`` visits: the visits of those first days are read from the same index
       (id, first and last day, time: plain columns), and each day takes its first ``per_day``.
    3. The chosen visits (at most ``per_day`` a day) are read with their host's and visitors' names,
       for the titles."""
    # No visit lasts longer than the longest (``in_reach_of``): the lower bound keeps the scan of the index
    # to the visits that can still be under way (a few days before the month), not every visit of a year.
    assert Visit.tenancy_visible_to_all  # the Core selects below apply no rule of the scope
    v = _visits.c
    groups = [tuple(row) for row in db.session.execute(
        select(v.start_date, v.end_date, func.count())
        .where(v.start_date <= last, in_reach_of(first), v.end_date >= first)
        .group_by(v.start_date, v.end_date)).all()]
    # Each day's count, and its earliest first days until they hold ``per_day`` visits under way on it:
    # the groups by first day, each added to the days it is under way (by position in first..last).
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    day_counts, day_starts, held = [0] * len(days), [[] for _day in days], [0] * len(days)
    for start, end, size in sorted(groups):
        for n in range((max(start, first) - first).days, (min(end, last) - first).days + 1):
            day_counts[n] += size
            if held[n] < per_day:
                if not day_starts[n] or day_starts[n][-1] != start:
                    day_starts[n].append(start)
                held[n] += size
    counts = {day: n for day, n in zip(days, day_counts) if n}
    wanted = {day: starts for day, starts in zip(days, day_starts) if starts}
    # The visits that begin on those first days, as plain index columns, in start order per first day;
    # each day takes the first ``per_day`` still under way on it.
    # A first day is read from the earliest day that wants it: the visits of 1 May ended by 4 May are not
    # read for 5 May (a busy month: a few hundred rows, not every visit that began in it). The groups of
    # the first query name those visits as (first day, last day) pairs, bound as one parameter (a JSON
    # list, ``pair_among``): the statement has one text whatever the month, built, compiled and prepared
    # once (a condition per first day, then a placeholder per pair, cost more than reading the rows:
    # issue 12), and each pair is a seek of the (start_date, end_date, start_time) index.
    since: dict[dt.date, dt.date] = {}
    for day, day_starts in wanted.items():
        for start in day_starts:
            since[start] = min(since.get(start, day), day)
    pairs = [(start, end) for start, end, _size in groups if start in since and end >= since[start]]
    rows = db.session.execute(
        select(v.id, v.start_date, v.start_time, v.end_date)
        .where(pair_among(v.start_date, v.end_date)), {"pairs": pairs}).all() if pairs else []
    by_start: dict[dt.date, list[tuple]] = defaultdict(list)
    for visit_id, start_date, start_time, end_date in rows:
        by_start[start_date].append((start_order(start_date, start_time, visit_id), end_date))
    for visits_of_day in by_start.values():
        visits_of_day.sort()
    shown: dict[dt.date, list[int]] = {}
    for day, day_starts in wanted.items():
        picked = shown[day] = []
        for start in day_starts:
            for key, end_date in by_start.get(start, ()):
                if end_date >= day:
                    picked.append(key[-1])
                    if len(picked) == per_day:
                        break
            if len(picked) == per_day:
                break
    ids = {i for day_ids in shown.values() for i in day_ids}
    # One select of columns, a row per visitor.
    visits: dict[int, CalendarVisit] = {}
    for *columns, visitor_name in db.session.execute(
            select(v.id, v.start_date, v.start_time, v.end_date, v.end_time, v.status, _host.c.name, _visitor.c.name)
            .select_from(_visits)
            .join(_host, _host.c.id == v.host_municipality_id)
            .outerjoin(_visitors, _visitors.c.visit_id == v.id)
            .outerjoin(_visitor, _visitor.c.id == _visitors.c.municipality_id)
            .where(among(v.id)), {"ids": sorted(ids)}).all():
        found = visits.get(columns[0])
        if found is None:
            found = visits[columns[0]] = CalendarVisit(*columns, [])
        if visitor_name is not None:
            found.visitor_names.append(visitor_name)
    return CalendarVisits(counts, {d: [i for i in v if i in visits] for d, v in shown.items()}, visits, groups)


def visits_involving(municipality_id: int, since: dt.date):
    """A municipality's own visits from ``since`` on (its calendar feed: the feed's subject, not a scope)."""
    return list(db.session.scalars(
        select(Visit).options(selectinload(Visit.visiting_links), selectinload(Visit.texts))
        .where(involving(municipality_id), Visit.end_date >= since, in_reach_of(since))
        .order_by(Visit.start_date, Visit.id)))


def years() -> list[int]:
    """The years that have visits, newest first (for the year filter)."""
    # Two scalar subqueries, each one end of the start_date index: SQLite answers `min(x), max(x)` in one
    # SELECT by scanning every visit (8 ms at 100 000, issue 12), a lone min() or max() by one index seek.
    first, last = db.session.execute(select(select(func.min(Visit.start_date)).scalar_subquery(),
                                            select(func.max(Visit.start_date)).scalar_subquery())).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))


def upcoming(today: dt.date, limit: int = 5) -> list[Visit]:
    """The next visits that are not cancelled."""
    return list(db.session.scalars(
        select(Visit).options(selectinload(Visit.visiting_links))
        .where(Visit.end_date >= today, in_reach_of(today), Visit.status != VisitStatus.CANCELLED.value)
        .order_by(Visit.start_date, Visit.id).limit(limit)))


def dashboard_visits(today: dt.date, closing_readable=None, upcoming_limit: int = 5,
                     closing_limit: int = 10) -> tuple[list[Visit], list[Visit]]:
    """The dashboard's visits in one round trip: the next visits that are not cancelled, and (when
    ``closing_readable`` is given: the visits its reader may edit) those whose last day has passed while
    they are still planned or confirmed (did they take place?), oldest first. The two sets never overlap
    (one ends today or later, the other before)."""
    parts = [select(Visit.id).where(Visit.end_date >= today, in_reach_of(today),
                                    Visit.status != VisitStatus.CANCELLED.value)
             .order_by(Visit.start_date, Visit.id).limit(upcoming_limit).subquery()]
    if closing_readable is not None:
        # One branch per open status, each walking the (status, end_date) index oldest first and stopping
        # at the limit: `status IN (…) ORDER BY end_date` would collect and sort every past visit of the
        # network first (issue 12).
        parts += [select(Visit.id).where(closing_readable, Visit.status == status, Visit.end_date < today)
                  .order_by(Visit.end_date, Visit.id).limit(closing_limit).subquery()
                  for status in Visit.OPEN_STATUSES]
    ids = union_all(*(select(part.c.id) for part in parts)) if len(parts) > 1 else select(parts[0].c.id)
    # Joined, not selectin: the dashboard's budget of queries stays the same with or without rows.
    # "unnested": a chain of LEFT OUTER JOINs. The default nests the link's inner join to its municipality
    # in parentheses, which SQLite materialises for every visit of the network before it joins (seconds
    # at 100 000 visits, issue 12).
    visits = list(db.session.scalars(select(Visit).options(
        joinedload(Visit.visiting_links).joinedload(VisitMunicipality.municipality, innerjoin="unnested"))
                                     .where(Visit.id.in_(ids)).order_by(Visit.start_date, Visit.id)).unique())
    closing = sorted((v for v in visits if v.needs_closing(today)), key=lambda v: (v.end_date, v.id))[:closing_limit]
    return [v for v in visits if not v.needs_closing(today)], closing


# --- lessons learned ----------------------------------------------------------------------------

def lessons(readable, theme_id: int | None = None, term: str | None = None):
    """Visits with lessons learned that the reader may read, newest first; ``term`` matches any language
    version of the lessons (case-insensitive), ``theme_id`` one theme. Returns the statement of the list
    and the one to count it with (``paging.paginate``'s ``counted``: the same rows).

    ``readable(counting)``: the SQL of what the reader may read (``permissions.details_clause``). A page
    of a common term's matches walks the visits newest first and stops after a page; its count reads every
    match up to the cap, so it is asked with ``counting`` true: a town with a few thousand visits then
    has them read from its own (``involving``), where testing each visit of the network walked all of them.
    A rare term is read from the index's few matches, however many visits the reader has."""
    # tested per visit as the list walks its order (exchange.i18n.search.per_row_exists), never a semi-join
    # that reads every visit's lessons first (PostgreSQL)
    has_lessons = per_row_exists(select(VisitText.id).where(VisitText.owner_id == Visit.id,
                                                            VisitText.field == "lessons", VisitText.text != ""))
    in_lessons = VisitText.field == "lessons"
    common = bool(term) and is_common(VisitText, term, "text", in_lessons)

    def listed(visible):
        stmt = select(Visit).options(*_listing_options()).where(visible)
        if theme_id:
            stmt = stmt.where(Visit.theme_links.any(VisitTheme.theme_id == theme_id))
        if term:
            # the trigram index's matches for a rare term, a test per visit walked for a common one
            # (exchange.i18n.queries.text_matches); lessons containing the term are lessons: ``has_lessons``
            # would only test each visit a second time
            return stmt.where(text_matches(Visit, term, in_lessons, common=common))
        return stmt.where(has_lessons)

    return _ordered(listed(readable(False))), listed(readable(True)) if common else None


# --- follow-up actions --------------------------------------------------------------------------

def overdue_follow_ups(readable, today: dt.date, limit: int = 10,
                       cap: int | None = None) -> tuple[list[FollowUp], int]:
    """Open follow-up actions past their due date on visits the reader may read (``readable(counting)``: a
    clause over the actions, ``permissions.details_visit_clause`` for ``FollowUp.visit_id``, asked for the
    count with ``counting`` true, as ``lessons``): the first ``limit`` (oldest due first) and the total,
    counted up to ``cap`` + 1 (default: the lists' cap)."""
    overdue = (FollowUp.status == FollowUpStatus.OPEN.value, FollowUp.due_date < today)
    # The panel links each action to its visit by id: the visits themselves are not loaded (the actions'
    # texts are, with them).
    rows = list(db.session.scalars(select(FollowUp).where(*overdue, readable(False))
                                   .order_by(FollowUp.due_date, FollowUp.id).limit(limit)))
    # Counted up to the cap: the panel says "more than 100" rather than count a network's backlog.
    total = bounded_count(select(FollowUp.id).where(*overdue, readable(True)), cap)
    return rows, total


# --- exports (exchange.visits.exports): plain columns, read in batches ------------------------------
# The visits (and follow-ups) are chosen by ORM selects, so the scope applies; their links and texts are
# then read through Core for the ids of one batch (the scope already chose the visits, and these tables
# are children reached only through them).

def visit_rows_for_export():
    """Every visit of the network as plain columns, oldest first (the list's index, read forwards)."""
    return (select(Visit.id, Visit.start_date, Visit.start_time, Visit.end_date, Visit.end_time, Visit.timezone,
                   Visit.host_municipality_id, Visit.status)
            .order_by(Visit.start_date, Visit.start_time, Visit.id))


def follow_up_rows_for_export(readable):
    """The follow-up actions the reader may read, as plain columns with their visit's, by the visit's first
    day."""
    return (select(FollowUp.id, FollowUp.visit_id, FollowUp.owner, FollowUp.due_date, FollowUp.status,
                   Visit.start_date, Visit.host_municipality_id)
            .join(Visit, Visit.id == FollowUp.visit_id).where(readable)
            .order_by(Visit.start_date, Visit.start_time, Visit.id, FollowUp.id))


@dataclass
class Links:
    """The links of a batch of visits by visit id: visiting municipalities, themes and linked projects."""

    visitors: dict[int, list[int]]
    themes: dict[int, list[int]]
    projects_of: dict[int, list[int]]

    @property
    def projects(self) -> set[int]:
        return {p for ps in self.projects_of.values() for p in ps}


def visit_links_of(ids: list[int], themes: bool = True, projects: bool = True) -> Links:
    """The links of these visits, one query per kind (the ids bound as one list: ``among``)."""
    links = Links(defaultdict(list), defaultdict(list), defaultdict(list))
    if not ids:
        return links
    towns, topics, linked = VisitMunicipality.__table__, VisitTheme.__table__, VisitProject.__table__
    for visit_id, municipality_id in child_rows(
            select(towns.c.visit_id, towns.c.municipality_id).where(among(towns.c.visit_id)), ids):
        links.visitors[visit_id].append(municipality_id)
    # themes and projects in id order: each visit's few ids are sorted here (not a sort step per batch)
    if themes:
        for visit_id, theme_id in child_rows(
                select(topics.c.visit_id, topics.c.theme_id).where(among(topics.c.visit_id)), ids):
            links.themes[visit_id].append(theme_id)
        for theme_ids in links.themes.values():
            theme_ids.sort()
    if projects:
        for visit_id, project_id in child_rows(
                select(linked.c.visit_id, linked.c.project_id).where(among(linked.c.visit_id)), ids):
            links.projects_of[visit_id].append(project_id)
        for project_ids in links.projects_of.values():
            project_ids.sort()
    return links


def visit_texts_of(ids: list[int]) -> tuple[dict[int, dict[tuple[str, str], str]], dict[int, str]]:
    """The purpose and lessons of these visits by (field, locale), and the original language of each
    purpose. Only ever called with the ids of visits whose details the reader may read."""
    texts: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
    source: dict[int, str] = {}
    if not ids:
        return texts, source
    table = VisitText.__table__
    for owner_id, field, locale, text, status in child_rows(
            select(table.c.owner_id, table.c.field, table.c.locale, table.c.text, table.c.status)
            .where(among(table.c.owner_id)), ids):
        texts[owner_id][(field, locale)] = text
        if field == "purpose" and status == "source":
            source[owner_id] = locale
    return texts, source


def participant_counts(ids: list[int]) -> dict[int, int]:
    """The number of participants of each of these visits (only those with any)."""
    if not ids:
        return {}
    table = Participant.__table__
    return dict(child_rows(select(table.c.visit_id, func.count()).where(among(table.c.visit_id))
                           .group_by(table.c.visit_id), ids))


def project_titles(ids: set[int], locale: str) -> dict[int, str]:
    """The titles of the projects among ``ids`` that the reader sees (the scope hides other municipalities'
    drafts: a link to one is left out, as on the visit's page), in the reader's language when there is a
    version in it, else the original (as ``Translatable.plain``)."""
    from exchange.projects.models import Project, ProjectText
    if not ids:
        return {}
    visible = select(Project.id).where(among(Project.id))  # an ORM select: the scope applies
    table = ProjectText.__table__
    own: dict[int, str] = {}
    source: dict[int, str] = {}
    for project_id, code, text, status in child_rows(
            select(table.c.project_id, table.c.locale, table.c.text, table.c.status)
            .where(among(table.c.project_id), table.c.field == "title"),
            db.session.scalars(visible, {"ids": sorted(ids)}).all()):
        if code == locale:
            own[project_id] = text
        if status == "source":
            source[project_id] = text
    return {p: own[p] if p in own and (own[p] or p not in source) else source.get(p, "")
            for p in own.keys() | source.keys()}


def follow_up_action_texts(ids: list[int]) -> dict[int, dict[str, tuple[str, str]]]:
    """Every language version of these follow-up actions: {id: {locale: (text, status)}}."""
    from exchange.visits.models import FollowUpText
    if not ids:
        return {}
    table = FollowUpText.__table__
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for owner_id, locale, text, status in child_rows(
            select(table.c.owner_id, table.c.locale, table.c.text, table.c.status)
            .where(among(table.c.owner_id), table.c.field == "action"), ids):
        texts.setdefault(owner_id, {})[locale] = (text, status)
    return texts


# --- reports -------------------------------------------------------------------------------------

# The figures come from the running counts of exchange.visits.tallies (one read for the whole page: pass
# ``counts``); a visit counts once it has begun and unless it is cancelled.

def _counts(counts, viewer_id: int | None = None):
    from exchange.visits import tallies
    return counts if counts is not None else tallies.counts_for(viewer_id)


def visits_per_year(counts=None) -> list[tuple[int, int]]:
    """(year, number of visits) for every year with visits; cancelled visits are not counted."""
    rows = {key[2]: n for key, n in _counts(counts).items() if key[0] == "year" and n}
    return sorted(rows.items())


def visits_per_pair(counts=None) -> list[tuple[Municipality, Municipality, int]]:
    """(municipality, municipality, number of visits between them, in either direction). A visit counts
    once for each pair of host and visitor; cancelled visits are not counted."""
    pairs = {(key[3], key[4]): n for key, n in _counts(counts).items() if key[0] == "pair" and n}
    towns = _towns({i for pair in pairs for i in pair})
    # Each pair in the reader's alphabet, as the filter on the visits page lists it.
    rows = [(*collate((towns[a], towns[b]), key=lambda m: m.name), n) for (a, b), n in pairs.items()
            if a in towns and b in towns]
    from exchange.visits.tallies import PAIR_LIMIT
    ranked = sorted(rows, key=lambda row: (-row[2], collation_key(row[0].name), collation_key(row[1].name)))
    return ranked[:PAIR_LIMIT]


def visits_per_theme(counts=None) -> list[tuple[object, int]]:
    """(theme, number of visits about it), most frequent first; cancelled visits are not counted."""
    from exchange.themes.models import Theme
    per_theme = {key[3]: n for key, n in _counts(counts).items() if key[0] == "theme" and n}
    if not per_theme:
        return []
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(per_theme)))
    return sorted(((t, per_theme[t.id]) for t in themes), key=lambda row: (-row[1], row[0].position))


def participants_per_year(viewer_id: int | None, counts=None
                          ) -> tuple[list[int], list[Municipality], dict[tuple[int, int], int]]:
    """Participants per year and home municipality, over the visits whose details ``viewer_id``'s readers
    read (permissions.details_municipality). Returns (years, municipalities, {(year, municipality id): count})."""
    if viewer_id is None:
        return [], [], {}
    from exchange.visits.tallies import TOWN_LIMIT
    found = {(key[2], key[3]): n for key, n in _counts(counts, viewer_id).items()
             if key[0] == "people" and key[1] == viewer_id and n}
    totals: dict[int, int] = defaultdict(int)
    for (_y, m), n in found.items():
        totals[m] += n
    shown = set(sorted(totals, key=lambda m: (-totals[m], m))[:TOWN_LIMIT])
    found = {(y, m): n for (y, m), n in found.items() if m in shown}
    towns = _towns(shown)
    return (sorted({y for y, _m in found}), collate(towns.values(), key=lambda m: m.name), found)


def follow_up_status(viewer_id: int | None, counts=None) -> dict[str, int]:
    """Follow-up actions open and done (and of the open ones, overdue) on the visits whose details
    ``viewer_id``'s readers read."""
    result = {"open": 0, "done": 0, "overdue": 0}
    if viewer_id is None:
        return result
    names = {0: "open", 1: "done", 2: "overdue"}
    for key, n in _counts(counts, viewer_id).items():
        if key[0] == "follow_up" and key[1] == viewer_id:
            result[names[key[3]]] += n
    return result


def costs_per_currency(readable) -> dict[str, list[tuple[str, object]]]:
    """Total costs per category in each currency (never summed across currencies)."""
    counted = and_(Visit.status != VisitStatus.CANCELLED.value, Visit.start_date <= dt.date.today())
    rows = db.session.execute(
        select(Cost.currency, Cost.category, func.sum(Cost.amount)).join(Cost.visit).where(readable, counted)
        .group_by(Cost.currency, Cost.category).order_by(Cost.currency, Cost.category)).all()
    result: dict[str, list] = defaultdict(list)
    for currency, category, total in rows:
        result[currency].append((category, total))
    return dict(result)


def _towns(ids: set[int]) -> dict[int, Municipality]:
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Municipality).where(Municipality.id.in_(ids)))}


# --- personal data -------------------------------------------------------------------------------

def person_records(key: str, readable) -> tuple[list[Participant], list[FollowUp]]:
    """Every participant row and follow-up owner with this person key on visits the reader may read."""
    participants = list(db.session.scalars(
        select(Participant).join(Participant.visit).where(Participant.name_key == key, readable)
        .options(selectinload(Participant.visit).selectinload(Visit.visiting_links))
        .order_by(Visit.start_date, Participant.id)))
    follow_ups = list(db.session.scalars(
        select(FollowUp).join(FollowUp.visit).where(FollowUp.owner_key == key, readable)
        .options(selectinload(FollowUp.visit).selectinload(Visit.visiting_links))
        .order_by(Visit.start_date, FollowUp.id)))
    return participants, follow_ups


def expired_participants(municipality_id: int, cutoff: dt.date) -> list[Participant]:
    """Named participants *from* this municipality whose visit ended before ``cutoff`` (retention).
    Each municipality's retention period governs its own people, whoever hosted the visit."""
    return list(db.session.scalars(
        select(Participant).join(Participant.visit)
        .where(Participant.municipality_id == municipality_id, Participant.anonymised_at.is_(None),
               Visit.end_date < cutoff)))


def municipalities() -> list[Municipality]:
    """Every municipality of the network (global records), by name in the reader's alphabet."""
    return collate(db.session.scalars(select(Municipality)), key=lambda m: m.name)


LINKABLE_PROJECTS_LIMIT = 300
FILTER_PROJECTS_LIMIT = 50


def filter_projects(selected: int | None, locale: str) -> list[tuple[int, str]]:
    """The choices of the list's "linked project" filter as (id, title in ``locale``): the newest projects
    the reader sees that visits are linked to (a project without visits would find nothing), at most
    ``FILTER_PROJECTS_LIMIT``, plus the one ``selected`` (a link from a project's page) wherever it ranks.
    The ids through the ORM (the scope hides other municipalities' drafts), then only their title rows as
    plain columns: no project objects and texts built for fifty labels (issue 12)."""
    from exchange.projects.models import Project, ProjectText
    linked = exists(select(VisitProject.project_id).where(VisitProject.project_id == Project.id))
    condition = or_(linked, Project.id == selected) if selected else linked
    ids = list(db.session.scalars(
        select(Project.id).where(condition)
        .order_by((Project.id == selected).desc() if selected else Project.id.desc(), Project.id.desc())
        .limit(FILTER_PROJECTS_LIMIT)))
    table = ProjectText.__table__
    own: dict[int, str] = {}
    source: dict[int, str] = {}
    for project_id, code, text, status in db.session.execute(
            select(table.c.project_id, table.c.locale, table.c.text, table.c.status)
            .where(table.c.project_id.in_(ids), table.c.field == "title")):
        if code == locale:
            own[project_id] = text
        if status == "source":
            source[project_id] = text
    # as Translatable.plain: the reader's language when there is a version in it, else the original
    return [(i, own[i] if own.get(i) or (i in own and i not in source) else source.get(i, "")) for i in ids]


def linkable_projects(linked: set[int] | None = None) -> list:
    """Projects a visit can be linked to: those the reader sees (the scope hides other municipalities'
    drafts) and that are not withdrawn, plus the ones already linked; newest first."""
    from exchange.projects.models import Project, ProjectStatus
    condition = Project.status != ProjectStatus.WITHDRAWN.value
    if linked:
        condition = or_(condition, Project.id.in_(linked))
    return list(db.session.scalars(select(Project).options(selectinload(Project.texts)).where(condition)
                                   .order_by(Project.id.desc()).limit(LINKABLE_PROJECTS_LIMIT)))
