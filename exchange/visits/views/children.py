"""A visit's programme items, participants, costs and follow-up actions: the add forms on the visit's page,
the edit pages, removal, and marking a follow-up action done. One flow for the four kinds of child,
described by ``KINDS``; every write goes through ``exchange.views.submit``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from exchange.forms import ConfirmForm
from exchange.i18n.formatting import money
from exchange.tenancy import current_municipality
from exchange.views import child_or_404, require, submit
from exchange.visits import permissions, services
from exchange.visits.forms import AgendaItemForm, CostForm, FollowUpForm, ParticipantForm
from exchange.visits.models import AgendaItem, Cost, FollowUp, Participant, Visit
from exchange.visits.views import bp
from exchange.visits.views.common import expected_version, load_visit, opened_with


@dataclass(frozen=True)
class Kind:
    """One kind of child: its model, form, services, the section of the visit's page it lives in, and
    what the pages say about it."""

    model: type
    form: type
    add: Callable
    update: Callable
    remove: Callable
    anchor: str
    heading: object
    added: object
    saved: object
    removed: object
    defaults: Callable[[Visit], dict] = lambda visit: {}
    hint: object = None


KINDS = {
    "agenda": Kind(AgendaItem, AgendaItemForm, services.add_agenda_item, services.update_agenda_item,
                   services.remove_agenda_item, "programme", _l("Edit the programme item"),
                   _l("The programme item has been added."), _l("The programme item has been saved."),
                   _l("The programme item has been removed."), defaults=lambda visit: {"day": visit.start_date}),
    "participants": Kind(Participant, ParticipantForm, services.add_participant, services.update_participant,
                         services.remove_participant, "participants", _l("Edit the participant"),
                         _l("The participant has been added."), _l("The participant has been saved."),
                         _l("The participant has been removed."),
                         defaults=lambda visit: {"municipality_id": str(current_user.municipality_id)},
                         hint=_l("Personal data: record only what the visit needs. Names are erased after the "
                                 "retention period.")),
    "costs": Kind(Cost, CostForm, services.add_cost, services.update_cost, services.remove_cost, "costs",
                  _l("Edit the cost"), _l("The cost has been added."), _l("The cost has been saved."),
                  _l("The cost has been removed."),
                  defaults=lambda visit: {"currency": current_municipality().currency,
                                          "municipality_id": str(current_user.municipality_id)}),
    "follow-ups": Kind(FollowUp, FollowUpForm, services.add_follow_up, services.update_follow_up,
                       services.remove_follow_up, "follow-ups", _l("Edit the follow-up action"),
                       _l("The follow-up action has been added."), _l("The follow-up action has been saved."),
                       _l("The follow-up action has been removed.")),
}
KIND = "<any(agenda, participants, costs, 'follow-ups'):kind>"


def detail_page(visit: Visit, kind: str | None = None, form=None) -> str:
    """The visit's page; for its editors with the four add forms (blank, or ``form`` of ``kind`` as
    submitted, with its errors)."""
    editable = permissions.can_edit_visit(current_user, visit)
    forms = {}
    if editable:
        forms = {name: spec.form(visit, formdata=None, data=spec.defaults(visit)) for name, spec in KINDS.items()}
        if kind is not None:
            forms[kind] = form
    return render_template("visits/detail.html", visit=visit, editable=editable, forms=forms)


def _done(visit: Visit, spec: Kind) -> str:
    return url_for(".detail", visit_id=visit.id, _anchor=spec.anchor)


def _said(kind: str, text) -> Callable:
    """What the page says after a save; for a cost with the amount as it was saved, so the person sees
    that the 99,50 they typed is 99,50 € and not 9 950 €."""
    def message(saved) -> str:
        if kind == "costs" and saved is not None:
            return _("%(done)s Saved amount: %(amount)s.", done=str(text), amount=money(saved.amount, saved.currency))
        return str(text)
    return message


@bp.route(f"/<int:visit_id>/{KIND}", methods=["POST"])
@login_required
def add_child(visit_id: int, kind: str):
    spec = KINDS[kind]
    visit = load_visit(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    form = spec.form(visit)
    return submit(form, lambda: spec.add(visit, actor=current_user, **form.to_input()),
                  render=lambda: detail_page(visit, kind, form), done=_done(visit, spec),
                  message=_said(kind, spec.added))


@bp.route(f"/<int:visit_id>/{KIND}/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit_child(visit_id: int, kind: str, child_id: int):
    """404 for an unknown visit, another visit's child, or a municipality that does not take part in the
    visit (it does not see these details at all, so their ids are not confirmed to it); 403 for users of
    the visit's municipalities who may not edit."""
    spec = KINDS[kind]
    visit = load_visit(visit_id)
    if not permissions.can_view_details(current_user, visit):
        abort(404)
    child = child_or_404(spec.model, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    form = spec.form(visit, data=opened_with(spec.form.saved(child)))
    return submit(form, lambda: spec.update(child, actor=current_user, expected_version=expected_version(form),
                                            **form.to_input()),
                  render=lambda: render_template("visits/child_form.html", form=form, visit=visit, spec=spec),
                  done=_done(visit, spec), message=_said(kind, spec.saved), saved=lambda: spec.form.saved(child))


@bp.route(f"/<int:visit_id>/{KIND}/<int:child_id>/remove", methods=["POST"])
@login_required
def remove_child(visit_id: int, kind: str, child_id: int):
    spec = KINDS[kind]
    visit = load_visit(visit_id)
    child = child_or_404(spec.model, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    form = ConfirmForm()  # carries the version the row was shown with: a row changed since is a 409
    return submit(form, lambda: spec.remove(child, current_user, expected_version(form)),
                  render=lambda: detail_page(visit), done=_done(visit, spec), message=str(spec.removed))


@bp.route("/<int:visit_id>/follow-ups/<int:child_id>/<any(done, reopen):action>", methods=["POST"])
@login_required
def follow_up_status(visit_id: int, child_id: int, action: str):
    visit = load_visit(visit_id)
    follow_up = child_or_404(FollowUp, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    done = action == "done"
    form = ConfirmForm()
    return submit(form, lambda: services.set_follow_up_done(follow_up, done, current_user, expected_version(form)),
                  render=lambda: detail_page(visit), done=_done(visit, KINDS["follow-ups"]),
                  message=_("The follow-up action is done.") if done else _("The follow-up action is open again."))
