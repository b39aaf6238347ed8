"""The landing page (global) and each municipality's dashboard."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from exchange.dashboard import dashboard_panel, panels_for
from exchange.municipalities import queries

public_bp = Blueprint("public", __name__)
bp = Blueprint("municipalities", __name__)


@public_bp.route("/")
def landing():
    return render_template("municipalities/landing.html", municipalities=queries.all_ordered())


@bp.route("/")
@login_required
def dashboard():
    return render_template("municipalities/dashboard.html", panels=panels_for(current_user))


@dashboard_panel
def _network_panel(user):
    return "municipalities/panel_network.html", {"municipalities": queries.all_ordered()}
