"""Sign-in, sign-out, the user's own account, and the admin's account management.

Each view: load (scoped, 404) → permission (403) → ``submit`` (validate → one service call → commit →
flash → redirect; a refusal 422, a conflict 409).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from exchange import templating
from exchange.auth import display, permissions, queries, services, twofactor
from exchange.dashboard import dashboard_panel, nav_item
from exchange.extensions import login_manager
from exchange.tenancy import current_municipality, current_municipality_id

bp = Blueprint("auth", __name__)

nav_item("tenant.auth.users", _l("Accounts"), permissions.can_manage_users)
templating.expose_permissions("auth", permissions)
templating.expose_helpers("auth", device=display.device)


@login_manager.user_loader
def _load_user(user_id: str):
    # Outside a municipality (the landing page) nobody is signed in; inside one, the scoped query
    # finds only that municipality's users, so another municipality's session is anonymous here.
    if current_municipality_id() is None:
        return None
    return services.session_user(session.get("sid"), user_id)


@login_manager.unauthorized_handler
def _unauthorized():
    if current_municipality() is None:
        abort(404)
    flash(_("Please sign in to see this page."), "info")
    return redirect(url_for("tenant.auth.login", next=request.full_path.rstrip("?")))


# Until an admin has a second factor, the only pages they may use are the ones that set it up.
_ENROLMENT_PAGES = {"tenant.auth.two_factor", "tenant.auth.two_factor_start", "tenant.auth.two_factor_confirm",
                    "tenant.auth.logout"}


@bp.before_app_request
def _second_factor_gate():
    if not (request.endpoint or "").startswith("tenant.") or request.endpoint in _ENROLMENT_PAGES:
        return None
    if current_user.is_authenticated and twofactor.must_enrol(current_user):
        return redirect(url_for("tenant.auth.two_factor"))
    return None


@dashboard_panel
def _account_panel(user):
    return "auth/panel_account.html", {}


@dashboard_panel
def _admin_panel(user):
    if not permissions.can_manage_users(user):
        return None
    return "auth/panel_admin.html", {"counts": queries.account_counts()}


from exchange.auth.views import account, admin, security, signin  # noqa: E402,F401  (routes on bp)
