"""Reads of the audit log (always inside the current municipality's scope)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from exchange.audit.models import AuditEntry


def entries(area: str = "", actor_id: int | None = None, since: dt.date | None = None,
            until: dt.date | None = None):
    """Newest first, filtered by area (the action's first part), person and dates; paginate the result."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if area:
        stmt = stmt.where(AuditEntry.action.startswith(f"{area}.", autoescape=True))
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.created_at >= dt.datetime.combine(since, dt.time.min, dt.timezone.utc))
    if until is not None:
        stmt = stmt.where(AuditEntry.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min,
                                                                       dt.timezone.utc))
    return stmt.order_by(AuditEntry.seq.desc())


def recent_entries():
    """Every entry, newest first."""
    return entries()
