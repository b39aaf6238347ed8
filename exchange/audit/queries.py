"""Reads of the audit log (always inside the current municipality's scope)."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from exchange.audit.models import AuditEntry


def recent_entries():
    """Newest first; paginate the result."""
    return select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
