"""The list of projects: filters, search, pagination, and the same list as a CSV or XLSX download."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.exports import download
from exchange.i18n.locale import supported
from exchange.paging import paginate
from exchange.municipalities import queries as municipality_queries
from exchange.projects import exports, permissions, queries
from exchange.projects.forms import ProjectFilterForm
from exchange.projects.models import ProjectStatus
from exchange.projects.views import bp, reader_locale
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries
from exchange.views import require


def _filter_form() -> ProjectFilterForm:
    """The list's filters from the query string, validated: an unknown value is shown with its error and
    ignored; a blank or whitespace-only one is no filter."""
    form = ProjectFilterForm(formdata=request.args, municipalities=municipality_queries.names(),
                             themes=theme_queries.choices(reader_locale()), statuses=list(ProjectStatus))
    form.validate()
    return form


@bp.route("/")
@login_required
def index():
    require(permissions.can_view_projects(current_user))
    form = _filter_form()
    page = paginate(queries.filtered(form.to_filters(), reader_locale()), current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang") and v.strip()}
    return render_template("projects/list.html", form=form, page=page, args=args,
                           filtered=any(v for k, v in args.items() if k != "sort")), 422 if form.errors else 200


@bp.route("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The filtered list as CSV or XLSX (the same rows)."""
    require(permissions.can_view_projects(current_user))
    form = _filter_form()
    if form.errors:
        abort(400)
    languages = supported()
    return download(fmt, f"projects-{current_municipality().slug}", exports.project_header(languages),
                    exports.project_rows(form.to_filters(), reader_locale(), languages), _("Projects"))
