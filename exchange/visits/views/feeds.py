"""Calendar files: one visit's .ics, the municipality's secret subscription feed, and the page that
creates and revokes the feed's address."""
from __future__ import annotations

import datetime as dt

from flask import Response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.calls import queries as call_queries
from exchange.extensions import db
from exchange.tenancy import current_municipality
from exchange.views import found_or_404, require, submit
from exchange.visits import calendar, permissions, queries, services
from exchange.visits.display import today
from exchange.visits.forms import FeedForm
from exchange.visits.views import bp
from exchange.visits.views.common import load_visit, locale


def _ics(payload: bytes, filename: str) -> Response:
    return Response(payload, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:visit_id>.ics")
@login_required
def visit_ics(visit_id: int):
    visit = load_visit(visit_id)
    require(permissions.can_view_visits(current_user))
    payload = calendar.visit_file(visit, permissions.can_view_details(current_user, visit), locale())
    return _ics(payload, f"visit-{visit.id}.ics")


@bp.route("/feed/<token>.ics")
def feed(token: str):
    """The subscription feed: no sign-in (calendar applications cannot), the secret URL is the key.
    Wrong, revoked or another municipality's token → 404."""
    found_or_404(services.feed_for_token(token))
    municipality = current_municipality()
    visits = queries.visits_involving(municipality.id, today() - dt.timedelta(days=365))
    # The funding calls open to the municipality's country: their openings and deadlines (issue 16).
    calls = call_queries.feed_calls(municipality)
    return _ics(calendar.feed_file(municipality, visits, calls), f"visits-{municipality.slug}.ics")


@bp.route("/subscription", methods=["GET", "POST"])
@login_required
def subscription():
    require(permissions.can_manage_feeds(current_user))
    form = FeedForm()

    def page(new_url: str | None = None) -> str:
        return render_template("visits/subscription.html", form=form, new_url=new_url, active=services.active_feeds())

    if form.validate_on_submit() and form.action.data == "create":
        # The new address is shown once, on this response: neither flashed (the session cookie would
        # carry the secret) nor behind a redirect.
        _feed, token = services.create_feed(current_user)
        db.session.commit()
        return page(url_for(".feed", token=token, _external=True))
    return submit(form, lambda: services.revoke_feeds(current_user), render=page, done=url_for(".subscription"),
                  message=_("The subscription address has been revoked. Calendars using it stop updating."))
