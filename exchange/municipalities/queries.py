"""Reads of the global municipality records."""
from __future__ import annotations

from sqlalchemy import func, or_, select, union_all

from exchange.extensions import db
from exchange.i18n.formatting import collate
from exchange.municipalities.models import Municipality


def by_slug(slug: str) -> Municipality | None:
    """The municipality with this URL slug, or None."""
    return db.session.scalar(select(Municipality).where(Municipality.slug == slug))


def by_ids(ids) -> dict[int, Municipality]:
    """These municipalities by id (a page that names a few of them need not load the whole network)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Municipality).where(Municipality.id.in_(ids)))}


def names() -> list:
    """Every municipality's (id, name), by name in the reader's alphabet: what a form's select offers.
    Two columns as plain rows, not Municipality objects (building a thousand of them cost more than the
    rest of the page: issue 12)."""
    return collate(db.session.execute(select(Municipality.id, Municipality.name)).all(), key=lambda m: m.name)


def all_ordered() -> list[Municipality]:
    """Every municipality of the network, by name in the reader's alphabet."""
    return collate(db.session.scalars(select(Municipality)), key=lambda m: m.name)


def first_by_name(limit: int) -> tuple[list[Municipality], int]:
    """The first ``limit`` municipalities by name, and how many the network has: the dashboard names a
    few, whatever the size of the network (issue 12), and links to the page that lists them all.

    The database picks the few by its own order of the names; they are shown in the reader's alphabet
    (``collate``), which only the few need."""
    rows = db.session.scalars(select(Municipality).order_by(Municipality.name, Municipality.id).limit(limit))
    return collate(rows, key=lambda m: m.name), db.session.scalar(select(func.count()).select_from(Municipality))


# A town with more twin towns than this offers the first ones (by id) and any other through a link.
FILTER_TWINS_LIMIT = 50


def filter_choices(municipality_id: int, *selected: int | None) -> list[Municipality]:
    """The municipalities a list's "municipality" filter offers, by name: the reader's own, its twin towns
    (at most ``FILTER_TWINS_LIMIT``), and the ones already chosen (``selected``: any municipality of the
    network, e.g. from a link; None is ignored).

    Not the whole network: at hundreds of municipalities a drop-down of all of them is loaded, sorted and
    rendered on every view of the list (1 000 options at network scale, issue 12), and nobody scrolls it.
    A reader filters by the municipalities they work with; a link to another one (its name on a project,
    a bookmark) still filters by it, and the choice then stays offered. One query whatever the network's size;
    each side of the twinnings is read from its own index.
    """
    from exchange.cooperation.models import Twinning
    twins = union_all(
        select(Twinning.second_municipality_id.label("id")).where(Twinning.first_municipality_id == municipality_id),
        select(Twinning.first_municipality_id.label("id")).where(Twinning.second_municipality_id == municipality_id),
    ).subquery()
    first_twins = select(twins.c.id).order_by(twins.c.id).limit(FILTER_TWINS_LIMIT)
    wanted = {municipality_id, *(i for i in selected if i)}
    return collate(db.session.scalars(select(Municipality).where(
        or_(Municipality.id.in_(wanted), Municipality.id.in_(first_twins)))), key=lambda m: m.name)


def currencies() -> list[str]:
    """The currencies the network's municipalities use, sorted: a handful of rows however many
    municipalities there are (a form offering currencies need not load every municipality: issue 12)."""
    return list(db.session.scalars(select(Municipality.currency).distinct().order_by(Municipality.currency)))


def timezones() -> list[str]:
    """The time zones of the network's municipalities, sorted (a handful of rows, as ``currencies``)."""
    return list(db.session.scalars(select(Municipality.timezone).distinct().order_by(Municipality.timezone)))
