"""The project's plan: funding lines and contact people (each municipality its own), milestones (the lead)."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from exchange.forms import ConfirmForm
from exchange.i18n.formatting import money
from exchange.municipalities import queries as municipality_queries
from exchange.projects import permissions, queries, services
from exchange.projects.forms import ContactForm, FundingLineForm, MilestoneForm
from exchange.projects.models import FundingLine, Milestone, Project, ProjectContact
from exchange.projects.views import bp, project_or_404, reader_locale
from exchange.tenancy import current_municipality
from exchange.views import child_or_404, require, submit


def _currencies() -> list[str]:
    return sorted(set(municipality_queries.currencies()) | {"EUR"})


def _render_plan(project: Project, **forms) -> str:
    """The plan page; ``forms`` are the submitted forms to show again, the others are fresh."""
    user = current_user
    fresh = {"formdata": None}
    return render_template(
        "projects/plan.html", project=project,
        funding=queries.funding_summary(project.funding_lines),
        funding_form=forms.get("funding_form") or FundingLineForm(
            currencies=_currencies(), data={"currency": current_municipality().currency}, **fresh),
        contact_form=forms.get("contact_form") or ContactForm(**fresh),
        milestone_form=forms.get("milestone_form") or MilestoneForm(**fresh),
        can_contribute=permissions.can_edit_own_contribution(user, project),
        can_edit=permissions.can_edit_project(user, project),
    )


def _section(project: Project, anchor: str) -> str:
    return url_for(".plan", project_id=project.id) + anchor


@bp.route("/<int:project_id>/plan")
@login_required
def plan(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project)
            or permissions.can_edit_project(current_user, project), lambda: permissions.why_not_plan(current_user, project))
    return _render_plan(project)


@bp.route("/<int:project_id>/plan/funding", methods=["POST"])
@login_required
def add_funding(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project))
    form = FundingLineForm(currencies=_currencies())
    return submit(form, lambda: services.add_funding_line(project, current_user, current_user.municipality_id,
                                                          locale=reader_locale(), **form.to_input()),
                  render=lambda: _render_plan(project, funding_form=form), done=_section(project, "#funding"),
                  message=lambda line: _("The funding line has been added. Saved amount: %(amount)s.",
                                         amount=money(line.amount, line.currency)))


@bp.route("/<int:project_id>/plan/contacts", methods=["POST"])
@login_required
def add_contact(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_edit_own_contribution(current_user, project))
    form = ContactForm()
    return submit(form, lambda: services.add_contact(project, current_user, current_user.municipality_id,
                                                     locale=reader_locale(), **form.to_input()),
                  render=lambda: _render_plan(project, contact_form=form), done=_section(project, "#contacts"),
                  message=_("The contact person has been added."))


# A municipality's own part of the plan: what may be removed, how, and what is said then.
_REMOVABLE = {
    "funding": (FundingLine, services.delete_funding_line, _l("The funding line has been removed.")),
    "contacts": (ProjectContact, services.delete_contact, _l("The contact person has been removed.")),
}


@bp.route("/<int:project_id>/plan/<any(funding, contacts):part>/<int:child_id>/delete", methods=["POST"])
@login_required
def remove(project_id: int, part: str, child_id: int):
    """Remove a funding line or a contact person (people of the municipality it belongs to only)."""
    project = project_or_404(project_id)
    model, delete, message = _REMOVABLE[part]
    child = child_or_404(model, child_id, project)
    require(permissions.can_remove_funding_line(current_user, child) if part == "funding"
            else permissions.can_edit_contribution_of(current_user, project, child.municipality_id))
    form = ConfirmForm()  # the version the plan showed: a row changed since is a 409
    return submit(form, lambda: delete(child, current_user, form.version.checked),
                  render=lambda: _render_plan(project), done=_section(project, f"#{part}"), message=str(message))


@bp.route("/<int:project_id>/plan/milestones", methods=["POST"])
@login_required
def add_milestone(project_id: int):
    project = project_or_404(project_id)
    require(permissions.can_edit_project(current_user, project))
    form = MilestoneForm()
    return submit(form, lambda: services.add_milestone(project, current_user, locale=reader_locale(),
                                                       **form.to_input()),
                  render=lambda: _render_plan(project, milestone_form=form), done=_section(project, "#milestones"),
                  message=_("The milestone has been added."))


@bp.route("/<int:project_id>/plan/milestones/<int:milestone_id>/<any(done, open, delete):action>",
          methods=["POST"])
@login_required
def milestone_action(project_id: int, milestone_id: int, action: str):
    project = project_or_404(project_id)
    milestone = child_or_404(Milestone, milestone_id, project)
    require(permissions.can_edit_project(current_user, project))
    form = ConfirmForm()  # the version the plan showed: a milestone changed since is a 409
    if action == "delete":
        save = lambda: services.delete_milestone(milestone, current_user, form.version.checked)  # noqa: E731
        message = _("The milestone has been removed.")
    else:
        save = lambda: services.set_milestone_done(milestone, current_user, action == "done",  # noqa: E731
                                                   form.version.checked)
        message = _("The milestone has been updated.")
    return submit(form, save, render=lambda: _render_plan(project), done=_section(project, "#milestones"),
                  message=message)
