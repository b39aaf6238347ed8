"""The signed-in side: the municipality's public page as its admins and coordinators see it (the
addresses of its language versions, the state of the policy text's translations), editing the policy
priorities and choosing the open-data licence."""
from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.cooperation import permissions, queries, services
from exchange.cooperation.forms import LicenceForm, PolicyForm
from exchange.cooperation.views import bp
from exchange.i18n.locale import current_locale
from exchange.tenancy import current_municipality
from exchange.views import require, submit


def _render(policy_form=None, licence_form=None):
    town = current_municipality()
    profile = queries.profile(town.id)
    fresh = {"formdata": None}
    if policy_form is None:
        policy_form = PolicyForm(data=PolicyForm.data_of(profile, current_locale()), **fresh)
    if licence_form is None and permissions.can_choose_licence(current_user):
        licence_form = LicenceForm(data=LicenceForm.data_of(profile), **fresh)
    versions = profile.versions("policy", current_app.config["LANGUAGES"]) if profile is not None else []
    return render_template("cooperation/manage.html", profile=profile, versions=versions,
                           policy_form=policy_form, licence_form=licence_form,
                           licence=queries.licence_of(profile))


@bp.route("/", methods=["GET"])
@login_required
def manage():
    require(permissions.can_edit_policy(current_user))
    return _render()


def _saved_policy() -> dict:
    return PolicyForm.data_of(queries.profile(current_municipality().id), current_locale())


@bp.route("/policy", methods=["POST"])
@login_required
def save_policy():
    require(permissions.can_edit_policy(current_user))
    form = PolicyForm()
    return submit(form, lambda: services.save_policy(current_municipality().id, current_user, form.policy.data,
                                                     form.locale.data, form.version.expected),
                  render=lambda: _render(policy_form=form), done=url_for(".manage"),
                  message=_("The policy priorities have been saved."), saved=_saved_policy)


@bp.route("/licence", methods=["POST"])
@login_required
def choose_licence():
    require(permissions.can_choose_licence(current_user))
    form = LicenceForm()
    return submit(form, lambda: services.choose_licence(current_municipality().id, current_user, form.licence.data,
                                                        form.version.expected),
                  render=lambda: _render(licence_form=form), done=url_for(".manage"),
                  message=_("The licence of the open data has been saved."),
                  saved=lambda: LicenceForm.data_of(queries.profile(current_municipality().id)))
