"""Who may do what with partner organisations, partner needs and partnerships. Used by views (403) and
templates (which buttons to show, whether contact details appear).

Visibility is the tenancy scope's job: every municipality sees every organisation profile, and a project's
needs and partnerships with the project. These predicates decide what a user may *do* (DESIGN.md §4):

* staff and coordinators register their own municipality's organisations and keep them up to date
  (edit, confirm, retire); nobody edits another municipality's organisations;
* contact people are shown to signed-in users only, and exported only to the owning municipality;
* a project's partner needs are edited by the people who may edit the project itself;
* staff and coordinators of an organisation's municipality express interest on its behalf;
* the lead's coordinators invite organisations and answer expressions of interest;
* the coordinators of an organisation's municipality answer invitations addressed to it.
"""
from __future__ import annotations

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in
from exchange.partners.models import PartnershipStatus
from exchange.projects import permissions as project_permissions
from exchange.projects.models import CLOSED, OPEN_FOR_PARTNERS, ProjectStatus

WRITERS = (Role.STAFF, Role.COORDINATOR)


def _open(project) -> bool:
    return ProjectStatus(project.status) in OPEN_FOR_PARTNERS


def can_view_directory(user, organisation=None) -> bool:
    """Every signed-in user searches the network's organisations and reads their profiles."""
    return is_signed_in(user)


def can_register_organisation(user) -> bool:
    """Staff and coordinators register organisations of their own municipality."""
    return is_signed_in(user) and user.has_role(*WRITERS)


def is_own(user, organisation) -> bool:
    """The organisation belongs to the user's municipality."""
    return is_signed_in(user) and user.municipality_id == organisation.municipality_id


def can_edit_organisation(user, organisation) -> bool:
    """Only the owning municipality's staff and coordinators edit, confirm or retire an organisation."""
    return is_own(user, organisation) and user.has_role(*WRITERS)


def can_see_contacts(user, organisation=None) -> bool:
    """Contact people's personal details: signed-in users only (DESIGN.md §4)."""
    return is_signed_in(user)


def can_export_contacts(user, organisation) -> bool:
    """Exports carry contact details only for the exporting municipality's own organisations."""
    return is_own(user, organisation)


def can_edit_needs(user, project) -> bool:
    """A project's partner needs are part of the project: the same people edit them."""
    return project_permissions.can_edit_project(user, project)


def can_view_suggestions(user, project) -> bool:
    """Suggestions are built from what the network already shares: everyone who sees the project."""
    return is_signed_in(user)


def can_invite_organisation(user, project, organisation=None) -> bool:
    """The lead's coordinators invite (active) organisations while the project is open for partners."""
    if not (project_permissions.is_lead_coordinator(user, project) and _open(project)):
        return False
    return organisation is None or organisation.active


def can_express_interest(user, project, organisation) -> bool:
    """Staff and coordinators of the organisation's municipality, on its behalf, in an open project."""
    return can_edit_organisation(user, organisation) and organisation.active and _open(project)


def can_answer(user, partnership) -> bool:
    """Whoever must act on a pending partnership: the lead's coordinators answer an interest, the
    coordinators of the organisation's municipality answer an invitation."""
    if not is_signed_in(user) or not user.has_role(Role.COORDINATOR):
        return False
    if ProjectStatus(partnership.project.status) not in OPEN_FOR_PARTNERS:
        return False
    if partnership.status == PartnershipStatus.INTERESTED.value:
        return user.municipality_id == partnership.project.lead_municipality_id
    if partnership.status == PartnershipStatus.INVITED.value:
        return user.municipality_id == partnership.organisation.municipality_id
    return False


def can_send_answer(user, partnership) -> bool:
    """Who may post an answer: whoever must act on it while it is pending (``can_answer``); once it has
    been answered, a coordinator of either side, so that an answer sent from a page shown before is a
    conflict (409, nothing saved) rather than a dead end (403)."""
    if partnership.is_pending:
        return can_answer(user, partnership)
    return (is_signed_in(user) and user.has_role(Role.COORDINATOR)
            and ProjectStatus(partnership.project.status) in OPEN_FOR_PARTNERS
            and user.municipality_id in (partnership.project.lead_municipality_id,
                                         partnership.organisation.municipality_id))


def can_add_to_funding_plan(user, partnership) -> bool:
    """The contribution becomes a line of the organisation's own municipality, so that municipality's
    staff and coordinators put it into the funding plan (they know the value of an hour of voluntary work
    in their own currency); the lead's coordinators may do it too. Not once the project is closed."""
    if partnership.status != PartnershipStatus.ACCEPTED.value or not is_signed_in(user):
        return False
    project = partnership.project
    if ProjectStatus(project.status) in CLOSED:
        return False
    return can_edit_organisation(user, partnership.organisation) or project_permissions.is_lead_coordinator(user,
                                                                                                           project)
