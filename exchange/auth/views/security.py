"""The second factor (sign-in step, enrolment, recovery codes, reset by an admin) and "My sign-ins"."""
from __future__ import annotations

import time

import segno
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.auth import permissions, services, throttle, twofactor
from exchange.auth.forms import ConfirmForm, SecondFactorForm
from exchange.auth.models import User
from exchange.auth.views import bp
from exchange.extensions import db
from exchange.security import client_address, too_many_attempts
from exchange.views import found_or_404, require, submit

PENDING_SECONDS = 300  # the password step is good for five minutes


# --- the second step of signing in ------------------------------------------------------------------

def start_second_step(user: User, next_url: str | None):
    """The password was right: remember who is half signed in (in the signed cookie) and ask for a code."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["pending_2fa"] = {"uid": user.id, "at": int(time.time()), "next": next_url}
    return redirect(url_for("tenant.auth.second_factor"))


def _pending_user() -> User | None:
    pending = session.get("pending_2fa") or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid"))  # scoped: only this municipality's accounts
    return user if user is not None and user.active and user.has_second_factor else None


@bp.route("/login/second-factor", methods=["GET", "POST"])
def second_factor():
    from exchange.auth.views.signin import finish_sign_in
    user = _pending_user()
    if user is None:
        session.pop("pending_2fa", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for(".login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        address = client_address()
        wait = throttle.wait_seconds(user.email, address)
        if wait:
            return too_many_attempts(wait)
        if twofactor.verify(user, form.code.data):
            next_url = session["pending_2fa"].get("next")
            return finish_sign_in(user, next_url)
        throttle.record_failure(user.email, address)
        db.session.commit()
        form.code.errors = [*form.code.errors, _("This code is not correct, or it has been used already. Enter the "
                                                 "current code from your app, or one of your recovery codes.")]
        return render_template("auth/second_factor.html", form=form), 422
    return render_template("auth/second_factor.html", form=form), 422 if request.method == "POST" else 200


# --- enrolment and management -----------------------------------------------------------------------

def _qr_svg(uri: str) -> str:
    """The provisioning address as an SVG data URI (the CSP allows data: images, not inline markup)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1b1b1b", light="#ffffff")


def _render_two_factor(form=None, codes: list[str] | None = None) -> str:
    user = current_user
    setup = None
    if not user.has_second_factor and user.totp_secret:
        setup = {"secret": user.totp_secret, "qr": _qr_svg(twofactor.provisioning_uri(user))}
    return render_template("auth/two_factor.html", form=form or SecondFactorForm(formdata=None), setup=setup,
                           codes=codes, remaining=twofactor.remaining_recovery_codes(user),
                           required=twofactor.requires_second_factor(user),
                           start_form=ConfirmForm(formdata=None))


@bp.route("/account/two-factor", methods=["GET"])
@login_required
def two_factor():
    return _render_two_factor()


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def two_factor_start():
    return submit(ConfirmForm(), lambda: twofactor.begin_enrolment(current_user), render=_render_two_factor,
                  done=url_for(".two_factor"))


def _show_codes(save, message: str):
    """Run ``save`` (which returns new recovery codes) and show them once, on this response only."""
    form = SecondFactorForm()
    shown: list[str] = []

    def run():
        shown.extend(save(form.code.data))

    response = submit(form, run, render=lambda: _render_two_factor(form), done=url_for(".two_factor"))
    if shown:
        flash(message, "success")
        return _render_two_factor(codes=shown)
    return response


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
def two_factor_confirm():
    return _show_codes(lambda code: twofactor.confirm_enrolment(current_user, code),
                       _("The second factor is on. Keep these recovery codes somewhere safe: each works once, if "
                         "you lose your phone. They are shown only now."))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def two_factor_recovery_codes():
    return _show_codes(lambda code: twofactor.renew_recovery_codes(current_user, code),
                       _("New recovery codes: the old ones no longer work. They are shown only now."))


@bp.route("/account/two-factor/off", methods=["POST"])
@login_required
def two_factor_off():
    form = SecondFactorForm()
    return submit(form, lambda: twofactor.turn_off(current_user, form.code.data),
                  render=lambda: _render_two_factor(form), done=url_for(".two_factor"),
                  message=_("The second factor is off."))


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@login_required
def reset_two_factor(user_id: int):
    user = found_or_404(db.session.get(User, user_id))
    require(permissions.can_edit_user(current_user, user))
    form = ConfirmForm()
    return submit(form, lambda: twofactor.reset(user, current_user),
                  render=lambda: render_template("auth/confirm_deactivate.html", form=form, user=user),
                  done=url_for(".edit_user", user_id=user.id),
                  message=_("The second factor of %(name)s has been reset and their sessions signed out. They "
                            "set it up again at their next sign-in.", name=user.name))


# --- My sign-ins --------------------------------------------------------------------------------------

def _render_sessions() -> str:
    return render_template("auth/sessions.html", sessions=services.sessions_of(current_user),
                           current=services.current_session_id(session.get("sid")),
                           form=ConfirmForm(formdata=None))


@bp.route("/account/sessions")
@login_required
def sessions():
    return _render_sessions()


@bp.route("/account/sessions/<int:session_id>/revoke", methods=["POST"])
@login_required
def revoke_session(session_id: int):
    return submit(ConfirmForm(), lambda: services.revoke_session(current_user, session_id), render=_render_sessions,
                  done=url_for(".sessions"), message=_("That sign-in has been signed out."))


@bp.route("/account/sessions/others/revoke", methods=["POST"])
@login_required
def revoke_other_sessions():
    return submit(ConfirmForm(), lambda: services.revoke_sessions(current_user, keep_token=session.get("sid")),
                  render=_render_sessions, done=url_for(".sessions"),
                  message=_("Every other sign-in has been signed out."))
