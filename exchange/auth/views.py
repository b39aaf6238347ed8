"""Sign-in, sign-out, the user's own account, and the admin's account management."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from exchange import mail
from exchange.audit.queries import recent_entries
from exchange.dashboard import dashboard_panel, nav_item
from exchange.auth import permissions, queries, services
from exchange.auth.forms import (ChangePasswordForm, ConfirmForm, InviteUserForm, LoginForm, PreferencesForm,
                                 RolesForm, SetPasswordForm)
from exchange.auth.models import Role, User
from exchange.auth.services import AuthError
from exchange.extensions import db, limiter, login_manager
from exchange.security import is_safe_next
from exchange.tenancy import current_municipality, current_municipality_id
from exchange.views import require

bp = Blueprint("auth", __name__)

nav_item("tenant.auth.users", _l("Accounts"), permissions.can_manage_users)
nav_item("tenant.auth.audit_log", _l("Audit log"), permissions.can_view_audit_log)


def error_message(code: str) -> str:
    """The translated text for a refused account operation."""
    return {
        "email_taken": _("An account with this e-mail address already exists in this municipality."),
        "password_too_short": _("Use at least %(min)d characters.", min=services.MIN_PASSWORD_LENGTH),
        "wrong_password": _("The current password is not correct."),
        "unknown_locale": _("Choose one of the offered languages."),
        "no_roles": _("Choose at least one role."),
        "own_admin_role": _("You cannot remove your own administrator role."),
        "deactivate_self": _("You cannot deactivate your own account."),
        "invalid_token": _("This link is not valid any more. Ask your administrator for a new invitation."),
    }[code]


# --- Flask-Login wiring ----------------------------------------------------------------------

@login_manager.user_loader
def _load_user(user_id: str):
    # Outside a municipality (the landing page) nobody is signed in; inside one, the scoped query
    # finds only that municipality's users, so another municipality's session is anonymous here.
    if current_municipality_id() is None:
        return None
    return services.session_user(session.get("sid"), user_id)


@login_manager.unauthorized_handler
def _unauthorized():
    if current_municipality() is None:
        abort(404)
    flash(_("Please sign in to see this page."), "info")
    return redirect(url_for("tenant.auth.login", next=request.full_path.rstrip("?")))


def _login_limit_key() -> str:
    return f"{get_remote_address()}|{current_municipality().slug}"


# --- sign-in and sign-out --------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=_login_limit_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("tenant.municipalities.dashboard"))
    form = LoginForm()
    next_url = request.args.get("next")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("The e-mail address or password is not correct."), "error")
        else:
            # A fresh session on sign-in (no fixation); only the language choice carries over.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            session["sid"] = services.start_session(user)
            login_user(user)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(next_url if is_safe_next(next_url) else url_for("tenant.municipalities.dashboard"))
    return render_template("auth/login.html", form=form, next_url=next_url if is_safe_next(next_url) else None)


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_session(session.pop("sid", None))
    logout_user()
    db.session.commit()
    flash(_("You have signed out."), "success")
    return redirect(url_for("tenant.auth.login"))


# --- the user's own account ------------------------------------------------------------------

@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template("auth/account.html", password_form=ChangePasswordForm(),
                           preferences_form=PreferencesForm(preferred_locale=current_user.preferred_locale or ""))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data,
                                     keep_token=session.get("sid"))
        except AuthError as exc:
            form.current_password.errors = [error_message(exc.code)] if exc.code == "wrong_password" else []
            form.new_password.errors = [error_message(exc.code)] if exc.code != "wrong_password" else []
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other browsers have been signed out."), "success")
            return redirect(url_for(".account"))
    return render_template("auth/account.html", password_form=form,
                           preferences_form=PreferencesForm(preferred_locale=current_user.preferred_locale or "")), 422


@bp.route("/account/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        services.set_preferred_locale(current_user, form.preferred_locale.data or None)
        # The explicit choice in the session would hide the new preference; let it take over.
        session.pop("lang", None)
        db.session.commit()
        flash(_("Your preferences have been saved."), "success")
        return redirect(url_for(".account"))
    return render_template("auth/account.html", password_form=ChangePasswordForm(), preferences_form=form), 422


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = services.invitation_user(token)
    if user is None:
        return render_template("auth/invalid_link.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.accept_invitation(token, form.new_password.data)
        db.session.commit()
        flash(_("Your password has been set. You can sign in now."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/set_password.html", form=form, invited=user)


# --- administration of the municipality's accounts -------------------------------------------

def _scoped_user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/admin/users")
@login_required
def users():
    require(permissions.can_manage_users(current_user))
    page = db.paginate(queries.users_by_name(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    return render_template("auth/users.html", page=page)


def _send_invitation(user: User, token: str) -> None:
    link = url_for("tenant.auth.set_password", token=token, _external=True)
    municipality = current_municipality()
    with force_locale(user.preferred_locale or municipality.default_locale):
        subject = _("Your account on Twin-Town Exchange (%(municipality)s)", municipality=municipality.name)
        body = _("Hello %(name)s,\n\nan account has been created for you on Twin-Town Exchange for "
                 "%(municipality)s. Open this link to choose your password (it works once, for %(hours)d hours):"
                 "\n\n%(link)s\n", name=user.name, municipality=municipality.name,
                 hours=current_app.config["INVITE_HOURS"], link=link)
    mail.send(user.email, subject, body)


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@login_required
def invite_user():
    require(permissions.can_manage_users(current_user))
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.name.data, {Role(r) for r in form.roles.data},
                                        actor=current_user)
        except AuthError as exc:
            form.email.errors = [error_message(exc.code)]
        else:
            token = services.create_invitation(user, current_user)
            db.session.commit()
            _send_invitation(user, token)
            flash(_("%(name)s has been invited. The link has been sent to %(email)s.",
                    name=user.name, email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("auth/invite.html", form=form), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    user = _scoped_user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = RolesForm(data={"roles": [r.value for r in user.roles]} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_roles(user, {Role(r) for r in form.roles.data}, current_user)
        except AuthError as exc:
            form.roles.errors = [error_message(exc.code)]
        else:
            db.session.commit()
            flash(_("The roles of %(name)s have been saved.", name=user.name), "success")
            return redirect(url_for(".users"))
    return render_template("auth/edit_user.html", form=form, user=user,
                           confirm_form=ConfirmForm()), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate_user(user_id: int):
    user = _scoped_user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.set_active(user, False, current_user)
        except AuthError as exc:
            flash(error_message(exc.code), "error")
            return redirect(url_for(".edit_user", user_id=user.id))
        db.session.commit()
        flash(_("%(name)s has been deactivated and signed out.", name=user.name), "success")
        return redirect(url_for(".users"))
    return render_template("auth/confirm_deactivate.html", form=form, user=user)


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate_user(user_id: int):
    user = _scoped_user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_active(user, True, current_user)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/invite", methods=["POST"])
@login_required
def reinvite_user(user_id: int):
    user = _scoped_user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = services.create_invitation(user, current_user)
    db.session.commit()
    _send_invitation(user, token)
    flash(_("A new link has been sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.route("/admin/audit")
@login_required
def audit_log():
    require(permissions.can_view_audit_log(current_user))
    page = db.paginate(recent_entries(), per_page=50, error_out=False)
    return render_template("auth/audit.html", page=page)


# --- dashboard panels ------------------------------------------------------------------------


@dashboard_panel
def _account_panel(user):
    return "auth/panel_account.html", {}


@dashboard_panel
def _admin_panel(user):
    if not permissions.can_manage_users(user):
        return None
    return "auth/panel_admin.html", {"counts": queries.account_counts()}
