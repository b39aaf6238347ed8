"""Partner organisations: the directory, profiles and their upkeep, a project's partner needs, explained
suggestions both ways, expressions of interest and invitations.

Each view: load (scoped, 404) → permission (403) → one ``exchange.views.submit`` (validate → one service
call → commit → flash → redirect, or the page again with 422/409). The package: ``organisations``
(directory, profiles), ``projects`` (a project's partners, needs, suggestions, invitations, answers) and
``panels`` (the dashboard's partner panels).
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from exchange.dashboard import nav_item
from exchange.partners import display, permissions, queries, services
from exchange.templating import expose_helpers, expose_permissions
from exchange.views import found_or_404, require

bp = Blueprint("partners", __name__, url_prefix="/partners")

nav_item("tenant.partners.directory", _l("Partner organisations"), permissions.can_view_directory)
# Templates (the dashboard's panels included) ask the same predicates as the views: can.partners.<verb_thing>.
expose_permissions("partners", permissions)
expose_helpers("partners", project_url=display.project_url, role_label=display.role_label,
               is_fundable=services.is_fundable)


def locale() -> str:
    return str(get_locale())


def _allowed(obj, allowed):
    """``obj`` (404 when the scope does not find it) if ``allowed(current_user, obj)``, else 403."""
    found_or_404(obj)
    require(allowed(current_user, obj))
    return obj


def organisation_for(organisation_id: int, allowed):
    return _allowed(queries.get_organisation(organisation_id), allowed)


def project_for(project_id: int, allowed):
    return _allowed(queries.get_project(project_id), allowed)


def partnership_for(partnership_id: int, allowed):
    return _allowed(queries.get_partnership(partnership_id), allowed)


from exchange.partners.views import organisations, panels, projects  # noqa: E402,F401  (routes on bp)
