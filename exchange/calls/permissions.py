"""Who may do what with funding calls. Used by views (403) and templates (which buttons to show).

Calls are a catalog shared by the whole network (models.py): every signed-in user reads them; the
coordinators and admins of *any* municipality add and keep them current (the owner is shown, and the
history says who changed what). Staff and translators read only. A project is linked to a call by the
project's lead coordinators, who decide what the project applies for.
"""
from __future__ import annotations

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in
from exchange.projects import permissions as project_permissions
from exchange.projects.models import CLOSED, ProjectStatus

EDITORS = (Role.COORDINATOR, Role.ADMIN)


def can_view_calls(user) -> bool:
    """Every signed-in user reads the catalog of calls."""
    return is_signed_in(user)


def can_create_call(user) -> bool:
    """Coordinators and admins of any municipality add calls."""
    return is_signed_in(user) and user.has_role(*EDITORS)


def can_edit_call(user, call) -> bool:
    """Coordinators and admins of any municipality keep every call current (not only their own)."""
    return call is not None and can_create_call(user)


def can_link_call(user, project) -> bool:
    """The project's lead coordinators link it to calls and unlink it, while the project is open."""
    return (project_permissions.is_lead_coordinator(user, project)
            and ProjectStatus(project.status) not in CLOSED)
