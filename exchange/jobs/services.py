"""Writing side effects to the outbox and delivering them.

``enqueue`` writes a row in the caller's transaction (flush; the caller commits). After the commit the
row is handed to the job queue (``exchange.jobs.queue``); ``deliver`` runs in the worker (or in-process
in the embedded setup), claims the row, calls the handler of its kind and records the outcome. A failed
attempt is retried later with a growing delay; after the last attempt the row is marked failed and shown
to the municipality's admins, who can queue it again.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.db import utcnow
from exchange.extensions import db
from exchange.jobs.models import DeliveryStatus, OutboxMessage
from exchange.tenancy import all_municipalities

log = logging.getLogger(__name__)

# Seconds to wait before attempt 2, 3, …; after the last the message is marked failed.
BACKOFF = (30, 120, 600, 1800, 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A message claimed this long ago by a worker that never reported back is tried again.
STALE_CLAIM = dt.timedelta(minutes=10)

_handlers: dict[str, Callable[[OutboxMessage], None]] = {}


def handler(kind: str):
    """Register the function that delivers messages of ``kind`` (it raises on failure)."""
    def register(func: Callable[[OutboxMessage], None]):
        _handlers[kind] = func
        return func
    return register


def enqueue(kind: str, payload: dict, *, recipient: str = "", summary: str = "", subject=None,
            key: str | None = None) -> OutboxMessage | None:
    """Write a side effect in the current transaction. ``subject`` is the object it is about (its
    delivery state can then be shown beside it); ``key`` makes it idempotent: a message whose key was
    written before is not written again (None is returned)."""
    if key is not None:
        # Keys are unique across the platform (an id-based key cannot collide between municipalities).
        with all_municipalities():
            if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
                return None
    message = OutboxMessage(kind=kind, payload=payload, key=key, recipient=recipient[:255], summary=summary[:255],
                            subject_type=type(subject).__name__ if subject is not None else None,
                            subject_id=getattr(subject, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # the same key written by a concurrent transaction
        return None
    db.session.info.setdefault("outbox_pending", []).append(message.id)
    return message


def _claim(message_id: int) -> OutboxMessage | None:
    now = utcnow()
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.available_at <= now,
                   (OutboxMessage.status == DeliveryStatus.PENDING.value)
                   | ((OutboxMessage.status == DeliveryStatus.SENDING.value)
                      & (OutboxMessage.claimed_at < now - STALE_CLAIM)))
            .with_for_update(skip_locked=True))
    message = db.session.scalar(stmt)
    if message is None:
        return None
    message.status = DeliveryStatus.SENDING.value
    message.claimed_at = now
    message.attempts += 1
    db.session.commit()
    return message


def deliver(message_id: int) -> str:
    """Deliver one outbox message; returns its status afterwards ("skipped" when another worker has it,
    it was delivered already, or its next attempt is not due). Commits."""
    # The worker serves every municipality: the row's own municipality is the scope of its content.
    with all_municipalities():
        message = _claim(message_id)
        if message is None:
            db.session.rollback()
            return "skipped"
        try:
            _handlers[message.kind](message)
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded and retried
            db.session.rollback()
            message = db.session.get(OutboxMessage, message_id)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = DeliveryStatus.FAILED.value
            else:
                message.status = DeliveryStatus.PENDING.value
                message.available_at = utcnow() + dt.timedelta(seconds=BACKOFF[message.attempts - 1])
            db.session.commit()
            log.warning("outbox message %s (%s) attempt %s failed: %s", message.id, message.kind, message.attempts,
                        message.last_error)
            return message.status
        message.status = DeliveryStatus.SENT.value
        message.sent_at = utcnow()
        message.last_error = ""
        # Links in a message can carry secrets (an invitation token): once sent, keep only what the
        # delivery page shows.
        message.payload = {k: v for k, v in (message.payload or {}).items() if k in ("to", "subject", "locale")}
        db.session.commit()
        return message.status


def due_messages(limit: int = 500) -> list[int]:
    """Ids of messages waiting for an attempt now (new, retried, or stuck with a vanished worker)."""
    now = utcnow()
    with all_municipalities():  # the sweep serves every municipality
        return list(db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.available_at <= now,
                   (OutboxMessage.status == DeliveryStatus.PENDING.value)
                   | ((OutboxMessage.status == DeliveryStatus.SENDING.value)
                      & (OutboxMessage.claimed_at < now - STALE_CLAIM)))
            .order_by(OutboxMessage.available_at, OutboxMessage.id).limit(limit)))


def retry(message: OutboxMessage) -> None:
    """Queue a failed message again (an admin's action): a fresh set of attempts, due now."""
    message.status = DeliveryStatus.PENDING.value
    message.attempts = 0
    message.available_at = utcnow()
    db.session.flush()
    db.session.info.setdefault("outbox_pending", []).append(message.id)
