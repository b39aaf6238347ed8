"""Who receives each type of notification: derived from roles and relationships, and never across the
visibility rules of DESIGN.md §4.

Every function here runs inside one municipality's scope (``tenancy.seen_by``) and answers with users
of that municipality. What the notification is about was loaded through that same scope (``Subjects``),
so a project another municipality cannot see is simply None here; and each candidate passes the same
permission predicate the object's page asks (``can_decide_request``, ``can_view_details``…). A
notification therefore never reveals what its recipient could not open.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from exchange.auth.models import Role, User, UserRole
from exchange.extensions import db
from exchange.notifications.events import Event
from exchange.notifications.models import Follow
from exchange.partners import permissions as partner_permissions
from exchange.projects import permissions as project_permissions
from exchange.visits import permissions as visit_permissions


@dataclass
class Subjects:
    """What an event is about, as the current municipality sees it (None: not visible here)."""

    project: object = None
    visit: object = None
    organisation: object = None
    participation: object = None
    partnership: object = None
    follow_up: object = None


# --- the people of the current municipality ----------------------------------------------------

def with_roles(*roles: Role) -> list[User]:
    """Active users of the current municipality holding one of ``roles``."""
    return list(db.session.scalars(select(User).where(
        User.active.is_(True), User.role_rows.any(UserRole.role.in_([r.value for r in roles])))
        .order_by(User.id)))


def followers(project_id: int | None = None, visit_id: int | None = None) -> list[User]:
    """Active users of the current municipality who follow the project or the visit."""
    where = Follow.project_id == project_id if project_id is not None else Follow.visit_id == visit_id
    return list(db.session.scalars(select(User).join(Follow, Follow.user_id == User.id)
                                   .where(where, User.active.is_(True)).order_by(User.id)))


def _keep(users: Iterable[User], allowed: Callable[[User], bool]) -> list[User]:
    seen, kept = set(), []
    for user in users:
        if user.id not in seen and allowed(user):
            seen.add(user.id)
            kept.append(user)
    return kept


def coordinators_who(allowed: Callable[[User], bool]) -> list[User]:
    return _keep(with_roles(Role.COORDINATOR), allowed)


# --- follow-up actions: whose are they? --------------------------------------------------------

def follow_up_owners(follow_up, visit) -> list[User]:
    """The people of the current municipality responsible for a follow-up action.

    Owners are free text today, so the coordinators of the visit's municipalities stand in for them
    (those who may read the visit's details). When a follow-up action names an owner *account*, answer
    with that account alone here (still through ``can_view_details``); every type about follow-up actions
    asks this one function.
    """
    return coordinators_who(lambda user: visit_permissions.can_view_details(user, visit))


# --- per type -----------------------------------------------------------------------------------

def _project_people(event: Event, s: Subjects) -> list[User]:
    """Status changes: the lead's coordinators, participating municipalities' coordinators, followers."""
    project = s.project
    involved = coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, project)
                                or project_permissions.is_participant(u, project))
    return _keep([*involved, *followers(project_id=project.id)], project_permissions.can_view_projects)


def _lead_coordinators(event: Event, s: Subjects) -> list[User]:
    return coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, s.project))


def _requesting_coordinators(event: Event, s: Subjects) -> list[User]:
    """The coordinators of the municipality that asked to join (answered by the lead)."""
    part = s.participation
    return coordinators_who(lambda u: part is not None and u.municipality_id == part.municipality_id)


def _partnership_answerers(event: Event, s: Subjects) -> list[User]:
    """Whoever must act on the pending interest or invitation (the predicate of the answer page)."""
    return coordinators_who(lambda u: partner_permissions.can_answer(u, s.partnership))


def _partnership_askers(event: Event, s: Subjects) -> list[User]:
    """The side that asked, once the other side answered: the organisation's municipality for an
    interest, the lead for an invitation."""
    link = s.partnership
    if event.ref("was") == "interested":
        return coordinators_who(lambda u: partner_permissions.is_own(u, link.organisation))
    return coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, link.project))


def _visit_people(event: Event, s: Subjects) -> list[User]:
    """Logged or changed: the coordinators of the visit's municipalities, and its followers (everybody
    may see that a visit takes place and when; the text says no more)."""
    visit = s.visit
    return _keep([*coordinators_who(lambda u: visit_permissions.can_edit_visit(u, visit)),
                  *followers(visit_id=visit.id)], visit_permissions.can_view_visits)


def _lessons_readers(event: Event, s: Subjects) -> list[User]:
    """Lessons learned: staff and coordinators of the visit's municipalities, and followers, but only
    those who may read the visit's details (a third municipality's follower may not)."""
    visit = s.visit
    return _keep([*with_roles(Role.STAFF, Role.COORDINATOR), *followers(visit_id=visit.id)],
                 lambda u: visit_permissions.can_view_details(u, visit))


def _follow_up_owners(event: Event, s: Subjects) -> list[User]:
    return follow_up_owners(s.follow_up, s.visit) if s.follow_up is not None else []


def _project_followers(event: Event, s: Subjects) -> list[User]:
    return _keep(followers(project_id=s.project.id), project_permissions.can_view_projects)


def _participation_answerers(event: Event, s: Subjects) -> list[User]:
    return coordinators_who(lambda u: s.participation is not None
                            and project_permissions.can_answer_invitation(u, s.participation))


def _request_deciders(event: Event, s: Subjects) -> list[User]:
    return coordinators_who(lambda u: s.participation is not None
                            and project_permissions.can_decide_request(u, s.participation))


# type → (what must be visible here, who receives it)
RECIPIENTS: dict[str, tuple[str, Callable[[Event, Subjects], list[User]]]] = {
    "project.join_requested": ("participation", _request_deciders),
    "project.join_decided": ("participation", _requesting_coordinators),
    "project.invitation_received": ("participation", _participation_answerers),
    "project.invitation_answered": ("participation", _lead_coordinators),
    "project.status_changed": ("project", _project_people),
    "project.commented": ("project", _project_followers),
    "partners.organisation_invited": ("partnership", _partnership_answerers),
    "partners.interest_expressed": ("partnership", _partnership_answerers),
    "partners.partnership_decided": ("partnership", _partnership_askers),
    "visits.visit_changed": ("visit", _visit_people),
    "visits.lessons_published": ("visit", _lessons_readers),
    "visits.follow_up_assigned": ("follow_up", _follow_up_owners),
}


def recipients(event: Event, subjects: Subjects) -> list[User]:
    """The users of the current municipality who receive ``event`` (never its actor)."""
    required, who = RECIPIENTS[event.type]
    if getattr(subjects, required) is None:
        return []
    return [user for user in who(event, subjects) if user.id != event.actor_id]
