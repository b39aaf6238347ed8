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
