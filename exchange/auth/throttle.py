"""Sign-in throttling that protects without letting one person lock out another (DESIGN.md §6).

Two limits, kept apart:

* per client address (the real one behind the proxy, see PROXY_HOPS): a generous cap on sign-in
  attempts from one address across every account (Flask-Limiter, shared through Redis in production);
* per account *and* address: after a few free failures each further failure doubles the wait, up to a
  maximum. Someone guessing Anna's password from one address slows down only that address for Anna:
  Anna, signing in from her own computer, is never held back.

After repeated failures on an account (from any address) its owner gets one mail an hour saying so.
The counters live in the database (``LoginFailure``), so every worker and host sees the same ones.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from exchange.auth.models import LoginFailure, User
from exchange.db import utcnow
from exchange.extensions import db


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite returns naive datetimes even for timezone=True columns; they are stored in UTC.
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def wait_seconds(email: str, address: str) -> int:
    """How long this address must wait before trying this account again (0: it may try now)."""
    blocked = db.session.scalar(select(LoginFailure.blocked_until).where(
        LoginFailure.email_hash == _email_hash(email), LoginFailure.address == address))
    blocked = _aware(blocked)
    if blocked is None:
        return 0
    remaining = (blocked - utcnow()).total_seconds()
    return max(0, int(remaining + 0.999))


def _delay(failures: int) -> int:
    free = current_app.config["LOGIN_FREE_FAILURES"]
    if failures <= free:
        return 0
    return min(2 ** (failures - free - 1), current_app.config["LOGIN_MAX_DELAY_SECONDS"])


def record_failure(email: str, address: str) -> int:
    """Count a failed attempt; returns the wait it imposes on this account from this address (seconds)."""
    key = _email_hash(email)
    now = utcnow()
    where = (LoginFailure.email_hash == key, LoginFailure.address == address)
    # An atomic increment: two workers failing at once both count.
    if db.session.execute(update(LoginFailure).where(*where).values(failures=LoginFailure.failures + 1,
                                                                     last_failure_at=now)).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(LoginFailure(email_hash=key, address=address, failures=1, last_failure_at=now))
        except IntegrityError:
            db.session.execute(update(LoginFailure).where(*where).values(failures=LoginFailure.failures + 1,
                                                                         last_failure_at=now))
    failures = db.session.scalar(select(LoginFailure.failures).where(*where))
    delay = _delay(failures)
    if delay:
        db.session.execute(update(LoginFailure).where(*where)
                           .values(blocked_until=now + dt.timedelta(seconds=delay)))
    _maybe_tell_the_owner(email, key, now)
    return delay


def record_success(email: str, address: str) -> None:
    """A correct password from this address clears its count for this account (other addresses keep theirs)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.email_hash == _email_hash(email),
                                                  LoginFailure.address == address))


def _maybe_tell_the_owner(email: str, key: str, now: dt.datetime) -> None:
    """Once the account's failures in the last hour (from every address) reach the threshold, queue one
    mail to its owner for this hour (idempotent by key)."""
    recent = db.session.scalar(select(func.coalesce(func.sum(LoginFailure.failures), 0)).where(
        LoginFailure.email_hash == key, LoginFailure.last_failure_at >= now - dt.timedelta(hours=1)))
    if recent < current_app.config["LOGIN_NOTICE_FAILURES"]:
        return
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return
    from exchange.mail import queue_mail
    from exchange.tenancy import current_municipality
    municipality = current_municipality()
    with force_locale(user.preferred_locale or municipality.default_locale):
        subject = gettext("Failed sign-in attempts on your account (%(municipality)s)", municipality=municipality.name)
        body = gettext("Hello %(name)s,\n\nthere have been %(count)d failed attempts to sign in to your account on "
                       "Twin-Town Exchange for %(municipality)s in the last hour. If this was not you, nothing is "
                       "needed: each further attempt from the same place has to wait longer. If you cannot sign "
                       "in, ask your administrator for a new invitation link.\n", name=user.name, count=recent,
                       municipality=municipality.name)
    queue_mail(user.email, subject, body, sender_name=municipality.name, about=user,
               key=f"login-notice:{user.id}:{now:%Y%m%d%H}")


def prune(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete counters nobody has touched for a day (in the current scope)."""
    return db.session.execute(delete(LoginFailure).where(LoginFailure.last_failure_at < utcnow() - older_than)).rowcount
