"""What we learned (the lessons of the visits the reader's municipality took part in), the reports, and
their CSV exports."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from exchange.exports import csv_response
from exchange.extensions import db
from exchange.forms import search_term
from exchange.views import require
from exchange.visits import exports, permissions, queries, reports
from exchange.visits.forms import LessonsSearchForm
from exchange.visits.views import bp
from exchange.visits.views.common import locale, themes


@bp.route("/lessons")
@login_required
def lessons():
    require(permissions.can_view_visits(current_user))
    form = LessonsSearchForm(request.args, themes(), locale())
    term, theme_id = search_term(form.q.data), form.id_value("theme")
    page = db.paginate(queries.lessons(permissions.details_clause(current_user), theme_id=theme_id, term=term or None),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    args = {k: v for k, v in {"q": term, "theme": theme_id}.items() if v}
    return render_template("visits/lessons.html", page=page, form=form, filter_args=args, term=term)


@bp.route("/reports")
@login_required
def report():
    require(permissions.can_view_visits(current_user))
    figures = reports.figures(permissions.details_clause(current_user))
    return render_template("visits/reports.html", charts=reports.charts(figures, locale()), **vars(figures))


@bp.route("/reports/visits.csv")
@login_required
def visits_csv():
    require(permissions.can_view_visits(current_user))
    return csv_response("visits.csv", exports.visits_header(), exports.visits_rows(current_user, locale()))


@bp.route("/reports/follow-ups.csv")
@login_required
def follow_ups_csv():
    require(permissions.can_view_visits(current_user))
    return csv_response("follow-up-actions.csv", exports.follow_ups_header(), exports.follow_ups_rows(current_user))
