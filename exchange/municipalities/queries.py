"""Reads of the global municipality records."""
from __future__ import annotations

from sqlalchemy import func, select

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


def filter_choices(municipality_id: int, selected: int | None = None) -> list[Municipality]:
    """The municipalities a list's "municipality" filter offers, by name: the reader's own, its twin towns,
    and the one already chosen (``selected``: any municipality of the network, e.g. from a link).

    Not the whole network: at hundreds of municipalities a drop-down of all of them is loaded, sorted and
    rendered on every view of the list (1 000 options at network scale, issue 12), and nobody scrolls it.
    A reader filters by the municipalities they work with; a link to another one (its name on a project,
    a bookmark) still filters by it, and the choice then stays offered. One query whatever the network's size.
    """
    from exchange.cooperation.models import Twinning
    twins = select(Twinning.second_municipality_id).where(Twinning.first_municipality_id == municipality_id) \
        .union(select(Twinning.first_municipality_id).where(Twinning.second_municipality_id == municipality_id))
    wanted = Municipality.id.in_(twins) | (Municipality.id == municipality_id)
    if selected is not None:
        wanted = wanted | (Municipality.id == selected)
    return collate(db.session.scalars(select(Municipality).where(wanted)), key=lambda m: m.name)
