"""The platform's recurring jobs, in one list an operator can read. Each calls the same services as the
CLI, serving every municipality in its own scope (so each municipality's rules, such as its retention
period, apply), and is idempotent: running it twice in a row changes nothing the second time.

Who runs them: ``flask jobs scheduler`` in production (it claims each due job once across hosts and hands
it to the worker), or the app itself after requests in the embedded setup; ``flask jobs run-due`` runs
whatever is due once (e.g. from cron, if you prefer that to the scheduler process).
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import delete

from exchange.db import utcnow
from exchange.extensions import db
from exchange.jobs.queue import recurring
from exchange.tenancy import municipality_scope


def _each_municipality(work) -> dict[str, int]:
    from exchange.municipalities.queries import all_ordered
    done = {}
    for municipality in all_ordered():
        with municipality_scope(municipality):
            done[municipality.slug] = work()
    return done


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{slug}: {n}" for slug, n in counts.items())


@recurring("visits.anonymise_expired", every=dt.timedelta(days=1))
def anonymise_expired_participants() -> str:
    """Visit participants' names past each municipality's retention period become "anonymised"."""
    from exchange.visits.services import anonymise_expired
    return _summary(_each_municipality(anonymise_expired))


@recurring("visits.roll_tallies", every=dt.timedelta(hours=1))
def roll_visit_tallies() -> str:
    """The visit reports' running counts brought up to today (visits begun, actions fallen due since)."""
    from exchange.tenancy import all_municipalities
    from exchange.visits import tallies
    # The counts are the whole network's (each municipality's own rows carry its id): platform work.
    with all_municipalities():
        return f"changed: {tallies.roll()}"


@recurring("auth.prune", every=dt.timedelta(hours=1))
def prune_sign_in_records() -> str:
    """Expired sessions, used or expired invitation links, and day-old failed sign-in counters."""
    from exchange.auth import throttle
    from exchange.auth.models import LoginSession, PasswordToken

    def prune() -> int:
        now = utcnow()
        lifetime = dt.timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
        removed = db.session.execute(delete(LoginSession).where(LoginSession.created_at < now - lifetime)).rowcount
        removed += db.session.execute(delete(PasswordToken).where(
            PasswordToken.expires_at < now - dt.timedelta(days=7))).rowcount
        return removed + throttle.prune()
    return _summary(_each_municipality(prune))


@recurring("audit.prune", every=dt.timedelta(days=1))
def prune_audit_log() -> str:
    """Audit entries older than AUDIT_RETENTION_DAYS (two years by default)."""
    from exchange.audit.services import prune
    days = current_app.config["AUDIT_RETENTION_DAYS"]
    return _summary(_each_municipality(lambda: prune(utcnow() - dt.timedelta(days=days))))


@recurring("jobs.prune_outbox", every=dt.timedelta(days=1))
def prune_outbox() -> str:
    """Delivered outbox messages after 90 days (failed ones stay until an admin looks at them)."""
    from exchange.jobs.models import DeliveryStatus, OutboxMessage
    cutoff = utcnow() - dt.timedelta(days=90)
    return _summary(_each_municipality(lambda: db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status == DeliveryStatus.SENT.value, OutboxMessage.created_at < cutoff)).rowcount))
