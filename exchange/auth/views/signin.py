"""Signing in and out, and setting a password through an invitation link."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from exchange.auth import services, throttle, twofactor
from exchange.auth.forms import ConfirmForm, LoginForm, SetPasswordForm
from exchange.auth.views import bp
from exchange.extensions import db, limiter
from exchange.security import client_address, is_safe_next, too_many_attempts
from exchange.views import submit


def _address_limit_key() -> str:
    # Per client address across every account and municipality (the real address behind the proxy).
    return f"login|{client_address()}"


def finish_sign_in(user, next_url: str | None):
    """Start the signed-in session (after the password, and the second factor where there is one)."""
    # A fresh session on sign-in (no fixation); only the language choice carries over.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["sid"] = services.start_session(user, request.user_agent.string, client_address())
    login_user(user)
    throttle.record_success(user.email, client_address())
    db.session.commit()
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    if twofactor.must_enrol(user):
        flash(_("Administrators use a second factor. Set it up now: it takes a minute with an authenticator "
                "app on your phone."), "info")
        return redirect(url_for("tenant.auth.two_factor"))
    return redirect(next_url if is_safe_next(next_url) else url_for("tenant.municipalities.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_LIMIT"], methods=["POST"], key_func=_address_limit_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("tenant.municipalities.dashboard"))
    form = LoginForm()
    next_url = request.args.get("next")
    next_url = next_url if is_safe_next(next_url) else None
    if form.validate_on_submit():
        email, address = form.email.data, client_address()
        wait = throttle.wait_seconds(email, address)
        if wait:
            return too_many_attempts(wait)
        user = services.authenticate(email, form.password.data)
        if user is not None:
            if user.has_second_factor:
                db.session.commit()
                from exchange.auth.views.security import start_second_step
                return start_second_step(user, next_url)
            return finish_sign_in(user, next_url)
        throttle.record_failure(email, address)
        db.session.commit()
        # One generic message, whatever the reason: the form does not reveal which accounts exist.
        flash(_("The e-mail address or password is not correct."), "error")
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()

    def sign_out():
        services.end_session(session.pop("sid", None))
        logout_user()

    return submit(form, sign_out, render=lambda: redirect(url_for("tenant.auth.login")),
                  done=url_for("tenant.auth.login"), message=_("You have signed out."))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = services.invitation_user(token)
    if user is None:
        return render_template("auth/invalid_link.html"), 404
    form = SetPasswordForm()
    return submit(form, lambda: services.accept_invitation(token, form.new_password.data),
                  render=lambda: render_template("auth/set_password.html", form=form, invited=user),
                  done=url_for(".login"), message=_("Your password has been set. You can sign in now."))
