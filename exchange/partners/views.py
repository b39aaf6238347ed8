"""Partner organisations: the directory, profiles and their upkeep, a project's partner needs, explained
suggestions both ways, expressions of interest and invitations.

Each view: load (scoped, 404) → permission (403) → validate → one service call → commit → flash → redirect.
"""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from exchange.auth.forms import ConfirmForm
from exchange.auth.models import Role
from exchange.dashboard import dashboard_panel, nav_item
from exchange.extensions import db
from exchange.i18n.formatting import date as format_date
from exchange.i18n.formatting import language_name
from exchange.municipalities import queries as municipality_queries
from exchange.partners import matching, permissions, queries, services
from exchange.partners.forms import (AnswerForm, DirectoryForm, InterestForm, InviteForm, NeedForm, OrganisationForm,
                                     FundingForm, StatusForm, individual_message, version_of)
from exchange.partners.models import Organisation, OrganisationType, Origin, PartnerRole, PartnershipStatus
from exchange.partners.services import ContactInput, ContributionInput, NeedInput, OrganisationInput, PartnerError
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries
from exchange.views import found_or_404, require

bp = Blueprint("partners", __name__, url_prefix="/partners")

nav_item("tenant.partners.directory", _l("Partner organisations"), permissions.can_view_directory)


def error_message(code: str) -> str:
    """The translated text for a refused partner operation."""
    return {
        "required": _("This field is required."),
        "too_long": _("This text is too long."),
        "control_characters": _("Remove the invisible control characters from this text."),
        "unknown_locale": _("Choose one of the offered languages."),
        "unknown_theme": _("Choose themes from the list."),
        "no_theme": _("Choose at least one theme."),
        "individual": str(individual_message()),
        "unknown_type": _("Choose one of the offered types of organisation."),
        "no_type": _("Choose at least one type of organisation."),
        "not_eligible": _("This type of organisation cannot receive LEADER support."),
        "invalid_url": _("Enter a full web address, such as https://example.org."),
        "no_language": _("Choose at least one language."),
        "unknown_language": _("Choose languages from the list."),
        "invalid_email": _("Enter a valid e-mail address, such as name@example.org."),
        "unknown_choice": _("Choose one of the offered options."),
        "unknown_country": _("Choose one of the offered countries."),
        "not_a_number": _("Enter a number, such as 1500 or 1500.50."),
        "negative": _("Enter zero or more."),
        "too_large": _("This number is too large."),
        "unknown_currency": _("Choose one of the offered currencies."),
        "conflict": _("Someone else saved this in the meantime. Reload the page to see their changes, "
                      "then make yours again."),
        "project_closed": _("The project is closed: its partner needs cannot change any more."),
        "not_open": _("The project is not open for partners at the moment."),
        "inactive": _("This organisation has been retired: confirm its profile first."),
        "already_linked": _("This organisation is already a partner of the project, invited or interested."),
        "already_decided": _("This has already been answered."),
        "not_fundable": _("Only an accepted contribution of money or voluntary hours can be added to the "
                          "funding plan, once."),
    }[code]


def _attach(form, exc: PartnerError) -> None:
    """Show a refused operation beside the field it concerns (or above the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error_message(exc.code)]
    else:
        form.form_errors.append(error_message(exc.code))


def _locale() -> str:
    return str(get_locale())


def _organisation_or_404(organisation_id: int) -> Organisation:
    return found_or_404(queries.get_organisation(organisation_id))


def _project_or_404(project_id: int):
    return found_or_404(queries.get_project(project_id))


def _currencies() -> list[str]:
    own = current_municipality().currency
    others = sorted({m.currency for m in municipality_queries.all_ordered()} - {own})
    return [own] + others


@bp.record_once
def _template_helpers(state) -> None:
    # Templates (including the dashboard's panels) ask the same predicates as the views.
    state.app.jinja_env.globals["partner_permissions"] = permissions
    state.app.jinja_env.filters["partner_role_label"] = lambda value: PartnerRole(value).label


@bp.app_template_global()
def project_url(project) -> str:
    """The project's own page when the projects blueprint provides one, else its partners page."""
    if "tenant.projects.detail" in current_app.view_functions:
        return url_for("tenant.projects.detail", project_id=project.id)
    return url_for("tenant.partners.project", project_id=project.id)


# --- the directory ---------------------------------------------------------------------------------

def _directory_filters(form: DirectoryForm) -> queries.DirectoryFilters:
    return queries.DirectoryFilters(
        q=(form.q.data or "").strip(), theme_id=int(form.theme.data) if form.theme.data else None,
        theme_kind=form.theme_kind.data or "", type=form.type.data or "",
        municipality_id=int(form.municipality.data) if form.municipality.data else None,
        language=form.language.data or "", include_retired=bool(form.retired.data))


@bp.route("/")
@login_required
def directory():
    require(permissions.can_view_directory(current_user))
    form = DirectoryForm(request.args, municipalities=municipality_queries.all_ordered())
    if request.args and not form.validate():
        return render_template("partners/directory.html", form=form, page=None, args={}), 422
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    page = db.paginate(queries.directory(_directory_filters(form), _locale()),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("partners/directory.html", form=form, page=page, args=args)


@bp.route("/export.csv")
@login_required
def export():
    """The directory's results as CSV. Contact people only for the exporting municipality's own
    organisations: their personal details never go to another municipality (DESIGN.md §4)."""
    require(permissions.can_view_directory(current_user))
    form = DirectoryForm(request.args, municipalities=municipality_queries.all_ordered())
    if request.args and not form.validate():
        abort(400)
    locale = _locale()
    stmt = queries.directory(_directory_filters(form), locale).limit(current_app.config.get("EXPORT_LIMIT", 10000))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Name"), _("Type of organisation"), _("Municipality"), _("Themes it can offer"),
                     _("Themes it wants to learn about"), _("Languages it works in"), _("Description"),
                     _("Website"), _("Status"), _("Contact person"), _("Contact person's role"),
                     _("E-mail address"), _("Phone number")])
    orgs = list(db.session.scalars(stmt))
    own_ids = [o.id for o in orgs if permissions.can_export_contacts(current_user, o)]
    contacts = queries.contacts_of(own_ids)
    for org in orgs:
        contact = contacts.get(org.id) if permissions.can_export_contacts(current_user, org) else None
        writer.writerow([
            _csv_safe(org.name), org.type_enum.label, org.municipality.name,
            ", ".join(t.name(locale) for t in org.offered_themes),
            ", ".join(t.name(locale) for t in org.sought_themes),
            ", ".join(language_name(c) for c in org.languages),
            _csv_safe(org.plain("description", locale)), _csv_safe(org.website),
            _("Active") if org.active else _("Retired"),
            *([_csv_safe(contact.name), _csv_safe(contact.role), _csv_safe(contact.email), _csv_safe(contact.phone)]
              if contact else ["", "", "", ""]),
        ])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=partner-organisations.csv"})


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs.
    return "'" + value if value and value[0] in "=+-@\t\r" else value


# --- profiles --------------------------------------------------------------------------------------

def _organisation_input(form: OrganisationForm) -> OrganisationInput:
    return OrganisationInput(
        name=form.name.data or "", type=form.type.data or "", locale=form.description_locale.data,
        description=form.description.data or "", website=form.website.data or "",
        offers=[int(t) for t in form.offers.data or []], seeks=[int(t) for t in form.seeks.data or []],
        languages=list(form.languages.data or []),
        contact=ContactInput(form.contact_name.data or "", form.contact_role.data or "",
                             form.contact_email.data or "", form.contact_phone.data or ""))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    require(permissions.can_register_organisation(current_user))
    form = OrganisationForm()
    if request.method == "GET":
        form.description_locale.data = _locale()
        form.languages.data = [current_municipality().default_locale]
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, _organisation_input(form))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s has been registered.", name=org.name), "success")
            return redirect(url_for(".profile", organisation_id=org.id))
    return render_template("partners/form.html", form=form, org=None), 422 if form.errors else 200


@bp.route("/<int:organisation_id>")
@login_required
def profile(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    require(permissions.can_view_directory(current_user))
    return render_template("partners/profile.html", org=org,
                           partnerships=queries.partnerships_of_organisation(org.id),
                           status_form=StatusForm(data={"version": org.version}), stale=org.is_stale())


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    require(permissions.can_edit_organisation(current_user, org))
    source = org.source_row("description")
    if request.method == "GET":
        contact = org.contacts[0] if org.contacts else None
        form = OrganisationForm(data={
            "name": org.name, "type": org.type, "website": org.website,
            "description_locale": source.locale if source else _locale(),
            "description": source.text if source else "",
            "offers": [str(t.id) for t in org.offered_themes], "seeks": [str(t.id) for t in org.sought_themes],
            "languages": org.languages, "version": org.version,
            "contact_name": contact.name if contact else "", "contact_role": contact.role if contact else "",
            "contact_email": contact.email if contact else "", "contact_phone": contact.phone if contact else ""})
    else:
        form = OrganisationForm()
    if form.validate_on_submit():
        try:
            services.update_organisation(org, current_user, _organisation_input(form), version_of(form.version))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(error_message("conflict"))
        else:
            db.session.commit()
            flash(_("The profile of %(name)s has been saved.", name=org.name), "success")
            return redirect(url_for(".profile", organisation_id=org.id))
    return render_template("partners/form.html", form=form, org=org), 422 if form.errors else 200


def _status_change(organisation_id: int, service, message) -> Response:
    org = _organisation_or_404(organisation_id)
    require(permissions.can_edit_organisation(current_user, org))
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service(org, current_user, version_of(form.version))
    except (PartnerError, StaleDataError):
        db.session.rollback()
        flash(error_message("conflict"), "error")
        return redirect(url_for(".profile", organisation_id=organisation_id))
    db.session.commit()
    flash(message, "success")
    if request.form.get("back") == "dashboard":
        return redirect(url_for("tenant.municipalities.dashboard"))
    return redirect(url_for(".profile", organisation_id=org.id))


@bp.route("/<int:organisation_id>/confirm", methods=["POST"])
@login_required
def confirm_organisation(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    return _status_change(organisation_id, services.confirm_organisation,
                          _("The profile of %(name)s has been confirmed as up to date.", name=org.name))


@bp.route("/<int:organisation_id>/retire", methods=["POST"])
@login_required
def retire_organisation(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    return _status_change(organisation_id, services.retire_organisation,
                          _("%(name)s has been retired: it is no longer suggested as a partner.", name=org.name))


@bp.route("/<int:organisation_id>/contacts/<int:contact_id>/delete", methods=["POST"])
@login_required
def delete_contact(organisation_id: int, contact_id: int):
    org = _organisation_or_404(organisation_id)
    contact = next((c for c in org.contacts if c.id == contact_id), None)
    if contact is None:
        abort(404)
    require(permissions.can_edit_organisation(current_user, org))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_contact(contact, current_user)
    db.session.commit()
    flash(_("The contact person has been removed."), "success")
    return redirect(url_for(".profile", organisation_id=org.id))


# --- explanations ----------------------------------------------------------------------------------

class _Explainer:
    """Turns reasons into sentences in the reader's language, with names looked up once per page."""

    def __init__(self):
        locale = _locale()
        self.themes = {t.id: t for t in theme_queries.active_themes()}
        self.municipalities = {m.id: m for m in municipality_queries.all_ordered()}
        self.locale = locale

    def theme_name(self, theme_id: int) -> str:
        theme = self.themes.get(theme_id)
        return theme.name(self.locale) if theme else "?"

    def municipality_name(self, municipality_id: int) -> str:
        m = self.municipalities.get(municipality_id)
        return m.name if m else "?"

    def __call__(self, suggestion) -> list[tuple[int, str]]:
        return [(r.points, matching.describe(r, self.theme_name, self.municipality_name, language_name,
                                             lambda t: OrganisationType(t).label, format_date))
                for r in suggestion.reasons]


# --- a project's partners and needs ----------------------------------------------------------------

@bp.route("/projects/<int:project_id>")
@login_required
def project(project_id: int):
    proj = _project_or_404(project_id)
    require(permissions.can_view_suggestions(current_user, proj))
    links = queries.partnerships_of_project(proj.id)
    return render_template(
        "partners/project.html", project=proj, needs=queries.needs_of_project(proj.id),
        partners=[l for l in links if l.status == PartnershipStatus.ACCEPTED.value],
        pending=[l for l in links if l.is_pending],
        declined=[l for l in links if l.status == PartnershipStatus.DECLINED.value],
        leader=services.is_leader_project(proj), is_fundable=services.is_fundable,
        own_organisations=queries.own_active_organisations(current_user.municipality_id)
        if permissions.can_register_organisation(current_user) else [])


def _need_input(form: NeedForm) -> NeedInput:
    return NeedInput(role=form.role.data, theme_ids=[int(t) for t in form.themes.data or []],
                     types=list(form.types.data or []), origin=form.origin.data,
                     origin_municipality_id=int(form.origin_municipality.data)
                     if form.origin_municipality.data else None,
                     origin_country=form.origin_country.data or None)


@bp.route("/projects/<int:project_id>/needs/new", methods=["GET", "POST"])
@login_required
def new_need(project_id: int):
    proj = _project_or_404(project_id)
    require(permissions.can_edit_needs(current_user, proj))
    form = NeedForm(municipalities=municipality_queries.all_ordered())
    if request.method == "GET":
        form.origin.data = Origin.ANY.value
        form.types.data = [t.value for t in OrganisationType]
        form.themes.data = [str(link.theme_id) for link in proj.theme_links]
    if form.validate_on_submit():
        try:
            services.add_need(proj, current_user, _need_input(form))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("The partner need has been added."), "success")
            return redirect(url_for(".project", project_id=proj.id))
    return render_template("partners/need_form.html", form=form, project=proj, need=None), \
        422 if form.errors else 200


def _need_or_404(proj, need_id: int):
    need = queries.get_need(need_id)
    if need is None or need.project_id != proj.id:
        abort(404)
    return need


@bp.route("/projects/<int:project_id>/needs/<int:need_id>", methods=["GET", "POST"])
@login_required
def edit_need(project_id: int, need_id: int):
    proj = _project_or_404(project_id)
    need = _need_or_404(proj, need_id)
    require(permissions.can_edit_needs(current_user, proj))
    if request.method == "GET":
        form = NeedForm(municipalities=municipality_queries.all_ordered(), data={
            "role": need.role, "themes": [str(link.theme_id) for link in need.theme_links],
            "types": [r.type for r in need.type_rows], "origin": need.origin,
            "origin_municipality": str(need.origin_municipality_id or ""),
            "origin_country": need.origin_country or "", "version": need.version})
    else:
        form = NeedForm(municipalities=municipality_queries.all_ordered())
    if form.validate_on_submit():
        try:
            services.update_need(need, current_user, _need_input(form), version_of(form.version))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(error_message("conflict"))
        else:
            db.session.commit()
            flash(_("The partner need has been saved."), "success")
            return redirect(url_for(".project", project_id=proj.id))
    return render_template("partners/need_form.html", form=form, project=proj, need=need), \
        422 if form.errors else 200


@bp.route("/projects/<int:project_id>/needs/<int:need_id>/delete", methods=["POST"])
@login_required
def delete_need(project_id: int, need_id: int):
    proj = _project_or_404(project_id)
    need = _need_or_404(proj, need_id)
    require(permissions.can_edit_needs(current_user, proj))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_need(need, current_user)
    db.session.commit()
    flash(_("The partner need has been removed."), "success")
    return redirect(url_for(".project", project_id=proj.id))


# --- suggestions -----------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/suggestions")
@login_required
def suggestions(project_id: int):
    proj = _project_or_404(project_id)
    require(permissions.can_view_suggestions(current_user, proj))
    needs = queries.needs_of_project(proj.id)
    profile = queries.project_profile(proj, needs)
    results = queries.suggestions_for_project(proj, profile)
    explain = _Explainer()
    rows = [(s, org, explain(s)) for s, org in results]
    return render_template("partners/suggestions.html", project=proj, rows=rows, needs=needs,
                           can_invite=permissions.can_invite_organisation(current_user, proj))


@bp.route("/<int:organisation_id>/projects")
@login_required
def organisation_projects(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    require(permissions.can_view_directory(current_user))
    explain = _Explainer()
    rows = [(s, proj, explain(s)) for s, proj in queries.suggestions_for_organisation(org)]
    return render_template("partners/organisation_projects.html", org=org, rows=rows,
                           can_express=permissions.can_edit_organisation(current_user, org) and org.active)


# --- invitations and interest ----------------------------------------------------------------------

def _need_choice(needs, value):
    return next((n for n in needs if str(n.id) == str(value)), None) if value else None


@bp.route("/projects/<int:project_id>/invite/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def invite(project_id: int, organisation_id: int):
    proj = _project_or_404(project_id)
    org = _organisation_or_404(organisation_id)
    require(permissions.can_invite_organisation(current_user, proj, org))
    needs = queries.needs_of_project(proj.id)
    form = InviteForm(needs=needs)
    if request.method == "GET":
        form.need.data = request.args.get("need", "")
        need = _need_choice(needs, form.need.data)
        form.role.data = need.role if need else None
    if form.validate_on_submit():
        try:
            services.invite_organisation(proj, org, current_user, form.role.data, form.message.data or "",
                                         _locale(), need=_need_choice(needs, form.need.data))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        except IntegrityError:
            db.session.rollback()
            form.form_errors.append(error_message("already_linked"))
        else:
            db.session.commit()
            flash(_("%(name)s has been invited. The coordinators of %(municipality)s will answer.",
                    name=org.name, municipality=org.municipality.name), "success")
            return redirect(url_for(".project", project_id=proj.id))
    return render_template("partners/invite.html", form=form, project=proj, org=org), 422 if form.errors else 200


@bp.route("/projects/<int:project_id>/interest", methods=["GET", "POST"])
@login_required
def interest(project_id: int):
    proj = _project_or_404(project_id)
    require(permissions.can_register_organisation(current_user))
    own = [o for o in queries.own_active_organisations(current_user.municipality_id)
           if permissions.can_express_interest(current_user, proj, o)]
    if not own:
        abort(403)
    needs = queries.needs_of_project(proj.id)
    form = InterestForm(organisations=own, needs=needs, currencies=_currencies())
    if request.method == "GET":
        form.organisation.data = request.args.get("organisation", "")
        form.contribution_currency.data = current_municipality().currency
    if form.validate_on_submit():
        org = next(o for o in own if str(o.id) == form.organisation.data)
        contribution = ContributionInput(form.contribution_kind.data, form.contribution_amount.data,
                                         form.contribution_currency.data, form.contribution_hours.data)
        try:
            services.express_interest(proj, org, current_user, form.role.data, contribution,
                                      form.message.data or "", _locale(), need=_need_choice(needs, form.need.data))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        except IntegrityError:
            db.session.rollback()
            form.form_errors.append(error_message("already_linked"))
        else:
            db.session.commit()
            flash(_("The interest of %(name)s has been sent to the project's coordinators.", name=org.name),
                  "success")
            return redirect(url_for(".project", project_id=proj.id))
    return render_template("partners/interest.html", form=form, project=proj), 422 if form.errors else 200


@bp.route("/partnerships/<int:partnership_id>", methods=["GET", "POST"])
@login_required
def answer(partnership_id: int):
    link = queries.get_partnership(partnership_id)
    if link is None:
        abort(404)
    require(permissions.can_answer(current_user, link))
    form = AnswerForm(currencies=_currencies())
    if request.method == "GET":
        form.version.data = link.version
        form.contribution_currency.data = current_municipality().currency
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        contribution = ContributionInput(form.contribution_kind.data, form.contribution_amount.data,
                                         form.contribution_currency.data, form.contribution_hours.data)
        try:
            services.answer(link, current_user, accept, form.reason.data or "", _locale(), contribution,
                            version_of(form.version))
        except PartnerError as exc:
            db.session.rollback()
            _attach(form, exc)
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(error_message("conflict"))
        else:
            db.session.commit()
            if accept:
                flash(_("%(name)s is now a partner of the project.", name=link.organisation.name), "success")
            else:
                flash(_("You have declined. The other side sees your reason."), "success")
            return redirect(url_for(".project", project_id=link.project_id))
    return render_template("partners/answer.html", form=form, link=link), 422 if form.errors else 200


@bp.route("/partnerships/<int:partnership_id>/funding", methods=["POST"])
@login_required
def add_to_funding_plan(partnership_id: int):
    link = queries.get_partnership(partnership_id)
    if link is None:
        abort(404)
    require(permissions.can_add_to_funding_plan(current_user, link))
    form = FundingForm()
    if not form.validate_on_submit():
        flash(" ".join(form.hourly_value.errors) or error_message("not_fundable"), "error")
        return redirect(url_for(".project", project_id=link.project_id))
    try:
        services.add_to_funding_plan(link, current_user, form.hourly_value.data or None, _locale())
    except PartnerError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "error")
        return redirect(url_for(".project", project_id=link.project_id))
    db.session.commit()
    flash(_("The contribution of %(name)s is now part of the funding plan.", name=link.organisation.name),
          "success")
    return redirect(url_for(".project", project_id=link.project_id))


# --- dashboard panels --------------------------------------------------------------------------------

@dashboard_panel
def _stale_panel(user):
    if not permissions.can_register_organisation(user):
        return None
    rows, count = queries.stale_organisations(user.municipality_id)
    if not count:
        return None
    return "partners/panel_stale.html", {"organisations": rows, "count": count}


@dashboard_panel
def _find_partners_panel(user):
    """Coordinators of a lead municipality: their open projects, each with its suggested partners."""
    if not user.has_role(Role.COORDINATOR):
        return None
    projects = queries.open_projects_led_by(user.municipality_id)
    if not projects:
        return None
    return "partners/panel_find.html", {"projects": projects}


@dashboard_panel
def _partnership_panel(user):
    if not user.has_role(Role.COORDINATOR):
        return None
    interests = queries.interests_to_answer(user.municipality_id)
    invitations = queries.invitations_to_answer(user.municipality_id)
    if not interests and not invitations:
        return None
    return "partners/panel_partnerships.html", {"interests": interests, "invitations": invitations}

