"""The landing page (global) and each municipality's dashboard."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.auth.permissions import can_manage_users
from exchange.dashboard import PANEL_ROWS, dashboard_panel, panels_for
from exchange.extensions import limiter
from exchange.municipalities import accessibility, identity, queries, services
from exchange.municipalities.forms import FeedbackForm, IdentityForm
from exchange.security import client_address
from exchange.tenancy import current_municipality
from exchange.views import require, submit

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
    # A few names and a link to the whole list: a network of a thousand municipalities listed on every
    # dashboard made its cost grow with the network (issue 12).
    municipalities, total = queries.first_by_name(PANEL_ROWS)
    return "municipalities/panel_network.html", {"municipalities": municipalities, "total": total}


# --- identity: colour and coat of arms ----------------------------------------------------------------

@bp.route("/admin/identity", methods=["GET", "POST"])
@login_required
def edit_identity():
    """The municipality's admins set its colour, coat of arms and contact address."""
    require(can_manage_users(current_user))
    municipality = current_municipality()
    form = IdentityForm(data=IdentityForm.data_of(municipality) if request.method == "GET" else None)
    return submit(form, lambda: identity.set_identity(municipality, current_user, **form.to_input()),
                  render=lambda: render_template("municipalities/identity.html", form=form,
                                                 municipality=municipality),
                  done=url_for(".edit_identity"), message=_("The identity of the municipality has been saved."),
                  saved=lambda: IdentityForm.data_of(municipality))


@bp.route("/identity.css")
def identity_css():
    """The municipality's colour as a stylesheet (the Content-Security-Policy allows no inline style).
    Its URL carries the municipality's version, so it may be cached for a year."""
    colour = current_municipality().accent_colour
    css = f":root {{ --accent: {colour}; }}\n" if colour else ""
    response = Response(css, mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, 31536000
    return response


@bp.route("/emblem")
def emblem():
    """The coat of arms, public like the name (its URL carries a stamp that changes with the image)."""
    municipality = current_municipality()
    if not municipality.emblem_type or municipality.emblem_data is None:
        abort(404)
    response = Response(municipality.emblem_data, mimetype=municipality.emblem_type)
    response.cache_control.public, response.cache_control.max_age = True, 31536000
    return response
