"""The directory, its CSV export, and organisation profiles: register, edit, confirm, retire, erase a
contact person; the projects an organisation would suit."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange import rules
from exchange.forms import ConfirmForm
from exchange.municipalities import queries as municipality_queries
from exchange.partners import exports, permissions, queries, services
from exchange.partners.display import Explainer
from exchange.partners.forms import DirectoryForm, OrganisationForm, StatusForm, filled
from exchange.partners.views import bp, locale, organisation_for
from exchange.tenancy import current_municipality
from exchange.views import found_or_404, require, submit


# --- the directory ---------------------------------------------------------------------------------

def _directory_form() -> DirectoryForm:
    require(permissions.can_view_directory(current_user))
    # The reader's own municipality, its twin towns and the one in the URL, not the whole network (issue 12)
    return DirectoryForm(request.args, municipalities=municipality_queries.filter_choices(
        current_municipality().id, rules.parse_id(request.args.get("municipality"))))


@bp.route("/")
@login_required
def directory():
    form = _directory_form()
    if request.args and not form.validate():
        return render_template("partners/directory.html", form=form, page=None, args={}), 422
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    page = queries.directory_page(form.to_input(), locale(), current_app.config["PAGE_SIZE"])
    return render_template("partners/directory.html", form=form, page=page, args=args)


@bp.route("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The directory's results as CSV or XLSX. Contact people only for the exporting municipality's own
    organisations: their personal details never go to another municipality (DESIGN.md §4)."""
    form = _directory_form()
    if request.args and not form.validate():
        abort(400)
    return exports.directory_download(fmt, form.to_input(), locale(), current_user)


# --- profiles --------------------------------------------------------------------------------------

def _profile_page(org):
    """The profile (its confirm, retire and remove buttons carry the version saved now)."""
    return render_template("partners/profile.html", org=org,
                           partnerships=queries.partnerships_of_organisation(org.id), stale=org.is_stale())


def _organisation_form(org, form):
    return render_template("partners/form.html", form=form, org=org)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    require(permissions.can_register_organisation(current_user))
    form = filled(OrganisationForm, OrganisationForm.new_data(locale(), current_municipality()))
    return submit(form, lambda: services.create_organisation(current_user, form.to_input()),
                  render=lambda: _organisation_form(None, form),
                  done=lambda org: url_for(".profile", organisation_id=org.id),
                  message=lambda org: _("%(name)s has been registered.", name=org.name))


@bp.route("/<int:organisation_id>")
@login_required
def profile(organisation_id: int):
    return _profile_page(organisation_for(organisation_id, permissions.can_view_directory))


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    org = organisation_for(organisation_id, permissions.can_edit_organisation)
    form = filled(OrganisationForm, OrganisationForm.data_of(org))
    return submit(form, lambda: services.update_organisation(org, current_user, form.to_input(),
                                                             form.version.expected),
                  render=lambda: _organisation_form(org, form),
                  done=url_for(".profile", organisation_id=org.id),
                  message=lambda _result: _("The profile of %(name)s has been saved.", name=org.name),
                  saved=lambda: OrganisationForm.data_of(org))


def _status_change(organisation_id: int, service, message):
    """Confirm or retire: a confirmed action against the version the page showed (409 when stale)."""
    org = organisation_for(organisation_id, permissions.can_edit_organisation)
    form = StatusForm()
    done = (url_for("tenant.municipalities.dashboard") if form.from_dashboard
            else url_for(".profile", organisation_id=org.id))
    return submit(form, lambda: service(org, current_user, form.version.expected),
                  render=lambda: _profile_page(org), done=done, message=lambda _result: message(org))


@bp.route("/<int:organisation_id>/confirm", methods=["POST"])
@login_required
def confirm_organisation(organisation_id: int):
    return _status_change(organisation_id, services.confirm_organisation,
                          lambda org: _("The profile of %(name)s has been confirmed as up to date.", name=org.name))


@bp.route("/<int:organisation_id>/retire", methods=["POST"])
@login_required
def retire_organisation(organisation_id: int):
    return _status_change(organisation_id, services.retire_organisation,
                          lambda org: _("%(name)s has been retired: it is no longer suggested as a partner.",
                                        name=org.name))


@bp.route("/<int:organisation_id>/contacts/<int:contact_id>/delete", methods=["POST"])
@login_required
def delete_contact(organisation_id: int, contact_id: int):
    org = organisation_for(organisation_id, permissions.can_edit_organisation)
    contact = found_or_404(next((c for c in org.contacts if c.id == contact_id), None))
    form = ConfirmForm()
    return submit(form, lambda: services.delete_contact(contact, current_user, form.version.checked),
                  render=lambda: _profile_page(org), done=url_for(".profile", organisation_id=org.id),
                  message=_("The contact person has been removed."))


@bp.route("/<int:organisation_id>/projects")
@login_required
def organisation_projects(organisation_id: int):
    org = organisation_for(organisation_id, permissions.can_view_directory)
    found = queries.suggestions_for_organisation(org)
    explain = Explainer(s for s, _proj in found)
    rows = [(s, proj, explain(s)) for s, proj in found]
    return render_template("partners/organisation_projects.html", org=org, rows=rows,
                           can_express=permissions.can_edit_organisation(current_user, org) and org.active)
