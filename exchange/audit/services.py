"""Writing the audit log. Every service that changes data calls record()."""
from __future__ import annotations

from typing import Any

from exchange.audit.models import AuditEntry
from exchange.extensions import db


def record(actor, action: str, obj: Any = None, **details: Any) -> AuditEntry:
    """Append an audit entry in the current municipality (stamped by the tenancy flush hook).

    ``actor`` is the acting user, or None for the CLI and the system. ``details`` must be JSON-safe
    and must not hold secrets (no passwords, no tokens).
    """
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def prune(before) -> int:
    """Delete the current municipality's audit entries older than ``before`` (retention)."""
    from sqlalchemy import delete
    return db.session.execute(delete(AuditEntry).where(AuditEntry.created_at < before)).rowcount
