"""The visits themselves: the list, the calendar month, a visit's page, logging and editing a visit, its
lessons learned, deleting it."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.forms import ConfirmForm
from exchange.municipalities import queries as municipality_queries
from exchange.paging import paginate
from exchange.rules import parse_id
from exchange.views import require, submit, submit_switch
from exchange.visits import calendar, permissions, queries, services
from exchange.visits.display import today
from exchange.visits.forms import LessonsForm, VisitFilterForm, VisitForm
from exchange.visits.models import VisitStatus
from exchange.visits.views import bp
from exchange.visits.views.children import detail_page
from exchange.visits.views.common import expected_version, load_visit, locale, opened_with, themes


def _visit_form(visit=None, data: dict | None = None) -> VisitForm:
    """The visit form, its choices from the reader's scope (projects: those they see, plus the ones
    already linked that they see)."""
    linked = {link.project_id for link in visit.project_links} if visit else set()
    return VisitForm(queries.municipalities(), themes(), queries.linkable_projects(linked), locale(),
                     data=opened_with(data or {}))


# --- list, calendar, detail ----------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    require(permissions.can_view_visits(current_user))
    form = VisitFilterForm(request.args, queries.years(),
                           municipality_queries.filter_choices(current_user.municipality_id, *_chosen_towns()), themes(),
                           queries.filter_projects(parse_id(request.args.get("project")), locale()), locale(),
                           current_user.municipality_id)
    filters = form.to_filters()
    page = paginate(queries.filtered_visits(filters), current_app.config["PAGE_SIZE"])
    return render_template("visits/index.html", page=page, form=form, filter_args=filters.as_args(),
                           filtered=bool(filters.as_args()))


def _chosen_towns() -> set[int]:
    """The municipalities named by the list's filter link (a municipality, a pair): offered as choices
    whether or not they are among the usual ones."""
    first, _sep, second = (request.args.get("pair") or "").partition("-")
    return {i for i in (parse_id(request.args.get("municipality")), parse_id(first), parse_id(second)) if i}


@bp.route("/calendar")
@login_required
def month():
    require(permissions.can_view_visits(current_user))
    shown = calendar.month(parse_id(request.args.get("year")), parse_id(request.args.get("month")), today())
    return render_template("visits/calendar.html", month=shown)


@bp.route("/<int:visit_id>")
@login_required
def detail(visit_id: int):
    visit = load_visit(visit_id)
    require(permissions.can_view_visits(current_user))
    return detail_page(visit)


# --- logging and editing -------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(permissions.can_create_visit(current_user), lambda: permissions.why_not_create_visit(current_user))
    form = _visit_form(data={"host_id": str(current_user.municipality_id), "status": VisitStatus.PLANNED.value,
                             "purpose_locale": locale(), "version": "0"})
    return submit(form, lambda: services.create_visit(form.to_input(), current_user),
                  render=lambda: render_template("visits/form.html", form=form, visit=None),
                  done=lambda visit: url_for(".detail", visit_id=visit.id),
                  message=_("The visit has been saved. Add the programme, participants and costs below."))


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id: int):
    visit = load_visit(visit_id)
    require(permissions.can_edit_visit(current_user, visit), lambda: permissions.why_not_edit_visit(current_user, visit))
    form = _visit_form(visit, VisitForm.data_of(visit, locale()))
    return submit(form, lambda: services.update_visit(visit, form.to_input(), expected_version(form), current_user),
                  render=lambda: render_template("visits/form.html", form=form, visit=visit),
                  done=url_for(".detail", visit_id=visit.id), message=_("The visit has been saved."),
                  saved=lambda: VisitForm.data_of(visit, locale()))


@bp.route("/<int:visit_id>/lessons", methods=["GET", "POST"])
@login_required
def lessons_edit(visit_id: int):
    visit = load_visit(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    form = LessonsForm(data=opened_with(LessonsForm.data_of(visit, locale())))
    return submit(form, lambda: services.set_lessons(visit, expected_version=expected_version(form),
                                                     actor=current_user, **form.to_input()),
                  render=lambda: render_template("visits/lessons_form.html", form=form, visit=visit),
                  done=url_for(".detail", visit_id=visit.id, _anchor="lessons"),
                  message=_("The lessons learned have been saved."), saved=lambda: LessonsForm.data_of(visit))


@bp.route("/<int:visit_id>/lessons/public", methods=["POST"])
@login_required
def lessons_public(visit_id: int):
    """Show the lessons learned (their approved versions) on the public pages, or stop."""
    visit = load_visit(visit_id)
    require(permissions.can_publish_lessons(current_user, visit))
    return submit_switch(lambda public, version: services.set_lessons_public(
                             visit, public, current_user, -1 if version is None else version),
                         render=lambda: detail_page(visit), done=url_for(".detail", visit_id=visit.id, _anchor="lessons"),
                         on=_("The lessons learned are now shown on the public pages."),
                         off=_("The lessons learned are no longer shown on the public pages."))


@bp.route("/<int:visit_id>/delete", methods=["GET", "POST"])
@login_required
def delete(visit_id: int):
    visit = load_visit(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    # The confirmation page carries the version it shows (confirm_delete.html): a visit changed since is
    # not deleted unseen (409, the page shows it as it is now).
    form = ConfirmForm()
    return submit(form, lambda: services.delete_visit(visit, current_user, form.version.expected),
                  render=lambda: render_template("visits/confirm_delete.html", visit=visit, form=form),
                  done=url_for(".index"), message=_("The visit has been deleted."))
