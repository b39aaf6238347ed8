"""Project pages: list (filters, search, CSV), detail (printable), side-by-side languages, the project form,
the lifecycle, joining, the funding/contact/milestone plan, contributions and comments.

Each view: load (scoped, 404) → permission (403) → validate → one service call → commit → flash → redirect.
A refused or invalid form is shown again with the errors beside the fields and HTTP 422; a stale save
(someone else saved in between) is shown again with the user's input and HTTP 409.
"""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from exchange.auth.forms import ConfirmForm
from exchange.auth.models import Role
from exchange.dashboard import dashboard_panel, nav_item
from exchange.extensions import db
from exchange.i18n.locale import supported
from exchange.municipalities import queries as municipality_queries
from exchange.projects import permissions, queries, services
from exchange.projects.forms import (CommentForm, ContactForm, ContributionForm, DecisionForm, FilterForm,
                                     FundingLineForm, InviteForm, JoinForm, MilestoneForm, StatusForm,
                                     project_form_class)
from exchange.projects.models import (Dimension, FundingLine, Milestone, ParticipationStatus, Project,
                                      ProjectContact, ProjectParticipation, ProjectStatus)
from exchange.projects.services import ConflictError, ProjectError, ProjectInput
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries
from exchange.views import child_or_404, found_or_404, require

bp = Blueprint("projects", __name__, url_prefix="/projects")

nav_item("tenant.projects.index", _l("Projects"), permissions.can_view_projects)


@bp.context_processor
def _template_helpers() -> dict:
    # The permission predicates decide which buttons the project pages show (the views enforce them).
    return {"project_permissions": permissions}


def error_message(code: str) -> str:
    """The translated text for a refused project operation."""
    return {
        "required": _("This field is required."),
        "too_long": _("This text is too long."),
        "control_characters": _("Remove the invisible control characters from this text."),
        "unknown_locale": _("Choose one of the offered languages."),
        "end_before_start": _("The end date cannot be before the start date."),
        "no_priority_area": _("Choose at least one priority area."),
        "unknown_choice": _("Choose one of the offered options."),
        "unknown_theme": _("Choose themes from the list."),
        "unknown_status": _("This status change is not possible. Reload the page and try again."),
        "invalid_transition": _("This status change is not possible. Reload the page and try again."),
        "not_open": _("The project is not open for new partners."),
        "own_municipality": _("The lead municipality takes part already."),
        "already_involved": _("This municipality has already been invited, has asked to join or takes part."),
        "already_decided": _("This has already been decided."),
        "not_involved": _("Only the lead municipality and participating municipalities can be chosen."),
        "unknown_currency": _("Choose one of the offered currencies."),
        "not_a_number": _("Enter a number, such as 1250.50."),
        "negative": _("Enter zero or a positive amount."),
        "too_large": _("This amount is too large."),
        "before_start": _("A milestone cannot be before the project starts."),
        "after_end": _("A milestone cannot be after the project ends."),
        "conflict": _("Someone else saved this in the meantime, so your changes have not been saved. Your input "
                      "is kept below: check the current version, then save again to keep your changes."),
    }.get(code, _("This could not be saved. Check your input and try again."))


def _project_or_404(project_id: int) -> Project:
    # The scoped query finds nothing for another municipality's draft: 404, not 403.
    return found_or_404(queries.get_project(project_id))


def _locale() -> str:
    return str(get_locale())


def _version(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _show_error(form, exc: ProjectError) -> None:
    """Put a service refusal beside its field (or at the top when it concerns no field)."""
    field = form._fields.get(exc.field) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [error_message(exc.code)]
    else:
        flash(error_message(exc.code), "error")


def _currencies() -> list[str]:
    return sorted({m.currency for m in municipality_queries.all_ordered()} | {"EUR"})


# --- the list, search and CSV --------------------------------------------------------------------

def _filter_form() -> FilterForm:
    return FilterForm(formdata=request.args, municipalities=municipality_queries.all_ordered(),
                      themes=theme_queries.choices(_locale()), statuses=list(ProjectStatus))


def _filters(form: FilterForm) -> tuple[queries.ProjectFilters, bool]:
    """The valid filters of the form; an invalid one is ignored (and shown with its error)."""
    ok = form.validate()

    def value(field, default=""):
        return default if field.errors else (field.data or default)

    filters = queries.ProjectFilters(
        q=value(form.q).strip(), status=value(form.status),
        municipality_id=int(value(form.municipality)) if value(form.municipality) else None,
        theme_id=int(value(form.theme)) if value(form.theme) else None,
        area=value(form.area), source=value(form.source), sort=value(form.sort, "updated"))
    return filters, ok


@bp.route("/")
@login_required
def index():
    require(permissions.can_view_projects(current_user))
    form = _filter_form()
    filters, ok = _filters(form)
    page = db.paginate(queries.filtered(filters, _locale()), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang") and v}
    return render_template("projects/list.html", form=form, page=page, args=args,
                           filtered=any(v for k, v in args.items() if k != "sort")), 200 if ok else 422


def _csv_safe(value: str) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.route("/export.csv")
@login_required
def export_csv():
    require(permissions.can_view_projects(current_user))
    form = _filter_form()
    filters, ok = _filters(form)
    if not ok:
        abort(400)
    locale = _locale()
    languages = supported()
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["id", "status", "lead", "participants", "start_date", "end_date", "themes", "priority_areas",
              "source_language"]
    header += [f"{name}_{code}" for name in ("title", "summary") for code in languages]
    writer.writerow(header)
    # Contact people are personal data and never leave the platform in an export (DESIGN.md §4).
    for project in db.session.scalars(queries.filtered(filters, locale)):
        row = [str(project.id), project.status_enum.label, project.lead.name,
               "; ".join(p.municipality.name for p in project.participants),
               project.start_date.isoformat() if project.start_date else "",
               project.end_date.isoformat() if project.end_date else "",
               "; ".join(t.name(locale) for t in project.themes),
               "; ".join(a.label for a in project.priority_areas),
               project.source_locale() or ""]
        for name in ("title", "summary"):
            rows = project.text_rows(name)
            row += [rows[code].text if code in rows else "" for code in languages]
        writer.writerow([_csv_safe(cell) for cell in row])
    filename = f"projects-{current_municipality().slug}.csv"
    # A BOM so spreadsheet programs read the file as UTF-8 (å, ä, ö, à, è …).
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- the detail page -----------------------------------------------------------------------------

def _invitable(project: Project):
    involved = {p.municipality_id for p in project.participations if p.status != ParticipationStatus.DECLINED.value}
    return [m for m in municipality_queries.all_ordered()
            if m.id != project.lead_municipality_id and m.id not in involved]


def _render_detail(project: Project, status_code: int = 200, printable: bool = False, **forms):
    user = current_user
    context = {
        "project": project,
        "printable": printable,
        "funding": queries.funding_summary(project.funding_lines),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "status_form": (forms.get("status_form") or StatusForm(current=project.status_enum,
                                                                 data={"version": project.version}))
        if permissions.can_change_status(user, project) else None,
        "invite_form": (forms.get("invite_form") or InviteForm(municipalities=_invitable(project)))
        if permissions.can_invite(user, project) else None,
        "join_form": (forms.get("join_form") or JoinForm()) if permissions.can_request_to_join(user, project) else None,
    }
    return render_template("projects/detail.html", **context), status_code


@bp.route("/<int:project_id>")
@login_required
def detail(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_view_projects(current_user))
    return _render_detail(project)


@bp.route("/<int:project_id>/print")
@login_required
def print_view(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_view_projects(current_user))
    return _render_detail(project, printable=True)


@bp.route("/<int:project_id>/languages")
@login_required
def languages(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_view_projects(current_user))
    return render_template("projects/languages.html", project=project, languages=supported())


# --- drafting and editing ------------------------------------------------------------------------

def _project_form(project: Project | None = None):
    cls = project_form_class()
    themes = theme_queries.choices(_locale())
    if request.method == "POST":
        return cls(themes=themes)
    if project is None:
        return cls(themes=themes, data={"locale": _locale()})
    data = {"version": project.version, "locale": project.source_locale() or _locale(),
            "priority_areas": [a.value for a in project.priority_areas],
            "themes": [str(link.theme_id) for link in project.theme_links],
            "start_date": project.start_date, "end_date": project.end_date}
    for row in project.sustainability:
        data[f"rationale_{row.dimension}"] = row.rationale
    for row in project.texts:
        data[f"{row.field}_{row.locale}"] = row.text
    return cls(themes=themes, data=data)


def _input(form) -> ProjectInput:
    return ProjectInput(
        locale=form.locale.data,
        texts={code: {name: form.text_field(name, code).data or "" for name in Project.TRANSLATABLE_FIELDS}
               for code in form.languages},
        priority_areas=list(form.priority_areas.data or []),
        sustainability={d.value: form[f"rationale_{d.value}"].data or "" for d in Dimension},
        theme_ids=[int(t) for t in form.themes.data or []],
        start_date=form.start_date.data, end_date=form.end_date.data)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_create_project(current_user))
    form = _project_form()
    if form.validate_on_submit():
        try:
            project = services.create_project(current_user, _input(form))
        except ProjectError as exc:
            db.session.rollback()
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The project has been saved as a draft. Only your municipality can see it until a "
                    "coordinator proposes it."), "success")
            return redirect(url_for(".detail", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None), 422 if form.errors else 200


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_edit_project(current_user, project))
    form = _project_form(project)
    conflict = False
    if form.validate_on_submit():
        try:
            services.update_project(project, current_user, _input(form), _version(form.version.data))
            db.session.commit()
        except (ConflictError, StaleDataError):
            conflict = True
        except ProjectError as exc:
            db.session.rollback()
            _show_error(form, exc)
            project = _project_or_404(project_id)
        else:
            flash(_("The project has been saved."), "success")
            return redirect(url_for(".detail", project_id=project.id))
    if conflict:
        db.session.rollback()
        project = _project_or_404(project_id)
        # Keep everything the user typed; the new version lets a second save knowingly replace the other one.
        form.version.data = str(project.version)
        form.version.raw_data = [form.version.data]
        return render_template("projects/form.html", form=form, project=project, conflict=True), 409
    return render_template("projects/form.html", form=form, project=project), 422 if form.errors else 200


# --- the lifecycle -------------------------------------------------------------------------------

@bp.route("/<int:project_id>/status", methods=["POST"])
@login_required
def change_status(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_change_status(current_user, project))
    form = StatusForm(current=project.status_enum)
    if form.validate_on_submit():
        target = ProjectStatus(form.status.data)
        try:
            services.change_status(project, current_user, target, form.reason.data, locale=_locale(),
                                   expected_version=_version(form.version.data))
            db.session.commit()
        except (ConflictError, StaleDataError):
            db.session.rollback()
            flash(error_message("conflict"), "error")
            return redirect(url_for(".detail", project_id=project_id))
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project_id)
            _show_error(form, exc)
        else:
            flash(_("The project is now: %(status)s.", status=target.label), "success")
            return redirect(url_for(".detail", project_id=project.id))
    return _render_detail(project, 422, status_form=form)


# --- joining -------------------------------------------------------------------------------------

@bp.route("/<int:project_id>/invite", methods=["POST"])
@login_required
def invite(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_invite(current_user, project))
    form = InviteForm(municipalities=_invitable(project))
    if form.validate_on_submit():
        municipality = next(m for m in _invitable(project) if str(m.id) == form.municipality.data)
        try:
            services.invite(project, municipality, current_user, form.message.data, locale=_locale())
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project_id)
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("%(municipality)s has been invited. Its coordinators see the invitation on their dashboard.",
                    municipality=municipality.name), "success")
            return redirect(url_for(".detail", project_id=project.id))
    return _render_detail(project, 422, invite_form=form)


@bp.route("/<int:project_id>/join", methods=["POST"])
@login_required
def join(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_request_to_join(current_user, project))
    form = JoinForm()
    if form.validate_on_submit():
        try:
            services.request_to_join(project, current_user, form.message.data, locale=_locale())
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project_id)
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your request to join has been sent. The lead municipality's coordinators will answer it."),
                  "success")
            return redirect(url_for(".detail", project_id=project.id))
    return _render_detail(project, 422, join_form=form)


@bp.route("/<int:project_id>/participations/<int:participation_id>/decide", methods=["POST"])
@login_required
def decide(project_id: int, participation_id: int):
    project = _project_or_404(project_id)
    participation = child_or_404(ProjectParticipation, participation_id, project)
    require(permissions.can_answer_invitation(current_user, participation)
            or permissions.can_decide_request(current_user, participation))
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    accept = form.decision.data == "accept"
    try:
        services.decide(participation, current_user, accept, expected_version=_version(form.version.data))
        db.session.commit()
    except (ConflictError, StaleDataError):
        db.session.rollback()
        flash(error_message("conflict"), "error")
    except ProjectError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "error")
    else:
        name = participation.municipality.name
        flash(_("%(municipality)s now takes part in the project.", municipality=name) if accept
              else _("%(municipality)s does not take part in the project.", municipality=name), "success")
    return redirect(url_for(".detail", project_id=project_id))


@bp.route("/<int:project_id>/contribution", methods=["GET", "POST"])
@login_required
def contribution(project_id: int):
    project = _project_or_404(project_id)
    participation = project.participation_of(current_user.municipality_id)
    require(participation is not None and permissions.can_edit_participation_text(current_user, participation))
    if request.method == "GET":
        # The form edits the original text, in its own language (translations are kept and marked outdated).
        source = participation.source_row("contribution")
        form = ContributionForm(data={"version": participation.version,
                                      "locale": source.locale if source else _locale(),
                                      "contribution": source.text if source else ""})
    else:
        form = ContributionForm()
    if form.validate_on_submit():
        try:
            services.set_contribution(participation, current_user, form.contribution.data, form.locale.data,
                                      expected_version=_version(form.version.data))
            db.session.commit()
        except (ConflictError, StaleDataError):
            db.session.rollback()
            project = _project_or_404(project_id)
            participation = project.participation_of(current_user.municipality_id)
            form.version.data = str(participation.version)
            return render_template("projects/contribution.html", form=form, project=project,
                                   participation=participation, conflict=True), 409
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project_id)
            participation = project.participation_of(current_user.municipality_id)
            _show_error(form, exc)
        else:
            flash(_("Your municipality's contribution has been saved."), "success")
            return redirect(url_for(".detail", project_id=project_id))
    return render_template("projects/contribution.html", form=form, project=project,
                           participation=participation), 422 if form.errors else 200


# --- the plan: funding lines, contacts, milestones -----------------------------------------------

def _render_plan(project: Project, status_code: int = 200, **forms):
    user = current_user
    own_currency = current_municipality().currency
    return render_template(
        "projects/plan.html", project=project, permissions=permissions,
        funding=queries.funding_summary(project.funding_lines),
        funding_form=forms.get("funding_form") or FundingLineForm(currencies=_currencies(),
                                                                  data={"currency": own_currency}),
        contact_form=forms.get("contact_form") or ContactForm(),
        milestone_form=forms.get("milestone_form") or MilestoneForm(),
        can_contribute=permissions.can_edit_own_contribution(user, project),
        can_edit=permissions.can_edit_project(user, project),
    ), status_code


@bp.route("/<int:project_id>/plan")
@login_required
def plan(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project)
            or permissions.can_edit_project(current_user, project))
    return _render_plan(project)


def _add_to_plan(project: Project, form, save, message: str, anchor: str, form_name: str):
    """The shared tail of the plan's add views: validate, one service call, commit, flash, redirect;
    or the plan page again with the errors beside the form's fields (422) and nothing saved."""
    if form.validate_on_submit():
        try:
            save()
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project.id)
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".plan", project_id=project.id) + anchor)
    return _render_plan(project, 422, **{form_name: form})


@bp.route("/<int:project_id>/plan/funding", methods=["POST"])
@login_required
def add_funding(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project))
    form = FundingLineForm(currencies=_currencies())
    return _add_to_plan(project, form, lambda: services.add_funding_line(
        project, current_user, current_user.municipality_id, form.source.data, form.currency.data,
        amount=form.amount.parsed, hours=form.hours.parsed, hourly_value=form.hourly_value.parsed,
        note=form.note.data, locale=_locale()),
        _("The funding line has been added."), "#funding", "funding_form")


@bp.route("/<int:project_id>/plan/funding/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_funding(project_id: int, line_id: int):
    project = _project_or_404(project_id)
    line = child_or_404(FundingLine, line_id, project)
    require(permissions.can_edit_contribution_of(current_user, project, line.municipality_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_funding_line(line, current_user)
    db.session.commit()
    flash(_("The funding line has been removed."), "success")
    return redirect(url_for(".plan", project_id=project_id) + "#funding")


@bp.route("/<int:project_id>/plan/contacts", methods=["POST"])
@login_required
def add_contact(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project))
    form = ContactForm()
    return _add_to_plan(project, form, lambda: services.add_contact(
        project, current_user, current_user.municipality_id, form.name.data, form.role.data,
        form.email.data or "", form.phone.data),
        _("The contact person has been added."), "#contacts", "contact_form")


@bp.route("/<int:project_id>/plan/contacts/<int:contact_id>/delete", methods=["POST"])
@login_required
def delete_contact(project_id: int, contact_id: int):
    project = _project_or_404(project_id)
    contact = child_or_404(ProjectContact, contact_id, project)
    require(permissions.can_edit_contribution_of(current_user, project, contact.municipality_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_contact(contact, current_user)
    db.session.commit()
    flash(_("The contact person has been removed."), "success")
    return redirect(url_for(".plan", project_id=project_id) + "#contacts")


@bp.route("/<int:project_id>/plan/milestones", methods=["POST"])
@login_required
def add_milestone(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_edit_project(current_user, project))
    form = MilestoneForm()
    return _add_to_plan(project, form, lambda: services.add_milestone(
        project, current_user, form.title.data, form.due_date.data, _locale()),
        _("The milestone has been added."), "#milestones", "milestone_form")


@bp.route("/<int:project_id>/plan/milestones/<int:milestone_id>/<any(done, open, delete):action>",
          methods=["POST"])
@login_required
def milestone_action(project_id: int, milestone_id: int, action: str):
    project = _project_or_404(project_id)
    milestone = child_or_404(Milestone, milestone_id, project)
    require(permissions.can_edit_project(current_user, project))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "delete":
        services.delete_milestone(milestone, current_user)
        message = _("The milestone has been removed.")
    else:
        services.set_milestone_done(milestone, current_user, action == "done")
        message = _("The milestone has been updated.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".plan", project_id=project_id) + "#milestones")


# --- discussion ----------------------------------------------------------------------------------

@bp.route("/<int:project_id>/comments", methods=["POST"])
@login_required
def comment(project_id: int):
    project = _project_or_404(project_id)
    require(permissions.can_comment(current_user, project))
    form = CommentForm()
    if form.validate_on_submit():
        try:
            created = services.add_comment(project, current_user, form.body.data, _locale())
        except ProjectError as exc:
            db.session.rollback()
            project = _project_or_404(project_id)
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your comment has been published."), "success")
            return redirect(url_for(".detail", project_id=project_id) + f"#comment-{created.id}")
    return _render_detail(project, 422, comment_form=form)


# --- dashboard -----------------------------------------------------------------------------------

@dashboard_panel
def _projects_panel(user):
    if not permissions.can_view_projects(user):
        return None
    # Invitations and requests are answered by coordinators, so only they get the to-do lists.
    coordinator = user.has_role(Role.COORDINATOR)
    return "projects/panel.html", {
        "counts": queries.counts_by_status(user.municipality_id),
        "invitations": queries.pending_invitations(user.municipality_id) if coordinator else [],
        "requests": queries.pending_requests(user.municipality_id) if coordinator else [],
        "can_create": permissions.can_create_project(user),
    }
