"""Writing notifications: the fan-out of an event to its recipients, reading, following, and e-mail
preferences. Services flush but never commit (the view, the job or the outbox delivery commits).

``fan_out`` is the outbox handler of notification events. It runs after the commit of the change (in the
worker, or in-process with the inline backend), visits every municipality through that municipality's
own scope (``tenancy.seen_by``), loads what the event is about as that municipality sees it, asks
``recipients`` who receives it, and writes one notification per person, at most once per event
(``deliver_to``'s key): a retried delivery writes nothing twice and mails nobody twice.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from exchange.auth.models import User
from exchange.db import utcnow
from exchange.errors import Conflict, Refusal, register_messages
from exchange.extensions import db
from exchange.jobs.services import handler
from exchange.notifications import recipients as who
from exchange.notifications.events import EVENT, Event
from exchange.notifications.kinds import KINDS, SILENT, kinds_for
from exchange.notifications.models import Follow, Mode, Notification, NotificationPreference
from exchange.tenancy import current_municipality_id, seen_by

register_messages({
    "unknown_notification_type": _l("This kind of notification does not exist (any more)."),
})

DIGEST_MODES = (Mode.DAILY.value, Mode.WEEKLY.value)


# --- writing notifications -------------------------------------------------------------------------

def modes_for(users: list[User], type_: str) -> dict[int, Mode]:
    """Each user's e-mail mode for ``type_``: their preference, else the default of their roles."""
    kind = KINDS[type_]
    chosen = dict(db.session.execute(select(NotificationPreference.user_id, NotificationPreference.mode).where(
        NotificationPreference.user_id.in_([u.id for u in users]), NotificationPreference.type == type_)).all())
    return {u.id: Mode(chosen[u.id]) if chosen.get(u.id) in Mode._value2member_map_ else kind.default_for(u.roles)
            for u in users}


def _merged(old: dict, new: dict, key: str) -> dict:
    """An unread notification brought up to date: counts add up, everything else is the newest."""
    params = {**old, **new, "merged": [*old.get("merged", []), key][-20:]}
    if "count" in old or "count" in new:
        params["count"] = int(old.get("count") or 0) + int(new.get("count") or 0)
    return params


def _older_unread(user: User, type_: str, project_id, visit_id, organisation_id) -> Notification | None:
    def same(column, value):
        return column.is_(None) if value is None else column == value
    return db.session.scalar(select(Notification).where(
        Notification.user_id == user.id, Notification.type == type_, Notification.read_at.is_(None),
        same(Notification.project_id, project_id), same(Notification.visit_id, visit_id),
        same(Notification.organisation_id, organisation_id)).order_by(Notification.id.desc()).limit(1))


def deliver_to(users: list[User], type_: str, key: str, *, project_id: int | None = None,
               visit_id: int | None = None, organisation_id: int | None = None, params: dict | None = None,
               quiet: bool | None = None) -> list[Notification]:
    """Notify each of ``users`` (people of the current municipality) once per ``key``, and mail at once
    those who want this type immediately. Returns the notifications written or brought up to date.
    ``quiet`` (default: inside ``events.quietly()``) writes them as mailed already: no mail, no digest."""
    from exchange.notifications import mailing
    kind, params, now = KINDS[type_], dict(params or {}), utcnow()
    quiet = bool(g.get("notifications_quiet")) if quiet is None else quiet
    users = [u for u in users if u.active and u.municipality_id == current_municipality_id()]
    if not users:
        return []
    done = set(db.session.scalars(select(Notification.user_id).where(
        Notification.key == key, Notification.user_id.in_([u.id for u in users]))))
    modes = modes_for(users, type_)
    written = []
    for user in users:
        if user.id in done:
            continue
        older = _older_unread(user, type_, project_id, visit_id, organisation_id) if kind.collapse else None
        if older is not None:
            if key not in older.params.get("merged", []):
                older.params, older.updated_at = _merged(older.params or {}, params, key), now
            written.append(older)
            continue
        mode = modes[user.id]
        notification = Notification(user_id=user.id, type=type_, key=key, project_id=project_id, visit_id=visit_id,
                                    organisation_id=organisation_id, params=params, email=mode.value,
                                    emailed_at=now if quiet else None, updated_at=now)
        db.session.add(notification)
        db.session.flush()
        if mode == Mode.IMMEDIATELY and not quiet:
            mailing.send_now(notification, user)
        written.append(notification)
    db.session.flush()
    return written


def load_subjects(event: Event) -> who.Subjects:
    """What ``event`` is about, as the current municipality sees it (through its scope: None when hidden)."""
    from exchange.partners.models import Organisation, Partnership
    from exchange.projects.models import Project
    from exchange.visits.models import Visit

    def one(model, id_):
        return db.session.scalar(select(model).where(model.id == id_)) if id_ else None

    s = who.Subjects(project=one(Project, event.project_id), visit=one(Visit, event.visit_id),
                     organisation=one(Organisation, event.organisation_id))
    if s.project is not None and event.ref("participation_id"):
        s.participation = next((p for p in s.project.participations if p.id == event.ref("participation_id")), None)
    if s.project is not None and event.ref("partnership_id"):
        s.partnership = one(Partnership, event.ref("partnership_id"))
    if s.visit is not None and event.ref("follow_up_id"):
        s.follow_up = next((f for f in s.visit.follow_ups if f.id == event.ref("follow_up_id")), None)
    return s


@handler(EVENT)
def fan_out(message) -> None:
    """The outbox handler of notification events: every municipality, in its own scope."""
    from exchange.municipalities.queries import all_ordered
    event = Event.from_payload(message.payload or {})
    if event.type not in SILENT and event.type not in KINDS:
        raise ValueError(f"unknown notification type {event.type!r}")
    # The worker serves the whole network; each municipality is then seen through its own scope only.
    for municipality in all_ordered():
        with seen_by(municipality):
            if municipality.id == event.actor_municipality_id:
                _react(event)
            if event.type in SILENT:
                continue
            users = who.recipients(event, load_subjects(event))
            params = {**(event.refs or {}), "author": event.actor_name,
                      "author_municipality_id": event.actor_municipality_id}
            deliver_to(users, event.type, f"event:{event.id}", project_id=event.project_id, visit_id=event.visit_id,
                       organisation_id=event.organisation_id, params=params, quiet=event.quiet)


def _react(event: Event) -> None:
    """What the actor's own municipality does besides notifying: the author of a project, and whoever
    comments on one, follows it from then on."""
    if event.actor_id is None or event.type not in ("project.created", "project.commented"):
        return
    user = db.session.scalar(select(User).where(User.id == event.actor_id))
    project = load_subjects(event).project
    if user is not None and project is not None:
        follow(user, project=project)


# --- following -------------------------------------------------------------------------------------

def _follow_row(user: User, project=None, visit=None) -> Follow | None:
    where = Follow.project_id == project.id if project is not None else Follow.visit_id == visit.id
    return db.session.scalar(select(Follow).where(Follow.user_id == user.id, where))


def follow(user: User, project=None, visit=None) -> Follow:
    """Follow a project or a visit the user can see (the caller loaded it through the scope). Idempotent."""
    row = _follow_row(user, project, visit)
    if row is None:
        row = Follow(user_id=user.id, project_id=getattr(project, "id", None), visit_id=getattr(visit, "id", None))
        db.session.add(row)
        db.session.flush()
    return row


def unfollow(user: User, project=None, visit=None) -> None:
    row = _follow_row(user, project, visit)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


# --- reading ---------------------------------------------------------------------------------------

def mark_read(user: User, notification: Notification) -> None:
    if notification.user_id == user.id and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    """Every unread notification of the user is read now; returns how many."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())).rowcount


def expiry_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or utcnow()) - dt.timedelta(days=current_app.config["NOTIFICATIONS_EXPIRE_DAYS"])


def prune(now: dt.datetime | None = None) -> int:
    """Delete the current municipality's notifications older than NOTIFICATIONS_EXPIRE_DAYS."""
    return db.session.execute(delete(Notification).where(Notification.updated_at < expiry_cutoff(now))).rowcount


# --- e-mail preferences ----------------------------------------------------------------------------

def effective_modes(user: User) -> dict[str, Mode]:
    """{type: mode} for every type the user can receive."""
    chosen = dict(db.session.execute(select(NotificationPreference.type, NotificationPreference.mode)
                                     .where(NotificationPreference.user_id == user.id)).all())
    return {kind.code: Mode(chosen[kind.code]) if chosen.get(kind.code) in Mode._value2member_map_
            else kind.default_for(user.roles) for kind in kinds_for(user.roles)}


def fingerprint(modes: dict[str, Mode]) -> str:
    """A short digest of a person's settings: the version of the settings form (a set of rows)."""
    import hashlib
    text = ",".join(f"{code}={Mode(mode).value}" for code, mode in sorted(modes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def set_preferences(user: User, modes: dict[str, str], opened: str | None = None) -> list[str]:
    """Save the user's e-mail mode per type; returns the types that changed. Notifications still waiting
    for a digest follow their type's new mode (none is mailed once it is off). ``opened`` is the
    fingerprint the form was opened with: if the settings changed since, the save is a conflict."""
    allowed = {kind.code for kind in kinds_for(user.roles)}
    current = effective_modes(user)
    if opened is not None and opened != fingerprint(current):
        raise Conflict()
    for code, mode in modes.items():
        if code not in allowed:
            raise Refusal("unknown_notification_type", code)
        if mode not in Mode._value2member_map_:
            raise Refusal("unknown_choice", code)
    rows = {row.type: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    changed = []
    for code, mode in modes.items():
        if current[code].value == mode and code in rows:
            continue
        row = rows.get(code) or NotificationPreference(user_id=user.id, type=code)
        row.mode = mode
        db.session.add(row)
        if current[code].value != mode:
            changed.append(code)
            _repend(user, code, Mode(mode))
    db.session.flush()
    return changed


def _repend(user: User, code: str, mode: Mode) -> None:
    """Notifications of ``code`` still waiting for a digest take the type's new mode."""
    target = mode.value if mode in (Mode.DAILY, Mode.WEEKLY) else Mode.OFF.value if mode == Mode.OFF else None
    if target is None:
        return  # now "immediately": what waits goes out with the digest it was waiting for
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.type == code, Notification.emailed_at.is_(None),
        Notification.email.in_(DIGEST_MODES)).values(email=target))


def _scoped_codes(user: User, scope: str) -> list[str]:
    """The types an unsubscribe ``scope`` stands for now: a type, or every type of a digest's rhythm."""
    modes = effective_modes(user)
    if scope.startswith("digest:"):
        return [code for code, mode in modes.items() if mode.value == scope.partition(":")[2]]
    return [scope] if scope in modes and modes[scope] != Mode.OFF else []


def is_unsubscribed(user: User, scope: str) -> bool:
    return not _scoped_codes(user, scope)


def unsubscribe(user: User, scope: str) -> list[str]:
    """The one-click unsubscribe of a mail: ``scope`` is a type (no more mails of it) or ``digest:daily``
    / ``digest:weekly`` (no more digests of that rhythm: every type that went into it is off)."""
    codes = _scoped_codes(user, scope)
    set_preferences(user, {code: Mode.OFF.value for code in codes})
    return codes
