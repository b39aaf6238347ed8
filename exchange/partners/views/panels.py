"""The dashboard's partner panels: profiles to confirm, projects to find partners for, and interests and
invitations waiting for an answer."""
from __future__ import annotations

from exchange.auth.models import Role
from exchange.dashboard import PANEL_ROWS, dashboard_panel, first_rows
from exchange.partners import permissions, queries


@dashboard_panel
def _stale_panel(user):
    if not permissions.can_register_organisation(user):
        return None
    rows, count = queries.stale_organisations(user.municipality_id)
    if not count:
        return None
    return "partners/panel_stale.html", {"organisations": rows, "count": count}


@dashboard_panel
def _find_partners_panel(user):
    """Coordinators of a lead municipality: their open projects, each with its suggested partners."""
    if not user.has_role(Role.COORDINATOR):
        return None
    projects = queries.open_projects_led_by(user.municipality_id)
    if not projects:
        return None
    return "partners/panel_find.html", {"projects": projects}


@dashboard_panel
def _partnership_panel(user):
    if not user.has_role(Role.COORDINATOR):
        return None
    interests, more_interests = first_rows(queries.interests_to_answer(user.municipality_id, limit=PANEL_ROWS + 1))
    invitations, more_invitations = first_rows(
        queries.invitations_to_answer(user.municipality_id, limit=PANEL_ROWS + 1))
    if not interests and not invitations:
        return None
    return "partners/panel_partnerships.html", {"interests": interests, "invitations": invitations,
                                                "more": more_interests or more_invitations,
                                                "panel_rows": PANEL_ROWS}
