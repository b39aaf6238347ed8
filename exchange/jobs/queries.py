"""Reads of the outbox, always inside the current municipality's scope."""
from __future__ import annotations

from sqlalchemy import func, select

from exchange.extensions import db
from exchange.jobs.models import OutboxMessage


def deliveries():
    """The municipality's outbox, newest first (paginate the result)."""
    return select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def latest_states(subject_type: str, ids: list[int]) -> dict[int, OutboxMessage]:
    """{subject id: its newest message} for the objects on one page (one query, however many)."""
    if not ids:
        return {}
    newest = (select(func.max(OutboxMessage.id)).where(OutboxMessage.subject_type == subject_type,
                                                       OutboxMessage.subject_id.in_(ids))
              .group_by(OutboxMessage.subject_id))
    return {m.subject_id: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(newest)))}
