"""A project's partner side: its partners and needs, suggested organisations, invitations, expressions of
interest, answers, and an accepted contribution in the funding plan."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.forms import ConfirmForm
from exchange.municipalities import queries as municipality_queries
from exchange.partners import permissions, queries, services
from exchange.partners.display import Explainer
from exchange.partners.forms import AnswerForm, FundingForm, InterestForm, InviteForm, NeedForm, filled
from exchange.partners.models import PartnerNeed, PartnershipStatus
from exchange.partners.views import bp, locale, organisation_for, partnership_for, project_for
from exchange.views import child_or_404, submit


def _project_page(proj, funding: tuple | None = None):
    """The project's partners, pending links, needs and declined links. ``funding``: (partnership id,
    FundingForm) of a refused "add to the funding plan", to show its errors beside that partner."""
    links = queries.partnerships_of_project(proj.id)
    return render_template(
        "partners/project.html", project=proj, needs=queries.needs_of_project(proj.id),
        partners=[link for link in links if link.status == PartnershipStatus.ACCEPTED.value],
        pending=[link for link in links if link.is_pending],
        declined=[link for link in links if link.status == PartnershipStatus.DECLINED.value],
        leader=services.is_leader_project(proj), funding=funding,
        own_organisations=queries.own_active_organisations(current_user.municipality_id)
        if permissions.can_register_organisation(current_user) else [])


def _back_to(project_id: int) -> str:
    return url_for(".project", project_id=project_id)


@bp.route("/projects/<int:project_id>")
@login_required
def project(project_id: int):
    return _project_page(project_for(project_id, permissions.can_view_suggestions))


# --- needs -------------------------------------------------------------------------------------------

def _need_form(proj, need, form):
    return render_template("partners/need_form.html", form=form, project=proj, need=need)


def _filled_need_form(data: dict) -> NeedForm:
    return filled(NeedForm, data, municipalities=municipality_queries.all_ordered())


@bp.route("/projects/<int:project_id>/needs/new", methods=["GET", "POST"])
@login_required
def new_need(project_id: int):
    proj = project_for(project_id, permissions.can_edit_needs)
    form = _filled_need_form(NeedForm.new_data(proj))
    return submit(form, lambda: services.add_need(proj, current_user, form.to_input()),
                  render=lambda: _need_form(proj, None, form), done=_back_to(proj.id),
                  message=_("The partner need has been added."))


@bp.route("/projects/<int:project_id>/needs/<int:need_id>", methods=["GET", "POST"])
@login_required
def edit_need(project_id: int, need_id: int):
    proj = project_for(project_id, permissions.can_edit_needs)
    need = child_or_404(PartnerNeed, need_id, proj)
    form = _filled_need_form(NeedForm.data_of(need))
    return submit(form, lambda: services.update_need(need, current_user, form.to_input(), form.version.expected),
                  render=lambda: _need_form(proj, need, form), done=_back_to(proj.id),
                  message=_("The partner need has been saved."), saved=lambda: NeedForm.data_of(need))


@bp.route("/projects/<int:project_id>/needs/<int:need_id>/delete", methods=["POST"])
@login_required
def delete_need(project_id: int, need_id: int):
    proj = project_for(project_id, permissions.can_edit_needs)
    need = child_or_404(PartnerNeed, need_id, proj)
    form = ConfirmForm()
    return submit(form, lambda: services.delete_need(need, current_user, form.version.expected),
                  render=lambda: _project_page(proj), done=_back_to(proj.id),
                  message=_("The partner need has been removed."))


# --- suggestions -------------------------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/suggestions")
@login_required
def suggestions(project_id: int):
    proj = project_for(project_id, permissions.can_view_suggestions)
    needs = queries.needs_of_project(proj.id)
    found = queries.suggestions_per_need(proj, needs)
    explain = Explainer(s for _need, results in found for s, _org in results)
    groups = [(need, [(s, org, explain(s)) for s, org in results]) for need, results in found]
    return render_template("partners/suggestions.html", project=proj, needs=needs, groups=groups,
                           can_invite=permissions.can_invite_organisation(current_user, proj))


# --- invitations, interest, answers ------------------------------------------------------------------

@bp.route("/projects/<int:project_id>/invite/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def invite(project_id: int, organisation_id: int):
    proj = project_for(project_id, permissions.can_view_suggestions)
    org = organisation_for(organisation_id, lambda user, org: permissions.can_invite_organisation(user, proj, org))
    needs = queries.needs_of_project(proj.id)
    form = filled(InviteForm, InviteForm.new_data(needs, request.args.get("need")), needs=needs)
    return submit(form, lambda: services.invite_organisation(proj, org, current_user, locale=locale(),
                                                             **form.to_input()),
                  render=lambda: render_template("partners/invite.html", form=form, project=proj, org=org),
                  done=_back_to(proj.id),
                  message=_("%(name)s has been invited. The coordinators of %(municipality)s will answer.",
                            name=org.name, municipality=org.municipality.name))


@bp.route("/projects/<int:project_id>/interest", methods=["GET", "POST"])
@login_required
def interest(project_id: int):
    proj = project_for(project_id, lambda user, _proj: permissions.can_register_organisation(user))
    own = [o for o in queries.own_active_organisations(current_user.municipality_id)
           if permissions.can_express_interest(current_user, proj, o)]
    if not own:
        abort(403)
    form = filled(InterestForm, InterestForm.new_data(request.args.get("organisation")), organisations=own,
                  needs=queries.needs_of_project(proj.id))
    return submit(form, lambda: services.express_interest(proj, user=current_user, locale=locale(),
                                                          **form.to_input()),
                  render=lambda: render_template("partners/interest.html", form=form, project=proj),
                  done=_back_to(proj.id),
                  message=lambda link: _("The interest of %(name)s has been sent to the project's coordinators.",
                                         name=link.organisation.name))


@bp.route("/partnerships/<int:partnership_id>", methods=["GET", "POST"])
@login_required
def answer(partnership_id: int):
    # Posting an answer to a link answered since the page was shown: a conflict, not a 403.
    link = partnership_for(partnership_id, permissions.can_send_answer if request.method == "POST"
                           else permissions.can_answer)
    form = filled(AnswerForm, AnswerForm.data_of(link))
    name = link.organisation.name
    return submit(form, lambda: services.answer(link, current_user, locale=locale(),
                                                expected_version=form.version.expected, **form.to_input()),
                  render=lambda: render_template("partners/answer.html", form=form, link=link),
                  done=_back_to(link.project_id),
                  message=lambda _result: (_("%(name)s is now a partner of the project.", name=name) if form.accepted
                                           else _("You have declined. The other side sees your reason.")),
                  saved=lambda: AnswerForm.data_of(link))


@bp.route("/partnerships/<int:partnership_id>/funding", methods=["POST"])
@login_required
def add_to_funding_plan(partnership_id: int):
    link = partnership_for(partnership_id, permissions.can_add_to_funding_plan)
    form = FundingForm()
    name = link.organisation.name
    return submit(form, lambda: services.add_to_funding_plan(link, current_user, locale=locale(),
                                                             **form.to_input()),
                  render=lambda: _project_page(queries.get_project(link.project_id), funding=(link.id, form)),
                  done=_back_to(link.project_id),
                  message=_("The contribution of %(name)s is now part of the funding plan.", name=name))
