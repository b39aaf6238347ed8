"""The landing page (global), the health check, and each municipality's dashboard."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from exchange.dashboard import dashboard_panel, panels_for
from exchange.extensions import db
from exchange.municipalities import queries

public_bp = Blueprint("public", __name__)
bp = Blueprint("municipalities", __name__)


@public_bp.route("/")
def landing():
    return render_template("municipalities/landing.html", municipalities=queries.all_ordered())


@public_bp.route("/healthz")
def healthz():
    try:
        # A constant query that touches no tenant table: it only proves the database answers.
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "unreachable" to a load balancer
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status


@bp.route("/")
@login_required
def dashboard():
    return render_template("municipalities/dashboard.html", panels=panels_for(current_user))


@dashboard_panel
def _network_panel(user):
    return "municipalities/panel_network.html", {"municipalities": queries.all_ordered()}
