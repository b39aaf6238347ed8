"""The notification types: one small, explicit list. Each type says which group it belongs to (for the
preferences page), who may receive it (by role), its e-mail default per role, and whether a newer one
replaces an unread older one about the same thing.

Who receives a type is decided in ``recipients.py``; how it reads in ``display.py``; which service raises
it is named beside each entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from exchange.auth.models import Role
from exchange.notifications.models import URGENCY, Mode

I, D, W, OFF = Mode.IMMEDIATELY, Mode.DAILY, Mode.WEEKLY, Mode.OFF
STAFF, COORDINATOR, TRANSLATOR, ADMIN = Role.STAFF, Role.COORDINATOR, Role.TRANSLATOR, Role.ADMIN
WORKERS = frozenset({STAFF, COORDINATOR, ADMIN})

GROUPS = {
    "projects": _l("Projects"),
    "partners": _l("Partner organisations"),
    "visits": _l("Visits"),
    "translations": _l("Translations"),
}


@dataclass(frozen=True)
class Kind:
    code: str
    group: str
    label: object  # lazy string: what the preferences page calls it
    roles: frozenset[Role]  # the roles that can receive it (others do not see it among their preferences)
    defaults: dict[Role, Mode] = field(default_factory=dict)  # e-mail default per role (else weekly)
    collapse: bool = False  # an unread one about the same thing is brought up to date instead of repeated

    def default_for(self, roles) -> Mode:
        """The more urgent default of the person's roles."""
        modes = [self.defaults.get(role, W) for role in roles] or [W]
        return min(modes, key=URGENCY.__getitem__)


KINDS: dict[str, Kind] = {kind.code: kind for kind in (
    # exchange.projects.services
    Kind("project.join_requested", "projects", _l("A municipality asks to join a project you lead"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("project.join_decided", "projects", _l("Your municipality's request to join a project is answered"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("project.invitation_received", "projects", _l("Your municipality is invited to take part in a project"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("project.invitation_answered", "projects", _l("A municipality answers an invitation to a project you lead"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("project.status_changed", "projects",
         _l("The status of a project you lead, take part in or follow changes"), WORKERS,
         {COORDINATOR: D, STAFF: D}),
    Kind("project.commented", "projects", _l("A new comment on a project you follow"), WORKERS,
         {COORDINATOR: D, STAFF: D}),
    # exchange.partners.services
    Kind("partners.organisation_invited", "partners", _l("An organisation of your municipality is invited to a project"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("partners.interest_expressed", "partners", _l("An organisation would like to be a partner in a project you lead"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("partners.partnership_decided", "partners", _l("An interest or an invitation of an organisation is answered"),
         frozenset({COORDINATOR}), {COORDINATOR: D}),
    Kind("partners.profile_stale", "partners", _l("An organisation profile has not been confirmed for 12 months"),
         frozenset({COORDINATOR}), {COORDINATOR: W}),
    # exchange.visits.services
    Kind("visits.visit_changed", "visits", _l("A visit involving your municipality is logged or changed"),
         WORKERS, {COORDINATOR: D}, collapse=True),
    Kind("visits.lessons_published", "visits", _l("Lessons learned from a visit are published"), WORKERS,
         {COORDINATOR: D, STAFF: W}),
    Kind("visits.follow_up_assigned", "visits", _l("A follow-up action is assigned to you"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    Kind("visits.follow_up_due", "visits", _l("A follow-up action of yours is due within 7 days"),
         frozenset({COORDINATOR}), {COORDINATOR: D}),
    Kind("visits.follow_up_overdue", "visits", _l("A follow-up action of yours is overdue"),
         frozenset({COORDINATOR}), {COORDINATOR: I}),
    # the translators' queue (a recurring job batches them)
    Kind("translations.texts_waiting", "translations",
         _l("New or changed texts are waiting for translation into your languages"), frozenset({TRANSLATOR}),
         {TRANSLATOR: D}, collapse=True),
)}

# Events that notify nobody but let the notifications domain react (the author follows their project).
SILENT = frozenset({"project.created"})


def kinds_for(roles) -> list[Kind]:
    """The types a person with these roles can receive, in the order of the list."""
    roles = set(roles)
    return [kind for kind in KINDS.values() if kind.roles & roles]
