"""The notifications' recurring jobs (listed by ``flask jobs list``). Each serves every municipality in
its own scope and is idempotent: the keys of the notifications and of the mails make a second run (a
retried job) write and send nothing new.

* ``notifications.digests`` (every 15 minutes): the daily and weekly digests, sent once the local digest
  hour (NOTIFICATIONS_DIGEST_HOUR, in the recipient's municipality's time zone) has passed;
* ``notifications.follow_ups`` (hourly): follow-up actions due within 7 days, and overdue ones;
* ``notifications.call_deadlines`` (hourly): funding calls closing within 30, 7 or 1 days;
* ``notifications.stale_profiles`` (daily): organisation profiles not confirmed for 12 months;
* ``notifications.translations`` (hourly): new or changed texts for translators, batched;
* ``notifications.prune`` (daily): notifications older than NOTIFICATIONS_EXPIRE_DAYS.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from itertools import groupby

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.auth.models import Role
from exchange.db import utcnow
from exchange.extensions import db
from exchange.jobs.queue import recurring
from exchange.jobs.schedule import _each_municipality, _summary
from exchange.notifications import mailing, services
from exchange.notifications import recipients as who
from exchange.notifications.models import Mode, Notification
from exchange.tenancy import current_municipality


def _today() -> dt.date:
    """Today in the current municipality's time zone."""
    return dt.datetime.now(zoneinfo.ZoneInfo(current_municipality().timezone)).date()


# --- digests ---------------------------------------------------------------------------------------

def send_digests(now: dt.datetime | None = None) -> int:
    """The current municipality's digests that are due: for each person and rhythm, the notifications
    written before the period's start that still wait for it."""
    now = now or utcnow()
    municipality = current_municipality()
    hour = current_app.config["NOTIFICATIONS_DIGEST_HOUR"]
    sent = 0
    for mode in (Mode.DAILY, Mode.WEEKLY):
        start = mailing.period_start(now, municipality.timezone, hour, mode)
        waiting = list(db.session.scalars(
            select(Notification).where(Notification.email == mode.value, Notification.emailed_at.is_(None),
                                       Notification.created_at < start, Notification.updated_at >= services.expiry_cutoff(now))
            .options(selectinload(Notification.user)).order_by(Notification.user_id, Notification.updated_at)))
        for _user_id, items in groupby(waiting, key=lambda n: n.user_id):
            items = list(items)
            sent += mailing.send_digest(items[0].user, items, mode, start)
    return sent


@recurring("notifications.digests", every=dt.timedelta(minutes=15))
def digests() -> str:
    """Daily and weekly digests, at the local digest hour of each recipient's municipality."""
    return _summary(_each_municipality(send_digests))


# --- follow-up actions -----------------------------------------------------------------------------

def remind_follow_ups(today: dt.date | None = None) -> int:
    """Open follow-up actions of visits this municipality reads, due within 7 days or overdue: each one
    notifies its owners once per due date."""
    from exchange.visits import permissions as visit_permissions
    from exchange.visits.models import FollowUp, FollowUpStatus
    today = today or _today()
    coordinators = who.with_roles(Role.COORDINATOR)
    if not coordinators:
        return 0
    # The SQL form of can_view_details for this municipality's people (one municipality, one rule).
    readable = visit_permissions.details_visit_clause(coordinators[0], FollowUp.visit_id)
    rows = db.session.scalars(select(FollowUp).where(
        FollowUp.status == FollowUpStatus.OPEN.value, FollowUp.due_date.is_not(None),
        FollowUp.due_date <= today + dt.timedelta(days=7), readable)
        .options(selectinload(FollowUp.visit)).order_by(FollowUp.due_date, FollowUp.id))
    written = 0
    for follow_up in rows:
        type_ = "visits.follow_up_overdue" if follow_up.due_date < today else "visits.follow_up_due"
        written += len(services.deliver_to(
            who.follow_up_owners(follow_up, follow_up.visit), type_,
            f"{type_}:{follow_up.id}:{follow_up.due_date.isoformat()}", visit_id=follow_up.visit_id,
            params={"follow_up_id": follow_up.id, "due_date": follow_up.due_date.isoformat()}))
    return written


@recurring("notifications.follow_ups", every=dt.timedelta(hours=1))
def follow_ups() -> str:
    """Follow-up actions due within 7 days or overdue."""
    return _summary(_each_municipality(remind_follow_ups))


# --- funding calls ---------------------------------------------------------------------------------

CALL_REMINDER_DAYS = (30, 7, 1)


def remind_call_deadlines(now: dt.datetime | None = None) -> int:
    """Calls closing within 30, 7 or 1 days: the coordinators of each linked project this municipality
    sees (its lead's and its participants') hear once per threshold and deadline. A link made late gets
    the threshold it is in (a call linked 5 days before closing: the 7-day reminder), never the missed ones."""
    from exchange.calls import queries as call_queries
    from exchange.projects import permissions as project_permissions
    now = now or utcnow()
    written = 0
    for link in call_queries.links_closing_between(now, now + dt.timedelta(days=max(CALL_REMINDER_DAYS))):
        call, project = link.call, link.project
        left = call.closes_utc - now
        threshold = min(d for d in CALL_REMINDER_DAYS if left <= dt.timedelta(days=d))
        users = who.coordinators_who(lambda u, p=project: project_permissions.is_lead_coordinator(u, p)
                                     or project_permissions.is_participant(u, p))
        key = f"project.call_closing:{project.id}:{call.id}:{threshold}:{call.closes_utc.isoformat()}"
        written += len(services.deliver_to(users, "project.call_closing", key, project_id=project.id,
                                           params={"call_id": call.id, "days": threshold}))
    return written


@recurring("notifications.call_deadlines", every=dt.timedelta(hours=1))
def call_deadlines() -> str:
    """Funding calls closing within 30, 7 or 1 days, to the coordinators of the projects linked to them."""
    return _summary(_each_municipality(remind_call_deadlines))


# --- organisation profiles --------------------------------------------------------------------------

def remind_stale_profiles(today: dt.date | None = None) -> int:
    """The municipality's active organisations not confirmed for 12 months: once per confirmation date."""
    from exchange.partners import permissions as partner_permissions
    from exchange.partners.queries import stale_organisations
    today = today or _today()
    organisations, _count = stale_organisations(current_municipality().id, today, limit=500)
    written = 0
    for org in organisations:
        users = who.coordinators_who(lambda user, org=org: partner_permissions.can_edit_organisation(user, org))
        written += len(services.deliver_to(users, "partners.profile_stale",
                                           f"partners.profile_stale:{org.id}:{org.last_confirmed_on.isoformat()}",
                                           organisation_id=org.id))
    return written


@recurring("notifications.stale_profiles", every=dt.timedelta(days=1))
def stale_profiles() -> str:
    """Organisation profiles not confirmed for 12 months."""
    return _summary(_each_municipality(remind_stale_profiles))


# --- translators ------------------------------------------------------------------------------------

def _since(user) -> dt.datetime | None:
    last = db.session.scalar(select(Notification).where(
        Notification.user_id == user.id, Notification.type == "translations.texts_waiting")
        .order_by(Notification.updated_at.desc(), Notification.id.desc()).limit(1))
    until = (last.params or {}).get("until") if last is not None else None
    return dt.datetime.fromisoformat(until) if until else None


def batch_translations(now: dt.datetime | None = None) -> int:
    """For each translator: the texts they may read that need a translation into their languages and
    are new or changed since their last such notification, as one notification (brought up to date
    while unread)."""
    from exchange.workbench.permissions import allowed_locales
    from exchange.workbench.queue import count_waiting
    now = now or utcnow()
    written = 0
    for user in who.with_roles(Role.TRANSLATOR):
        locales = allowed_locales(user)
        count = count_waiting(user, locales, since=_since(user), until=now) if locales else 0
        if count:
            written += len(services.deliver_to([user], "translations.texts_waiting", f"texts:{user.id}:{now.isoformat()}",
                                               params={"count": count, "locales": locales, "until": now.isoformat()}))
    return written


@recurring("notifications.translations", every=dt.timedelta(hours=1))
def translations() -> str:
    """New or changed texts for translators, batched."""
    return _summary(_each_municipality(batch_translations))


@recurring("notifications.prune", every=dt.timedelta(days=1))
def prune() -> str:
    """Notifications older than NOTIFICATIONS_EXPIRE_DAYS."""
    return _summary(_each_municipality(services.prune))
