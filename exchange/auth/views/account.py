"""The signed-in person's own account: password and interface language."""
from __future__ import annotations

from flask import render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.auth import services
from exchange.auth.forms import ChangePasswordForm, PreferencesForm
from exchange.auth.views import bp
from exchange.views import submit


def _render(password_form=None, preferences_form=None) -> str:
    return render_template(
        "auth/account.html", password_form=password_form or ChangePasswordForm(formdata=None),
        preferences_form=preferences_form or PreferencesForm(formdata=None,
                                                             preferred_locale=current_user.preferred_locale or ""))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return _render()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    return submit(form, lambda: services.change_password(current_user, form.current_password.data,
                                                         form.new_password.data, keep_token=session.get("sid")),
                  render=lambda: _render(password_form=form), done=url_for(".account"),
                  message=_("Your password has been changed. Other browsers have been signed out."))


@bp.route("/account/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()

    def save():
        services.set_preferred_locale(current_user, form.to_input())
        # The explicit choice in the session would hide the new preference; let it take over.
        session.pop("lang", None)

    return submit(form, save, render=lambda: _render(preferences_form=form), done=url_for(".account"),
                  message=_("Your preferences have been saved."))
