"""A project's own pages: detail (printable), languages side by side, the project form, the lifecycle,
joining, the participant's contribution and comments."""
from __future__ import annotations

from functools import partial

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.i18n.locale import supported
from exchange.municipalities import queries as municipality_queries
from exchange.partners import queries as partner_queries
from exchange.projects import permissions, queries, services
from exchange.projects.forms import (CommentForm, ContributionForm, DecisionForm, InviteForm, JoinForm, ProjectForm,
                                     StatusForm, project_form_class)
from exchange.projects.models import ParticipationStatus, Project, ProjectParticipation
from exchange.projects.views import bp, form_for, project_or_404, reader_locale
from exchange.themes import queries as theme_queries
from exchange.views import child_or_404, require, submit, submit_switch


def _invitable(project: Project):
    involved = {p.municipality_id for p in project.participations if p.status != ParticipationStatus.DECLINED.value}
    return [m for m in municipality_queries.names() if m.id != project.lead_municipality_id and m.id not in involved]


def _render_detail(project: Project, printable: bool = False, **forms) -> str:
    """The detail page; ``forms`` are the submitted forms to show again (with their errors), every other
    form is a fresh one (never filled from the request that was just refused)."""
    user = current_user
    fresh = {"formdata": None}
    context = {
        "project": project,
        "printable": printable,
        "funding": queries.funding_summary(project.funding_lines),
        "comment_form": forms.get("comment_form") or CommentForm(**fresh),
        "status_form": (forms.get("status_form") or StatusForm(current=project.status_enum,
                                                                 data={"version": project.version}, **fresh))
        if permissions.can_change_status(user, project) else None,
        "invite_form": (forms.get("invite_form") or InviteForm(municipalities=_invitable(project), **fresh))
        if permissions.can_invite(user, project) else None,
        "join_form": (forms.get("join_form") or JoinForm(**fresh))
        if permissions.can_request_to_join(user, project) else None,
        "decision_form": forms.get("decision_form"),
    }
    return render_template("projects/detail.html", **context)


def _readable(project_id: int) -> Project:
    project = project_or_404(project_id)
    require(permissions.can_view_projects(current_user))
    return project


@bp.route("/<int:project_id>")
@login_required
def detail(project_id: int):
    return _render_detail(_readable(project_id))


@bp.route("/<int:project_id>/print")
@login_required
def print_view(project_id: int):
    return _render_detail(_readable(project_id), printable=True)


@bp.route("/<int:project_id>/languages")
@login_required
def languages(project_id: int):
    project = _readable(project_id)
    # The partner organisations' messages and decision reasons are texts of the project too (read by the
    # other side): one query for the links, one for their texts.
    return render_template("projects/languages.html", project=project, languages=supported(),
                           partnerships=partner_queries.partnerships_of_project(project.id))


@bp.route("/<int:project_id>/public", methods=["POST"])
@login_required
def set_public(project_id: int):
    """Show the project on the public pages (approved texts only), or take it off."""
    project = project_or_404(project_id)
    require(permissions.can_publish_project(current_user, project))
    return submit_switch(lambda public, version: services.set_public(project, current_user, public, version),
                         render=lambda: _render_detail(project), done=url_for(".detail", project_id=project.id),
                         on=_("The project is now shown on the public pages."),
                         off=_("The project is no longer shown on the public pages."))


# --- drafting and editing ------------------------------------------------------------------------

def _project_form(saved):
    return form_for(project_form_class(), saved, themes=theme_queries.choices(reader_locale()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_create_project(current_user))
    form = _project_form(lambda: {"locale": reader_locale()})
    return submit(form, lambda: services.create_project(current_user, form.to_input()),
                  render=lambda: render_template("projects/form.html", form=form, project=None),
                  done=lambda project: url_for(".detail", project_id=project.id),
                  message=_("The project has been saved as a draft. Only your municipality can see it until a "
                            "coordinator proposes it."))


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_edit_project(current_user, project),
            lambda: permissions.why_not_edit_project(current_user, project))
    saved = partial(ProjectForm.data_of, project)
    form = _project_form(saved)
    return submit(form, lambda: services.update_project(project, current_user, form.to_input(),
                                                        form.version.expected),
                  render=lambda: render_template("projects/form.html", form=form, project=project),
                  done=url_for(".detail", project_id=project.id), message=_("The project has been saved."),
                  saved=saved)


# --- the lifecycle and joining -------------------------------------------------------------------

@bp.route("/<int:project_id>/status", methods=["POST"])
@login_required
def change_status(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_change_status(current_user, project))
    form = StatusForm(current=project.status_enum)
    # On a conflict the page shows the project as it is now, with a fresh status form.
    return submit(form, lambda: services.change_status(project, current_user, locale=reader_locale(),
                                                       **form.to_input()),
                  render=lambda: _render_detail(project, status_form=None if getattr(form, "conflict", False)
                                                else form),
                  done=url_for(".detail", project_id=project.id),
                  message=lambda _result: _("The project is now: %(status)s.", status=project.status_enum.label))


@bp.route("/<int:project_id>/invite", methods=["POST"])
@login_required
def invite(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_invite(current_user, project))
    form = InviteForm(municipalities=_invitable(project))
    return submit(form, lambda: services.invite(project, user=current_user, locale=reader_locale(),
                                                **form.to_input()),
                  render=lambda: _render_detail(project, invite_form=form),
                  done=url_for(".detail", project_id=project.id),
                  message=lambda _result: _(
                      "%(municipality)s has been invited. Its coordinators see the invitation on their dashboard.",
                      municipality=form.to_input()["municipality"].name))


@bp.route("/<int:project_id>/join", methods=["POST"])
@login_required
def join(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_request_to_join(current_user, project), lambda: permissions.why_not_join(current_user, project))
    form = JoinForm()
    return submit(form, lambda: services.request_to_join(project, current_user, locale=reader_locale(),
                                                         **form.to_input()),
                  render=lambda: _render_detail(project, join_form=form),
                  done=url_for(".detail", project_id=project.id),
                  message=_("Your request to join has been sent. The lead municipality's coordinators will "
                            "answer it."))


@bp.route("/<int:project_id>/participations/<int:participation_id>/decide", methods=["POST"])
@login_required
def decide(project_id: int, participation_id: int):
    project = project_or_404(project_id)
    participation = child_or_404(ProjectParticipation, participation_id, project)
    require(permissions.can_send_decision(current_user, participation))
    form = DecisionForm()
    name = participation.municipality.name
    return submit(form, lambda: services.decide(participation, current_user, **form.to_input()),
                  render=lambda: _render_detail(project, decision_form=form),
                  done=url_for(".detail", project_id=project_id),
                  message=lambda _result: (
                      _("%(municipality)s now takes part in the project.", municipality=name)
                      if form.to_input()["accept"] else
                      _("%(municipality)s does not take part in the project.", municipality=name)))


@bp.route("/<int:project_id>/contribution", methods=["GET", "POST"])
@login_required
def contribution(project_id: int):
    project = project_or_404(project_id)
    participation = project.participation_of(current_user.municipality_id)
    require(participation is not None and permissions.can_edit_participation_text(current_user, participation),
            lambda: permissions.why_not_plan(current_user, project)
            or _("Staff and coordinators of the participating municipality describe its contribution."))
    saved = partial(ContributionForm.data_of, participation)
    form = form_for(ContributionForm, saved)
    return submit(form, lambda: services.set_contribution(participation, current_user, **form.to_input()),
                  render=lambda: render_template("projects/contribution.html", form=form, project=project,
                                                 participation=participation),
                  done=url_for(".detail", project_id=project_id),
                  message=_("Your municipality's contribution has been saved."), saved=saved)


@bp.route("/<int:project_id>/comments", methods=["POST"])
@login_required
def comment(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_comment(current_user, project))
    form = CommentForm()
    return submit(form, lambda: services.add_comment(project, current_user, locale=reader_locale(),
                                                     **form.to_input()),
                  render=lambda: _render_detail(project, comment_form=form),
                  done=lambda created: url_for(".detail", project_id=project_id) + f"#comment-{created.id}",
                  message=_("Your comment has been published."))
