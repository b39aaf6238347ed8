"""Reads of notifications and follows: always the signed-in person's own, inside the scope."""
from __future__ import annotations

from sqlalchemy import func, select

from exchange.auth.models import User
from exchange.extensions import db
from exchange.notifications.models import Follow, Notification
from exchange.notifications.services import expiry_cutoff


def _own(user):
    return (Notification.user_id == user.id, Notification.updated_at >= expiry_cutoff())


def unread_count(user) -> int:
    """The person's unread notifications (expired ones are gone already, even before the prune job)."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        *_own(user), Notification.read_at.is_(None))) or 0


def listing(user, only_unread: bool = False):
    """The person's notifications, newest first (paginate the result)."""
    stmt = select(Notification).where(*_own(user))
    if only_unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.updated_at.desc(), Notification.id.desc())


def get_own(user, notification_id: int) -> Notification | None:
    """One of the person's notifications (someone else's, or another municipality's, is not found)."""
    return db.session.scalar(select(Notification).where(Notification.id == notification_id, *_own(user)))


def is_following(user, project=None, visit=None) -> bool:
    where = Follow.project_id == project.id if project is not None else Follow.visit_id == visit.id
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, where)) is not None


def user_by_id(user_id: int) -> User | None:
    """An account of the current municipality (an unsubscribe link names its person by id)."""
    return db.session.scalar(select(User).where(User.id == user_id))
