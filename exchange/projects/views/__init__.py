"""Project pages: the blueprint, what the projects domain gives templates, the menu entry and the dashboard
panel. The views themselves live in one module per area: ``listing`` (list, search, CSV), ``pages``
(detail, languages, the project form, lifecycle, joining, contributions, comments) and ``plan``
(funding lines, contacts, milestones).

Each view reads the same way: load (scoped, 404) → permission (403) → ``exchange.views.submit`` (validate
→ one service call → commit → flash → redirect; 422 beside the fields; 409 on a stale save).
"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from exchange import templating
from exchange.auth.models import Role
from exchange.dashboard import PANEL_ROWS, dashboard_panel, first_rows, nav_item, panel_cap
from exchange.projects import permissions, queries
from exchange.projects.models import Project
from exchange.views import found_or_404

bp = Blueprint("projects", __name__, url_prefix="/projects")

nav_item("tenant.projects.index", _l("Projects"), permissions.can_view_projects)
templating.expose_permissions("projects", permissions)
# Why an action is not available, and who can do it (shown where its button would be).
templating.expose_helpers("projects", why_not_edit=lambda project: permissions.why_not_edit_project(current_user, project),
                          why_not_join=lambda project: permissions.why_not_join(current_user, project))


def project_or_404(project_id: int) -> Project:
    """The project, through the scoped query: another municipality's draft is simply not found (404)."""
    return found_or_404(queries.get_project(project_id))


def reader_locale() -> str:
    return str(get_locale())


def form_for(cls, saved=None, **kwargs):
    """The submitted form on POST; on GET the form filled with ``saved()`` (the object's saved values, the
    same mapping the request kit shows beside the user's input on a conflict)."""
    if request.method == "POST":
        return cls(**kwargs)
    return cls(data=saved() if saved else {}, **kwargs)


@dashboard_panel
def _projects_panel(user):
    if not permissions.can_view_projects(user):
        return None
    # Invitations and requests are answered by coordinators, so only they get the to-do lists.
    coordinator = user.has_role(Role.COORDINATOR)
    invitations, more_invitations = first_rows(
        queries.pending_invitations(user.municipality_id, limit=PANEL_ROWS + 1) if coordinator else [])
    requests, more_requests = first_rows(
        queries.pending_requests(user.municipality_id, limit=PANEL_ROWS + 1) if coordinator else [])
    cap = panel_cap()
    return "projects/panel.html", {
        "total": queries.project_total(user.municipality_id, cap), "cap": cap,
        "invitations": invitations, "requests": requests, "more": more_invitations or more_requests,
        "panel_rows": PANEL_ROWS, "can_create": permissions.can_create_project(user),
    }


from exchange.projects.views import listing, pages, plan  # noqa: E402,F401  (the routes)
