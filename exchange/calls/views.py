"""The calls pages: the catalog with filters and exports, a call's page (its rules, the projects linked to
it and the projects that fit it, its history), the call form, and linking projects. The project page
shows its calls through the ``h.calls.for_project`` helper (projects/detail.html includes
calls/_project.html), so the projects domain does not import this one.

Each view: load (404) → permission (403) → ``exchange.views.submit`` (validate → one service call →
commit → flash → redirect; 422 beside the fields; 409 on a stale save).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from exchange import templating
from exchange.calls import display, exports, permissions, queries, services
from exchange.calls.forms import CallFilterForm, CallForm, LinkForm
from exchange.dashboard import dashboard_panel, nav_item
from exchange.exports import csv_response, xlsx_response
from exchange.extensions import db
from exchange.forms import ConfirmForm
from exchange.i18n.formatting import collate
from exchange.municipalities import queries as municipality_queries
from exchange.projects import queries as project_queries
from exchange.projects.models import Project
from exchange.rules import parse_id
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries
from exchange.views import found_or_404, require, submit

bp = Blueprint("calls", __name__, url_prefix="/calls")

nav_item("tenant.calls.index", _l("Funding calls"), permissions.can_view_calls)
templating.expose_permissions("calls", permissions)


def _locale() -> str:
    return str(get_locale())


def call_or_404(call_id: int):
    return found_or_404(queries.get_call(call_id))


# --- the list and its exports ----------------------------------------------------------------------

def _filter_form() -> CallFilterForm:
    form = CallFilterForm(formdata=request.args, themes=theme_queries.choices(_locale()))
    form.validate()
    return form


@bp.route("/")
@login_required
def index():
    require(permissions.can_view_calls(current_user))
    form = _filter_form()
    page = db.paginate(queries.filtered(form.to_filters()), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang") and v.strip()}
    return render_template("calls/list.html", form=form, page=page, args=args, filtered=bool(args)), \
        422 if form.errors else 200


@bp.route("/export.<any(csv, xlsx):kind>")
@login_required
def export(kind: str):
    require(permissions.can_view_calls(current_user))
    form = _filter_form()
    if form.errors:
        abort(400)
    rows = exports.call_rows(form.to_filters(), _locale())
    filename = f"calls-{current_municipality().slug}.{kind}"
    if kind == "xlsx":
        return xlsx_response(filename, exports.HEADER, rows, sheet_name="Calls")
    return csv_response(filename, exports.HEADER, rows)


# --- one call ----------------------------------------------------------------------------------------

# The call's page offers the user's most recently updated open projects to link (the project's own page
# links any of them): a bounded list, whatever the number of projects the municipality leads (issue 12).
# 25: a select one reads through; each choice loads the project's texts for its title (100 cost more than
# the rest of the page at 100 000 projects).
LINK_CHOICES = 25


def _linkable_projects(only: str | None = None) -> list[tuple[str, str]]:
    """The projects the user may link to a call (lead coordinator, open), by title in their language: the
    ``LINK_CHOICES`` most recently updated, or (``only``: the id a form posted) just that one."""
    if only is not None:
        project_id = parse_id(only)
        found = queries.open_projects_led_by(current_user.municipality_id, project_id=project_id) \
            if project_id is not None else []
    else:
        found = queries.open_projects_led_by(current_user.municipality_id, limit=LINK_CHOICES)
    projects = [p for p in found if permissions.can_link_call(current_user, p)]
    locale = _locale()
    return [(str(p.id), p.plain("title", locale))
            for p in collate(projects, key=lambda p: p.plain("title", locale))]


def _render_detail(call, link_form=None):
    projects = _linkable_projects() if permissions.can_create_call(current_user) else []
    if link_form is None and projects:
        link_form = LinkForm(projects=projects, formdata=None)
    linked = queries.linked_projects(call.id)
    # only the municipalities its history names (not every municipality of the network)
    named = {r.actor_municipality_id for r in call.revisions if r.actor_municipality_id is not None}
    return render_template("calls/detail.html", call=call, link_form=link_form, linked=linked,
                           fitting=queries.projects_for_call(call),
                           municipalities=municipality_queries.by_ids(named))


@bp.route("/<int:call_id>")
@login_required
def detail(call_id: int):
    call = call_or_404(call_id)
    require(permissions.can_view_calls(current_user))
    return _render_detail(call)


def _call_form(saved=None) -> CallForm:
    kwargs = {"themes": theme_queries.choices(_locale()),
              "currencies": municipality_queries.currencies()}
    if request.method == "POST":
        return CallForm(**kwargs)
    return CallForm(data=saved() if saved else {}, **kwargs)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_create_call(current_user))
    form = _call_form(lambda: CallForm.data_of(None, _locale()))
    return submit(form, lambda: services.create_call(current_user, form.to_input()),
                  render=lambda: render_template("calls/form.html", form=form, call=None),
                  done=lambda call: url_for(".detail", call_id=call.id),
                  message=_("The call has been added."))


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
def edit(call_id: int):
    call = call_or_404(call_id)
    require(permissions.can_edit_call(current_user, call))
    saved = lambda: CallForm.data_of(call, _locale())  # noqa: E731
    form = _call_form(saved)
    return submit(form, lambda: services.update_call(call, current_user, form.to_input(example=call.example),
                                                     form.version.checked),
                  render=lambda: render_template("calls/form.html", form=form, call=call),
                  done=url_for(".detail", call_id=call.id), message=_("The call has been saved."), saved=saved)


# --- links of projects -------------------------------------------------------------------------------

def _project_or_404(project_id: int | None) -> Project:
    return found_or_404(project_queries.get_project(project_id) if project_id else None)


@bp.route("/<int:call_id>/link", methods=["POST"])
@login_required
def link(call_id: int):
    call = call_or_404(call_id)
    require(permissions.can_create_call(current_user))
    form = LinkForm(projects=_linkable_projects(only=request.form.get("project", "")))
    back = request.form.get("back") == "project"

    def save():
        project = _project_or_404(form.project.id_value)
        require(permissions.can_link_call(current_user, project))
        return services.link_project(project, call, current_user)

    return submit(form, save, render=lambda: _render_detail(call, link_form=form),
                  done=lambda link: url_for("tenant.projects.detail", project_id=link.project_id, _anchor="calls")
                  if back else url_for(".detail", call_id=call.id),
                  message=_("The project is linked to the call."))


@bp.route("/<int:call_id>/projects/<int:project_id>/unlink", methods=["POST"])
@login_required
def unlink(call_id: int, project_id: int):
    call = call_or_404(call_id)
    project = _project_or_404(project_id)
    require(permissions.can_link_call(current_user, project))
    link_row = found_or_404(queries.link_of(project.id, call.id))
    return submit(ConfirmForm(), lambda: services.unlink_project(link_row, current_user),
                  render=lambda: _render_detail(call),
                  done=url_for("tenant.projects.detail", project_id=project.id, _anchor="calls"),
                  message=_("The project is no longer linked to the call."))


# --- what other pages show -------------------------------------------------------------------------

def for_project(project: Project) -> dict:
    """The calls part of a project's page: its linked calls with the rules check, and the calls it could
    apply to (ranked, with reasons)."""
    links = queries.links_of(project.id)
    checks = queries.checks_for(project, [link.call for link in links])
    suggestions = queries.calls_for_project(project) if permissions.can_view_calls(current_user) else []
    return {"links": [(link, display.rows(checks[link.call_id])) for link in links], "suggestions": suggestions}


def _theme_name(theme_id: int) -> str:
    from exchange.themes.models import Theme
    theme = db.session.get(Theme, theme_id)
    return theme.name(_locale()) if theme else str(theme_id)


templating.expose_helpers("calls", for_project=for_project, closes=display.closes, opens=display.opens,
                          state=display.state, days_left=display.days_left, countries=display.countries,
                          applicant_types=display.applicant_types, changed_fields=display.changed_fields,
                          reason=lambda reason: display.reason_text(reason, _theme_name))


@dashboard_panel
def _calls_panel(user):
    if not permissions.can_view_calls(user):
        return None
    return "calls/panel.html", {"calls": queries.open_calls(), "can_create": permissions.can_create_call(user)}
