"""The landing page (global) and each municipality's dashboard."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.dashboard import dashboard_panel, panels_for
from exchange.extensions import limiter
from exchange.municipalities import accessibility, queries, services
from exchange.municipalities.forms import FeedbackForm
from exchange.security import client_address
from exchange.tenancy import current_municipality
from exchange.views import submit

public_bp = Blueprint("public", __name__)
bp = Blueprint("municipalities", __name__)


@public_bp.route("/")
def landing():
    return render_template("municipalities/landing.html", municipalities=queries.all_ordered())


@public_bp.route("/accessibility")
def accessibility_index():
    """Every municipality's statement (linked from pages that belong to no municipality)."""
    return render_template("municipalities/accessibility_index.html", municipalities=queries.all_ordered())


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("FEEDBACK_LIMIT", "5 per hour"), methods=["POST"],
               key_func=lambda: f"feedback|{client_address()}")
def accessibility_statement():
    """The municipality's accessibility statement with its feedback form (no sign-in needed)."""
    municipality = current_municipality()
    form = FeedbackForm()
    return submit(form, lambda: services.send_accessibility_feedback(municipality, **form.to_input()),
                  render=lambda: render_template(
                      "municipalities/accessibility.html", form=form, municipality=municipality,
                      body=accessibility.enforcement_body(municipality.country), gaps=accessibility.KNOWN_GAPS,
                      date=accessibility.STATEMENT_DATE),
                  done=url_for(".accessibility_statement"),
                  message=_("Thank you. Your feedback has been sent to %(municipality)s.",
                            municipality=municipality.name))


@bp.route("/")
@login_required
def dashboard():
    return render_template("municipalities/dashboard.html", panels=panels_for(current_user))


@dashboard_panel
def _network_panel(user):
    return "municipalities/panel_network.html", {"municipalities": queries.all_ordered()}
