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

# The group of each type (its code's prefix) and its heading on the preferences page.
GROUPS = {
    "projects": _l("Projects"),
    "partners": _l("Partner organisations"),
    "visits": _l("Visits"),
    "translations": _l("Translations"),
}
_GROUP_OF_PREFIX = {"project": "projects", "partners": "partners", "visits": "visits", "translations": "translations"}
COORDINATORS = frozenset({COORDINATOR})


@dataclass(frozen=True)
class Kind:
    """A type of notification. By default only coordinators receive it, and they get it by e-mail at once."""

    code: str
    label: object  # lazy string: what the preferences page calls it
    roles: frozenset[Role] = COORDINATORS  # who can receive it (others do not see it among their preferences)
    defaults: dict[Role, Mode] = field(default_factory=lambda: {COORDINATOR: I})  # e-mail default per role
    collapse: bool = False  # an unread one about the same thing is brought up to date instead of repeated

    @property
    def group(self) -> str:
        return _GROUP_OF_PREFIX[self.code.partition(".")[0]]

    def default_for(self, roles) -> Mode:
        """The more urgent default of the person's roles (weekly for a role the type names no default for)."""
        modes = [self.defaults.get(role, W) for role in roles] or [W]
        return min(modes, key=URGENCY.__getitem__)


KINDS: dict[str, Kind] = {kind.code: kind for kind in (
    # raised by exchange.projects.services
    Kind("project.join_requested", _l("A municipality asks to join a project you lead")),
    Kind("project.join_decided", _l("Your municipality's request to join a project is answered")),
    Kind("project.invitation_received", _l("Your municipality is invited to take part in a project")),
    Kind("project.invitation_answered", _l("A municipality answers an invitation to a project you lead")),
    Kind("project.status_changed", _l("The status of a project you lead, take part in or follow changes"),
         WORKERS, {COORDINATOR: D, STAFF: D}),
    Kind("project.commented", _l("A new comment on a project you follow"), WORKERS, {COORDINATOR: D, STAFF: D}),
    # the daily job of funding-call deadlines (exchange.notifications.schedule.remind_call_deadlines)
    Kind("project.call_closing", _l("A funding call a project of yours is linked to closes in 30, 7 or 1 days")),
    # raised by exchange.partners.services, and the daily job of stale profiles
    Kind("partners.organisation_invited", _l("An organisation of your municipality is invited to a project")),
    Kind("partners.interest_expressed", _l("An organisation would like to be a partner in a project you lead")),
    Kind("partners.partnership_decided", _l("An interest or an invitation of an organisation is answered"),
         defaults={COORDINATOR: D}),
    Kind("partners.profile_stale", _l("An organisation profile has not been confirmed for 12 months"),
         defaults={COORDINATOR: W}),
    # raised by exchange.visits.services, and the hourly job of follow-up reminders
    Kind("visits.visit_changed", _l("A visit involving your municipality is logged or changed"), WORKERS,
         {COORDINATOR: D}, collapse=True),
    Kind("visits.lessons_published", _l("Lessons learned from a visit are published"), WORKERS,
         {COORDINATOR: D, STAFF: W}),
    Kind("visits.follow_up_assigned", _l("A follow-up action is assigned to you")),
    Kind("visits.follow_up_due", _l("A follow-up action of yours is due within 7 days"), defaults={COORDINATOR: D}),
    Kind("visits.follow_up_overdue", _l("A follow-up action of yours is overdue")),
    # the hourly job of the translators' batches
    Kind("translations.texts_waiting", _l("New or changed texts are waiting for translation into your languages"),
         frozenset({TRANSLATOR}), {TRANSLATOR: D}, collapse=True),
)}

# Events that notify nobody but let the notifications domain react (the author follows their project).
SILENT = frozenset({"project.created"})


def kinds_for(roles) -> list[Kind]:
    """The types a person with these roles can receive, in the order of the list."""
    roles = set(roles)
    return [kind for kind in KINDS.values() if kind.roles & roles]
