"""Writing the audit log, and checking it. Every service that changes data calls ``record()``."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from exchange.audit.models import GENESIS, AuditEntry, AuditHead
from exchange.db import Len, utcnow
from exchange.extensions import db


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones. Hash the same instant.
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    """SHA-256 over the entry's content and the previous entry's hash (canonical JSON)."""
    content = json.dumps({
        "municipality": entry.municipality_id, "seq": entry.seq, "at": _utc(entry.created_at).isoformat(),
        "actor": entry.actor_id, "actor_name": entry.actor_name, "action": entry.action,
        "type": entry.object_type, "id": entry.object_id, "label": entry.object_label, "details": entry.details,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def object_label(obj: Any) -> str:
    """What to call an object in the log: its own ``audit_label``, a translatable title in its source
    language, or its name."""
    if obj is None:
        return ""
    label = getattr(obj, "audit_label", None)
    if label is None and hasattr(obj, "plain") and "title" in getattr(obj, "TRANSLATABLE_FIELDS", ()):
        label = obj.plain("title", obj.source_locale("title") or "")
    if label is None:
        label = getattr(obj, "name", None) or ""
    return str(label)[:Len.TITLE]


def _head() -> AuditHead:
    """The current municipality's chain end, locked until the transaction ends (PostgreSQL)."""
    head = db.session.scalar(select(AuditHead).with_for_update())
    if head is None:
        try:
            with db.session.begin_nested():
                db.session.add(AuditHead(seq=0, hash=GENESIS))
        except IntegrityError:  # another transaction started the chain at the same moment
            pass
        head = db.session.scalar(select(AuditHead).with_for_update())
    return head


def record(actor, action: str, obj: Any = None, **details: Any) -> AuditEntry:
    """Append an audit entry in the current municipality (stamped by the tenancy flush hook).

    ``actor`` is the acting user, or None for the CLI and the system. ``details`` must be JSON-safe
    and must not hold secrets (no passwords, no tokens) nor personal data of third parties.
    """
    head = _head()
    entry = AuditEntry(
        seq=head.seq + 1, actor_id=getattr(actor, "id", None), actor_name=getattr(actor, "name", "") or "",
        action=action, object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None), object_label=object_label(obj),
        details=json.loads(json.dumps(details, default=str)), created_at=utcnow(), prev_hash=head.hash)
    entry.municipality_id = head.municipality_id
    entry.hash = entry_hash(entry, head.hash)
    head.seq, head.hash, head.updated_at = entry.seq, entry.hash, entry.created_at
    db.session.add(entry)
    db.session.flush()
    return entry


def prune(before) -> int:
    """Delete the current municipality's entries older than ``before`` (retention), and record where the
    chain now starts, so that verification can tell this from someone deleting entries."""
    last = db.session.scalar(select(func.max(AuditEntry.seq)).where(AuditEntry.created_at < before))
    if last is None:
        return 0
    cut = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == last))
    anchor = {"up_to_seq": cut.seq, "hash": cut.hash}
    removed = db.session.execute(delete(AuditEntry).where(AuditEntry.seq <= last)).rowcount
    record(None, "audit.pruned", None, **anchor)
    return removed


@dataclass
class Verification:
    entries: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify() -> Verification:
    """Check the current municipality's chain: numbers without gaps, every hash recomputed, the start
    either the first entry or a recorded pruning point, the end the head."""
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    head = db.session.scalar(select(AuditHead))
    if not entries:
        return Verification(0) if head is None or head.seq == 0 else Verification(0, head.seq, "entries missing")
    first = entries[0]
    if first.seq != 1:
        anchors = [e for e in entries if e.action == "audit.pruned" and e.details.get("up_to_seq") == first.seq - 1]
        if not anchors or anchors[0].details.get("hash") != first.prev_hash:
            return Verification(len(entries), first.seq, "entries before this one were removed")
    elif first.prev_hash != GENESIS:
        return Verification(len(entries), first.seq, "the chain does not start at the beginning")
    previous = first.prev_hash
    for expected_seq, entry in enumerate(entries, start=first.seq):
        if entry.seq != expected_seq:
            return Verification(len(entries), expected_seq, "an entry is missing")
        if entry.prev_hash != previous or entry_hash(entry, previous) != entry.hash:
            return Verification(len(entries), entry.seq, "the entry was changed")
        previous = entry.hash
    if head is None or head.seq != entries[-1].seq or head.hash != previous:
        return Verification(len(entries), entries[-1].seq, "the last entries were removed")
    return Verification(len(entries))
