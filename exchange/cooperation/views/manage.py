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


def _profile():
    return queries.profile(current_municipality().id)


# What each form of the page saves: who may, the form, the service call, the message, the saved values.
_PARTS = {
    "policy": (permissions.can_edit_policy, PolicyForm,
               lambda form: services.save_policy(current_municipality().id, current_user, form.policy.data,
                                                 form.locale.data, form.version.expected),
               lambda: _("The policy priorities have been saved."),
               lambda: PolicyForm.data_of(_profile(), current_locale())),
    "licence": (permissions.can_choose_licence, LicenceForm,
                lambda form: services.choose_licence(current_municipality().id, current_user, form.licence.data,
                                                     form.version.expected),
                lambda: _("The licence of the open data has been saved."),
                lambda: LicenceForm.data_of(_profile())),
}


@bp.route("/<any(policy, licence):part>", methods=["POST"])
@login_required
def save(part: str):
    allowed, form_class, call, message, saved = _PARTS[part]
    require(allowed(current_user))
    form = form_class()
    return submit(form, lambda: call(form), render=lambda: _render(**{f"{part}_form": form}),
                  done=url_for(".manage"), message=message(), saved=saved)
