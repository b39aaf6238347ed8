"""Demo notifications (called last by exchange.demo.load, inside ``events.quietly()``): the demo's own
events are fanned out now, the recurring reminders run once, and every demo account that still has fewer
than three unread notifications follows a project and a visit of its municipality and hears of them.
Nothing is mailed. Idempotent: the keys of the notifications make a second run write nothing.
"""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, or_, select

from exchange.auth.services import find_by_email
from exchange.extensions import db
from exchange.jobs.queue import dispatch_committed
from exchange.municipalities.queries import all_ordered
from exchange.notifications import schedule, services
from exchange.notifications.models import Notification
from exchange.tenancy import municipality_scope

ROLES = ("staff", "coordinator", "translator", "admin")
ENOUGH = 3


def _unread(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def _subjects(municipality):
    """A few projects the municipality leads or takes part in, and its latest visits (through its scope)."""
    from exchange.projects.models import ParticipationStatus, Project, ProjectParticipation
    from exchange.visits.models import Visit
    projects = db.session.scalars(select(Project).where(or_(
        Project.lead_municipality_id == municipality.id,
        Project.participations.any((ProjectParticipation.municipality_id == municipality.id)
                                   & (ProjectParticipation.status == ParticipationStatus.ACCEPTED.value))))
        .order_by(Project.updated_at.desc(), Project.id).limit(2)).all()
    visits = db.session.scalars(select(Visit).where(Visit.involves(municipality.id))
                                .order_by(Visit.start_date.desc(), Visit.id).limit(2)).all()
    return projects, visits


def _top_up(user, projects, visits) -> int:
    written = 0
    for project in projects:
        if _unread(user) >= ENOUGH:
            return written
        services.follow(user, project=project)
        written += len(services.deliver_to([user], "project.status_changed", f"demo:project:{project.id}",
                                           project_id=project.id, params={"to_status": project.status}))
    for visit in visits:
        if _unread(user) >= ENOUGH:
            return written
        services.follow(user, visit=visit)
        written += len(services.deliver_to([user], "visits.visit_changed", f"demo:visit:{visit.id}",
                                           visit_id=visit.id, params={"logged": False}))
    return written


def load() -> Iterator[str]:
    # The demo's own events (join requests, invitations, visits, lessons…) are fanned out now.
    db.session.commit()
    dispatch_committed()
    for municipality in all_ordered():
        with municipality_scope(municipality):
            reminders = (schedule.remind_follow_ups() + schedule.remind_stale_profiles()
                         + schedule.batch_translations())
            projects, visits = _subjects(municipality)
            added = 0
            for role in ROLES:
                user = find_by_email(f"{role}@{municipality.slug}.example")
                if user is not None:
                    added += _top_up(user, projects, visits)
            db.session.flush()
            yield f"  notifications in {municipality.slug}: {reminders} reminders, {added} more for the demo accounts"
