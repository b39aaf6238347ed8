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
    """The people of the current municipality responsible for a follow-up action: its owner's account
    when it has one (found only in the owner's own municipality: users are tenant-owned), otherwise the
    coordinators of the visit's municipalities who may read its details. Every type about follow-up
    actions asks this one function."""
    if follow_up.owner_user_id is not None:
        owner = db.session.get(User, follow_up.owner_user_id)
        return [owner] if (owner is not None and owner.active
                           and visit_permissions.can_view_details(owner, visit)) else []
    return coordinators_who(lambda user: visit_permissions.can_view_details(user, visit))


# --- per type -----------------------------------------------------------------------------------

Who = Callable[[Event, Subjects], list[User]]
# type → (what must be visible here, who receives it)
RECIPIENTS: dict[str, tuple[str, Who]] = {}


def receive(needs: str, *types: str):
    """Register the function that answers who receives ``types``, once ``needs`` (an attribute of
    Subjects) is visible in the current municipality."""
    def register(func: Who) -> Who:
        RECIPIENTS.update({type_: (needs, func) for type_ in types})
        return func
    return register


@receive("participation", "project.join_requested")
def _request_deciders(event: Event, s: Subjects) -> list[User]:
    """The lead's coordinators, while the request waits for them (the predicate of the decide button)."""
    return coordinators_who(lambda u: project_permissions.can_decide_request(u, s.participation))


@receive("participation", "project.join_decided")
def _requesting_coordinators(event: Event, s: Subjects) -> list[User]:
    """The coordinators of the municipality that asked to join (answered by the lead)."""
    return coordinators_who(lambda u: u.municipality_id == s.participation.municipality_id)


@receive("participation", "project.invitation_received")
def _participation_answerers(event: Event, s: Subjects) -> list[User]:
    """The invited municipality's coordinators, while the invitation waits for them."""
    return coordinators_who(lambda u: project_permissions.can_answer_invitation(u, s.participation))


@receive("participation", "project.invitation_answered")
def _lead_coordinators(event: Event, s: Subjects) -> list[User]:
    return coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, s.project))


@receive("project", "project.status_changed")
def _project_people(event: Event, s: Subjects) -> list[User]:
    """Status changes: the lead's coordinators, participating municipalities' coordinators, followers."""
    project = s.project
    involved = coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, project)
                                or project_permissions.is_participant(u, project))
    return _keep([*involved, *followers(project_id=project.id)], project_permissions.can_view_projects)


@receive("project", "project.commented")
def _project_followers(event: Event, s: Subjects) -> list[User]:
    return _keep(followers(project_id=s.project.id), project_permissions.can_view_projects)


@receive("partnership", "partners.organisation_invited", "partners.interest_expressed")
def _partnership_answerers(event: Event, s: Subjects) -> list[User]:
    """Whoever must act on the pending interest or invitation (the predicate of the answer page)."""
    return coordinators_who(lambda u: partner_permissions.can_answer(u, s.partnership))


@receive("partnership", "partners.partnership_decided")
def _partnership_askers(event: Event, s: Subjects) -> list[User]:
    """The side that asked, once the other side answered: the organisation's municipality for an
    interest, the lead for an invitation."""
    link = s.partnership
    if event.ref("was") == "interested":
        return coordinators_who(lambda u: partner_permissions.is_own(u, link.organisation))
    return coordinators_who(lambda u: project_permissions.is_lead_coordinator(u, link.project))


@receive("visit", "visits.visit_changed")
def _visit_people(event: Event, s: Subjects) -> list[User]:
    """Logged or changed: the coordinators of the visit's municipalities, and its followers (everybody
    may see that a visit takes place and when; the text says no more)."""
    visit = s.visit
    return _keep([*coordinators_who(lambda u: visit_permissions.can_edit_visit(u, visit)),
                  *followers(visit_id=visit.id)], visit_permissions.can_view_visits)


@receive("visit", "visits.lessons_published")
def _lessons_readers(event: Event, s: Subjects) -> list[User]:
    """Lessons learned: staff and coordinators of the visit's municipalities, and followers, but only
    those who may read the visit's details (a third municipality's follower may not)."""
    visit = s.visit
    return _keep([*with_roles(Role.STAFF, Role.COORDINATOR), *followers(visit_id=visit.id)],
                 lambda u: visit_permissions.can_view_details(u, visit))


@receive("follow_up", "visits.follow_up_assigned")
def _follow_up_owners(event: Event, s: Subjects) -> list[User]:
    return follow_up_owners(s.follow_up, s.visit)


def recipients(event: Event, subjects: Subjects) -> list[User]:
    """The users of the current municipality who receive ``event`` (never its actor)."""
    needs, who = RECIPIENTS[event.type]
    if getattr(subjects, needs) is None:
        return []
    return [user for user in who(event, subjects) if user.id != event.actor_id]
