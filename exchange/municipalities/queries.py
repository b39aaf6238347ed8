"""Reads of the global municipality records."""
from __future__ import annotations

from sqlalchemy import select

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


def currencies() -> list[str]:
    """The currencies the network's municipalities use, sorted: a handful of rows however many
    municipalities there are (a form offering currencies need not load every municipality: issue 12)."""
    return list(db.session.scalars(select(Municipality.currency).distinct().order_by(Municipality.currency)))


def timezones() -> list[str]:
    """The time zones of the network's municipalities, sorted (a handful of rows, as ``currencies``)."""
    return list(db.session.scalars(select(Municipality.timezone).distinct().order_by(Municipality.timezone)))
