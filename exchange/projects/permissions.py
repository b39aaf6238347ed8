"""Who may do what with projects. Used by views (403) and templates (which buttons to show).

Visibility is the tenancy scope's job (a draft of another municipality is simply not found, 404); these
predicates decide what a user may *do* with a project they can see (DESIGN.md §4):

* the lead municipality's coordinators decide the status, invite, answer requests and edit everything;
* the lead's staff may edit the project while it is a draft (they write it; a coordinator proposes it),
  and afterwards add to the lead's own funding lines and contacts;
* staff and coordinators of an accepted participant edit only their own contribution: their part of the
  description, their funding lines, their contact people;
* a coordinator of another municipality answers an invitation or asks to join;
* every signed-in user who sees a project may comment on it.

Closed projects (completed, withdrawn) are read-only except for comments.
"""
from __future__ import annotations

from flask_babel import gettext as _

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in
from exchange.projects.models import CLOSED, OPEN_FOR_PARTNERS, TRANSITIONS, ParticipationStatus, ProjectStatus

WRITERS = (Role.STAFF, Role.COORDINATOR)


def _status(project) -> ProjectStatus:
    return ProjectStatus(project.status)


def is_lead(user, project) -> bool:
    """The user works for the project's lead municipality."""
    return is_signed_in(user) and user.municipality_id == project.lead_municipality_id


def is_lead_coordinator(user, project) -> bool:
    """A coordinator of the lead municipality: the people who run the project."""
    return is_lead(user, project) and user.has_role(Role.COORDINATOR)


def is_participant(user, project) -> bool:
    """The user's municipality takes part in the project (accepted), not as its lead."""
    if not is_signed_in(user) or is_lead(user, project):
        return False
    participation = project.participation_of(user.municipality_id)
    return participation is not None and participation.status == ParticipationStatus.ACCEPTED.value


def can_view_projects(user) -> bool:
    """Every signed-in user reads the projects their municipality can see."""
    return is_signed_in(user)


def can_create_project(user) -> bool:
    """Staff and coordinators draft new projects for their own municipality."""
    return is_signed_in(user) and user.has_role(*WRITERS)


def can_edit_project(user, project) -> bool:
    """Edit the project itself (texts, dates, themes, areas, sustainability, milestones).

    Lead coordinators always (until the project is closed); lead staff only while it is a draft.
    """
    if _status(project) in CLOSED or not is_lead(user, project):
        return False
    if user.has_role(Role.COORDINATOR):
        return True
    return user.has_role(Role.STAFF) and _status(project) == ProjectStatus.DRAFT


def can_change_status(user, project, target: ProjectStatus | None = None) -> bool:
    """Move the project along its lifecycle (any allowed step, or ``target`` when given)."""
    if not is_lead_coordinator(user, project):
        return False
    allowed = TRANSITIONS[_status(project)]
    return bool(allowed) if target is None else target in allowed


def can_edit_contribution_of(user, project, municipality_id: int) -> bool:
    """Edit the funding lines and contact people that belong to ``municipality_id``'s contribution.

    Only people of that municipality, and only while it leads the project or takes part in it.
    """
    if not is_signed_in(user) or user.municipality_id != municipality_id or _status(project) in CLOSED:
        return False
    if not user.has_role(*WRITERS):
        return False
    return is_lead(user, project) or is_participant(user, project)


def can_edit_own_contribution(user, project) -> bool:
    """The user may add funding lines and contacts for their own municipality on this project."""
    return is_signed_in(user) and can_edit_contribution_of(user, project, user.municipality_id)


def can_remove_funding_line(user, line) -> bool:
    """Remove a funding line: the people of the municipality it belongs to (as for adding one). A partner
    organisation's line is booked on the organisation's municipality, which may not take part in the
    project itself: then that municipality's staff and coordinators, or the lead's coordinators."""
    project = line.project
    if can_edit_contribution_of(user, project, line.municipality_id):
        return True
    if not is_signed_in(user) or _status(project) in CLOSED or project.involves(line.municipality_id):
        return False
    return ((user.municipality_id == line.municipality_id and user.has_role(*WRITERS))
            or is_lead_coordinator(user, project))


def can_edit_participation_text(user, participation) -> bool:
    """A participant's staff and coordinators write their municipality's part of the description."""
    return (participation.status == ParticipationStatus.ACCEPTED.value
            and can_edit_contribution_of(user, participation.project, participation.municipality_id))


def can_invite(user, project) -> bool:
    """Lead coordinators invite other municipalities while the project is open for partners."""
    return is_lead_coordinator(user, project) and _status(project) in OPEN_FOR_PARTNERS


def can_request_to_join(user, project) -> bool:
    """A coordinator of another municipality may ask to join an open project they are not yet part of
    (again after a declined request or invitation)."""
    if not is_signed_in(user) or is_lead(user, project) or not user.has_role(Role.COORDINATOR):
        return False
    if _status(project) not in OPEN_FOR_PARTNERS:
        return False
    participation = project.participation_of(user.municipality_id)
    return participation is None or participation.status == ParticipationStatus.DECLINED.value


def can_answer_invitation(user, participation) -> bool:
    """The invited municipality's coordinators accept or decline an open invitation."""
    return (is_signed_in(user) and user.has_role(Role.COORDINATOR)
            and user.municipality_id == participation.municipality_id
            and participation.status == ParticipationStatus.INVITED.value
            and _status(participation.project) not in CLOSED)


def can_decide_request(user, participation) -> bool:
    """The lead's coordinators accept or decline a municipality's request to join."""
    return (participation.status == ParticipationStatus.REQUESTED.value
            and is_lead_coordinator(user, participation.project)
            and _status(participation.project) not in CLOSED)


def can_send_decision(user, participation) -> bool:
    """Who may post a decision on a participation: whoever must decide it while it is open (above); once
    it has been decided, a coordinator of either side, so that a decision sent from a page shown before
    is a conflict (409, nothing saved) rather than a dead end (403)."""
    if participation.status in (ParticipationStatus.INVITED.value, ParticipationStatus.REQUESTED.value):
        return can_answer_invitation(user, participation) or can_decide_request(user, participation)
    return (is_signed_in(user) and user.has_role(Role.COORDINATOR) and _status(participation.project) not in CLOSED
            and user.municipality_id in (participation.municipality_id, participation.project.lead_municipality_id))


def can_comment(user, project) -> bool:
    """Anyone signed in who can see the project may discuss it (the scope already decided visibility)."""
    return is_signed_in(user)


def can_publish_project(user, project) -> bool:
    """The lead's coordinators decide whether the project is shown on the public pages (issue 17): a
    proposed, active or completed one may be shown; a shown one may always be taken off."""
    return is_lead_coordinator(user, project) and (bool(project.public)
                                                   or project.status in project.PUBLIC_STATUSES)


# --- why not, and who can (issue 14: no dead ends) ----------------------------------------------------
# Each answers None when the user may do it (or when there is nothing useful to say), else one sentence
# naming who can. The views give it to the 403 page, the templates show it where the button would be.

def why_not_edit_project(user, project) -> str | None:
    if not is_signed_in(user) or can_edit_project(user, project):
        return None
    if _status(project) in CLOSED:
        return _("A completed or withdrawn project can no longer be edited.")
    if not is_lead(user, project):
        return _("%(lead)s leads this project, so its coordinators edit it. Your municipality edits only its own "
                 "contribution once it takes part.", lead=project.lead.name)
    return _("Proposed projects are edited by the lead coordinator: ask a coordinator of %(lead)s.",
             lead=project.lead.name)


def why_not_join(user, project) -> str | None:
    if not is_signed_in(user) or can_request_to_join(user, project) or is_lead(user, project):
        return None
    if _status(project) not in OPEN_FOR_PARTNERS:
        return _("The project is not open for new partners.")
    participation = project.participation_of(user.municipality_id)
    if participation is not None and participation.status != ParticipationStatus.DECLINED.value:
        return None  # invited, asked or taking part: the page says so
    return _("Your coordinator can ask to join on behalf of %(municipality)s.", municipality=user.municipality.name)


def why_not_plan(user, project) -> str | None:
    """The plan page: the lead and the participating municipalities keep their own part of it."""
    if not is_signed_in(user) or can_edit_own_contribution(user, project) or can_edit_project(user, project):
        return None
    if _status(project) in CLOSED:
        return _("A completed or withdrawn project can no longer be edited.")
    if not (is_lead(user, project) or is_participant(user, project)):
        return (why_not_join(user, project)
                or _("Only the lead municipality and the participating municipalities plan the funding."))
    return _("Staff and coordinators of %(municipality)s add its funding lines and contact people.",
             municipality=user.municipality.name)
