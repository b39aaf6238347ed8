"""Calendar feeds, the municipality's visit settings, and personal data (erasure, retention).

Audit details never hold participants' names: the audit log outlives an erasure.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from exchange.audit.services import record
from exchange.db import utcnow
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.rules import check_version, created_once
from exchange.security import new_token, token_hash
from exchange.visits.models import DEFAULT_RETENTION_YEARS, CalendarFeed, Participant, VisitSettings

RETENTION_RANGE = (1, 30)

# A participant whose name has been erased (by request or by the retention rule).
ANONYMISED = None


# --- calendar feeds ---------------------------------------------------------------------------

def create_feed(actor) -> tuple[CalendarFeed, str]:
    """A new secret subscription URL for the current municipality; the earlier one stops working.
    Returns the feed and the token, which is shown once and never stored."""
    for feed in active_feeds():
        feed.revoked_at = utcnow()
    token, hashed = new_token()
    feed = CalendarFeed(token_hash=hashed, created_by_id=getattr(actor, "id", None))
    db.session.add(feed)
    db.session.flush()
    record(actor, "visit.feed_create", feed)
    return feed, token


def revoke_feed(feed: CalendarFeed, actor) -> None:
    """The URL answers 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        db.session.flush()
        record(actor, "visit.feed_revoke", feed)


def revoke_feeds(actor) -> None:
    """Revoke every live subscription URL of the current municipality."""
    for feed in active_feeds():
        revoke_feed(feed, actor)


def active_feeds() -> list[CalendarFeed]:
    return list(db.session.scalars(select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None))))


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of the current municipality with this token, or None (wrong, revoked, or another
    municipality's token: the scope hides it)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))
    return feed if feed is not None and feed.is_active else None


# --- settings, personal data, retention -------------------------------------------------------

def settings() -> VisitSettings:
    """The current municipality's visit settings (defaults when none were saved; not added to the session)."""
    row = db.session.scalar(select(VisitSettings))
    return row if row is not None else VisitSettings(retention_years=DEFAULT_RETENTION_YEARS)


def set_retention(years: int | None, actor, expected_version: int | None = None) -> VisitSettings:
    """Change how many years after a visit participants' names are kept. ``expected_version``: the
    settings' version the form showed (0: the defaults, nothing saved yet); a stale one is a Conflict."""
    low, high = RETENTION_RANGE
    if not isinstance(years, int) or isinstance(years, bool) or not low <= years <= high:
        raise Refusal("invalid_retention", "retention_years", low=low, high=high)
    row = db.session.scalar(select(VisitSettings))
    check_version(row, expected_version)
    if row is None:
        row = VisitSettings(retention_years=DEFAULT_RETENTION_YEARS)
        db.session.add(row)
    before = row.retention_years
    row.retention_years = years
    with created_once():  # two admins saving the defaults at once: one settings row, the other a conflict
        db.session.flush()
    record(actor, "visit.retention", row, before=before, after=years)
    return row


def _anonymise(participant: Participant, when: dt.datetime) -> None:
    participant.name = ANONYMISED
    participant.name_key = None
    participant.anonymised_at = when


def forget_person(participants: list[Participant], follow_ups: list) -> None:
    """Erase one person's name from these participant rows (found by the personal-data tool within what
    the actor's municipality can read) and from these follow-up owners. Rows stay (counts and
    organisations stay right); the name becomes "anonymised participant"."""
    now = utcnow()
    for participant in participants:
        _anonymise(participant, now)
    for follow_up in follow_ups:
        follow_up.owner, follow_up.owner_key, follow_up.owner_user_id = "", "", None
    db.session.flush()


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """Visits that ended before this date are past the retention period."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def anonymise_expired(today: dt.date | None = None) -> int:
    """Anonymise the names of the current municipality's participants whose visit ended longer ago than
    the municipality's retention period. Idempotent: safe to run daily (already anonymised rows are
    skipped). Returns the number of names anonymised."""
    from exchange.tenancy import current_municipality_id
    from exchange.visits import queries
    today = today or dt.date.today()
    cutoff = retention_cutoff(today, settings().retention_years)
    rows = queries.expired_participants(current_municipality_id(), cutoff)
    now = utcnow()
    for participant in rows:
        _anonymise(participant, now)
    db.session.flush()
    if rows:
        record(None, "visit.retention_anonymised", None, participants=len(rows), cutoff=cutoff.isoformat())
    return len(rows)
