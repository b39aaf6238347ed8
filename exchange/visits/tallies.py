"""The reports' figures as running counts (issue 12).

Why counts kept up to date rather than an index: the report page showed five aggregates over every visit,
participant and follow-up action of the network (1.9 s at 100 000 visits). No index answers "visits per
pair of municipalities" or "participants per year and home municipality of the visits Kungälv takes part
in" without reading every matching row, on SQLite or PostgreSQL; a few hundred small rows of counts
(``VisitTally``) do, whatever the size of the network.

How they stay right:

* every service that changes what a report counts (a visit's dates, status, municipalities or themes,
  its participants, its follow-up actions, deleting it) runs inside ``tracked(visit)``: the visit's
  contribution to every count is read before and after, and the difference added, in the same
  transaction (so a rolled-back change leaves the counts as they were);
* the figures depend on the day (a visit counts once it has begun, an action is overdue after its due
  date), so the counts hold as of a stored day (``VisitTallyDate``); the reader adds what changed since
  that day (the visits begun and the actions fallen due since, a handful) and the recurring job
  ``visits.roll_tallies`` moves the day forward;
* a figure the report ranks by is kept as its own count too (``people_town``: the participants per home
  municipality over all years, besides per year), so the ranking reads the top of an index;
* ``rebuild()`` computes everything from scratch: the migration's backfill, the data generator, a
  database without the stored day (it heals itself on the first change).

Writers take the stored day's row ``FOR UPDATE`` (PostgreSQL; SQLite writes one at a time anyway), so
two changes never add to the same count at once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import and_, case, delete, func, insert, select, true, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from exchange.extensions import db
from exchange.visits.models import FollowUp, Participant, Visit, VisitMunicipality, VisitStatus, VisitTheme
from exchange.visits.models.tallies import VisitTally, VisitTallyDate

# Core tables: the counts are about every visit of the network, whoever reads them (the figures for one
# municipality's readers carry its id in ``viewer_id``).
_V, _VM, _VT = Visit.__table__, VisitMunicipality.__table__, VisitTheme.__table__
_P, _F = Participant.__table__, FollowUp.__table__
_T, _D = VisitTally.__table__, VisitTallyDate.__table__

NETWORK = 0
OPEN, DONE, OVERDUE = 0, 1, 2
Key = tuple[str, int, int, int, int]  # (figure, viewer_id, year, a, b)


def _year(column):
    return func.extract("year", column)


def _visit_figures(where, as_of: dt.date) -> Counter:
    """The counts of the visits matching ``where`` that have begun by ``as_of`` and are not cancelled."""
    counted = and_(where, _V.c.status != VisitStatus.CANCELLED.value, _V.c.start_date <= as_of)
    year = _year(_V.c.start_date)
    out: Counter = Counter()
    for y, n in db.session.execute(select(year, func.count()).where(counted).group_by(year)):
        out[("year", NETWORK, int(y), 0, 0)] += n
    for host, visitor, n in db.session.execute(
            select(_V.c.host_municipality_id, _VM.c.municipality_id, func.count())
            .select_from(_V.join(_VM, _VM.c.visit_id == _V.c.id)).where(counted)
            .group_by(_V.c.host_municipality_id, _VM.c.municipality_id)):
        out[("pair", NETWORK, 0, min(host, visitor), max(host, visitor))] += n
    for theme_id, n in db.session.execute(
            select(_VT.c.theme_id, func.count()).select_from(_V.join(_VT, _VT.c.visit_id == _V.c.id))
            .where(counted).group_by(_VT.c.theme_id)):
        out[("theme", NETWORK, 0, theme_id, 0)] += n
    people = _V.join(_P, _P.c.visit_id == _V.c.id)
    for viewer, source in ((_V.c.host_municipality_id, people),
                           (_VM.c.municipality_id, people.join(_VM, _VM.c.visit_id == _V.c.id))):
        for who, y, town, n in db.session.execute(
                select(viewer, year, _P.c.municipality_id, func.count()).select_from(source).where(counted)
                .group_by(viewer, year, _P.c.municipality_id)):
            out[("people", who, int(y), town, 0)] += n
            out[("people_town", who, 0, town, 0)] += n  # all years: the report's top home municipalities
    return out


def _follow_up_figures(where, overdue_before: dt.date, statuses: bool = True) -> Counter:
    """The follow-up actions matching ``where`` per reading municipality: open and done (``statuses``)
    and overdue (open, due before ``overdue_before``)."""
    late = case((and_(_F.c.status == "open", _F.c.due_date < overdue_before), 1), else_=0)
    actions = _F.join(_V, _V.c.id == _F.c.visit_id)
    out: Counter = Counter()
    for viewer, source in ((_V.c.host_municipality_id, actions),
                           (_VM.c.municipality_id, actions.join(_VM, _VM.c.visit_id == _V.c.id))):
        for who, status, n, overdue in db.session.execute(
                select(viewer, _F.c.status, func.count(), func.sum(late)).select_from(source).where(where)
                .group_by(viewer, _F.c.status)):
            if statuses:
                out[("follow_up", who, 0, DONE if status == "done" else OPEN, 0)] += n
            out[("follow_up", who, 0, OVERDUE, 0)] += int(overdue or 0)
    return out


def _involvement_figures(where) -> Counter:
    """The visits matching ``where`` that each municipality hosts or visits, whatever their status and
    dates (figure ``visits``): how many a municipality has chooses the shape of the statements that read
    them (queries.has_few_visits), and does not change with the day."""
    out: Counter = Counter()
    for viewer, source in ((_V.c.host_municipality_id, _V),
                           (_VM.c.municipality_id, _V.join(_VM, _VM.c.visit_id == _V.c.id))):
        for who, n in db.session.execute(select(viewer, func.count()).select_from(source).where(where)
                                         .group_by(viewer)):
            out[("visits", who, 0, 0, 0)] += n
    return out


def _everything(as_of: dt.date) -> Counter:
    return _visit_figures(true(), as_of) + _follow_up_figures(true(), as_of) + _involvement_figures(true())


def _contribution(visit_id: int | None, as_of: dt.date) -> Counter:
    if visit_id is None:
        return Counter()
    return (_visit_figures(_V.c.id == visit_id, as_of) + _follow_up_figures(_V.c.id == visit_id, as_of)
            + _involvement_figures(_V.c.id == visit_id))


def _since(first: dt.date, last: dt.date) -> Counter:
    """What moving the counts' day from ``first`` to a later ``last`` adds: the visits begun after
    ``first`` (by ``last``) and the open actions that fell due in between (the number of visits each
    municipality has does not depend on the day)."""
    return (_visit_figures(_V.c.start_date > first, last)
            + _follow_up_figures(and_(_F.c.status == "open", _F.c.due_date >= first), last, statuses=False))


def _difference(after: Counter, before: Counter) -> dict[Key, int]:
    keys = after.keys() | before.keys()
    return {k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)}


def _add(changes: dict[Key, int]) -> None:
    # One upsert per count (INSERT … ON CONFLICT DO UPDATE SET n = n + k, on SQLite and PostgreSQL alike):
    # an UPDATE followed by an INSERT when it found nothing would let two requests that open the same new
    # count at once both insert, and one of them fail on the primary key.
    module = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    for (figure, viewer, year, a, b), n in changes.items():
        stmt = module.insert(_T).values(figure=figure, viewer_id=viewer, year=year, a=a, b=b, n=n)
        db.session.execute(stmt.on_conflict_do_update(index_elements=[_T.c.figure, _T.c.viewer_id, _T.c.year,
                                                                      _T.c.a, _T.c.b],
                                                      set_={"n": _T.c.n + stmt.excluded.n}))


def _stored_day(lock: bool = False) -> dt.date | None:
    stmt = select(_D.c.as_of).where(_D.c.id == 1)
    return db.session.execute(stmt.with_for_update() if lock else stmt).scalar()


def rebuild(today: dt.date | None = None) -> None:
    """Every count from scratch, as of ``today``."""
    today = today or dt.date.today()
    counts = _everything(today)
    db.session.execute(delete(_T))
    rows = [{"figure": f, "viewer_id": v, "year": y, "a": a, "b": b, "n": n}
            for (f, v, y, a, b), n in counts.items() if n]
    if rows:
        db.session.execute(insert(_T), rows)
    db.session.execute(delete(_D))
    db.session.execute(insert(_D).values(id=1, as_of=today))


def roll(today: dt.date | None = None) -> int:
    """Bring the counts up to ``today`` (the recurring job); returns the number of counts changed."""
    today = today or dt.date.today()
    day = _stored_day(lock=True)
    if day is None:
        rebuild(today)
        return -1
    if day == today:
        return 0
    changes = _difference(_since(day, today), Counter()) if today > day else _difference(Counter(), _since(today, day))
    _add(changes)
    db.session.execute(update(_D).where(_D.c.id == 1).values(as_of=today))
    return len(changes)


@contextlib.contextmanager
def tracked(visit: Visit) -> Iterator[None]:
    """Keep the counts right across a change of ``visit`` (or of its participants or follow-up actions)
    made inside the block; the block flushes its changes (every service does)."""
    day = _stored_day(lock=True)
    if day is None:
        yield
        db.session.flush()
        rebuild()
        return
    db.session.flush()
    before = _contribution(visit.id, day)  # None for a visit being created: it counted nothing
    yield
    db.session.flush()
    # A deleted visit keeps its id on the object: its contribution is now nothing.
    _add(_difference(_contribution(visit.id, day), before))


# --- reading ---------------------------------------------------------------------------------------

def counts_for(viewer_id: int | None, today: dt.date | None = None) -> Counter:
    """Every count of the network and those of ``viewer_id``'s readers (None: the network's only), as of
    ``today``: the stored counts plus what changed since their day."""
    today = today or dt.date.today()
    viewers = [NETWORK] if viewer_id is None else [NETWORK, viewer_id]
    day = _stored_day()
    if day is None:  # never built (a database made without the migration): counted on the spot
        counts = _everything(today)
    else:
        counts = Counter({(f, v, y, a, b): n for f, v, y, a, b, n in db.session.execute(
            select(_T.c.figure, _T.c.viewer_id, _T.c.year, _T.c.a, _T.c.b, _T.c.n).where(_T.c.viewer_id.in_(viewers)))})
        if today > day:
            counts.update(_since(day, today))
        elif today < day:
            counts.subtract(_since(today, day))
    return Counter({k: n for k, n in counts.items() if k[1] in viewers and n})


def visits_of(municipality_id: int) -> int | None:
    """The number of visits the municipality hosts or visits (any status, any day), read from one count by
    its key; None while the counts have never been built (a database made without the migrations, until
    the recurring job or the first change of a visit builds them).

    Executed on the connection, outside the tenancy scope: the counts are global and the number only
    chooses the shape of a statement (queries.has_few_visits), never what it reads."""
    day = select(_D.c.as_of).where(_D.c.id == 1).scalar_subquery()
    number = select(_T.c.n).where(_T.c.figure == "visits", _T.c.viewer_id == municipality_id, _T.c.year == 0,
                                  _T.c.a == 0, _T.c.b == 0).scalar_subquery()
    built, n = db.session.connection().execute(select(day.is_not(None), number)).one()
    return (n or 0) if built else None


PAIR_LIMIT = 20  # the report shows the pairs with the most visits …
TOWN_LIMIT = 12  # … and the home municipalities with the most participants (a network has hundreds)


def report_counts(viewer_id: int | None, today: dt.date | None = None) -> Counter:
    """What the report page shows, in one statement whatever the size of the network: the counts per year,
    theme and follow-up status, the ``PAIR_LIMIT`` pairs with the most visits and the participants from the
    ``TOWN_LIMIT`` home municipalities with the most. On a day the counts have not been brought up to yet
    (the recurring job runs hourly) everything is read and the difference added (``counts_for``)."""
    today = today or dt.date.today()
    if _stored_day() != today:
        return counts_for(viewer_id, today)
    viewers = [NETWORK] if viewer_id is None else [NETWORK, viewer_id]
    columns = (_T.c.figure, _T.c.viewer_id, _T.c.year, _T.c.a, _T.c.b, _T.c.n)
    parts = [select(*columns).where(_T.c.viewer_id.in_(viewers), _T.c.figure.in_(("year", "theme", "follow_up"))),
             select(*columns).where(_T.c.figure == "pair", _T.c.viewer_id == NETWORK)
             .order_by(_T.c.n.desc(), _T.c.a, _T.c.b).limit(PAIR_LIMIT)]
    if viewer_id is not None:
        # The most from the totals over all years, read down the (figure, viewer, n) index: summing every
        # (year, home municipality) count of a network of a thousand municipalities first cost 2.7 ms.
        towns = (select(_T.c.a).where(_T.c.figure == "people_town", _T.c.viewer_id == viewer_id)
                 .order_by(_T.c.n.desc(), _T.c.a).limit(TOWN_LIMIT))
        parts.append(select(*columns).where(_T.c.figure == "people", _T.c.viewer_id == viewer_id,
                                            _T.c.a.in_(select(towns.subquery().c.a))))
    union = union_all(*(select(*part.subquery().c) for part in parts))
    return Counter({(f, v, y, a, b): n for f, v, y, a, b, n in db.session.execute(union) if n})
