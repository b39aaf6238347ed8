"""What we learned (the lessons of the visits the reader's municipality took part in), the reports, and
their CSV and XLSX exports."""
from __future__ import annotations

from functools import partial

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.exports import download
from exchange.forms import search_term
from exchange.paging import paginate
from exchange.i18n.locale import supported
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
    # A bounded count, as the list of visits ("more than 1 000"): counting every readable visit with lessons
    # grew with the network (issue 12).
    listed, counted = queries.lessons(partial(permissions.details_clause, current_user), theme_id=theme_id,
                                      term=term or None)
    page = paginate(listed, current_app.config["PAGE_SIZE"], counted=counted)
    args = {k: v for k, v in {"q": term, "theme": theme_id}.items() if v}
    return render_template("visits/lessons.html", page=page, form=form, filter_args=args, term=term)


@bp.route("/reports")
@login_required
def report():
    require(permissions.can_view_visits(current_user))
    figures = reports.figures(permissions.details_municipality(current_user))
    return render_template("visits/reports.html", charts=reports.charts(figures, locale()), **vars(figures))


@bp.route("/reports/visits.<any(csv, xlsx):fmt>")
@login_required
def visits_export(fmt: str):
    """Every visit of the network as CSV or XLSX (details only of the reader's own visits)."""
    require(permissions.can_view_visits(current_user))
    languages = supported()
    return download(fmt, "visits", exports.visits_header(languages),
                    exports.visits_rows(current_user, locale(), languages), _("Visits"))


@bp.route("/reports/follow-ups.<any(csv, xlsx):fmt>")
@login_required
def follow_ups_export(fmt: str):
    """The follow-up actions of the reader's municipality's visits as CSV or XLSX."""
    require(permissions.can_view_visits(current_user))
    languages = supported()
    return download(fmt, "follow-up-actions", exports.follow_ups_header(languages),
                    exports.follow_ups_rows(current_user, languages), _("Follow-up actions"))
