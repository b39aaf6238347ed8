"""An admin manages the accounts of their own municipality, and reads its audit log."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.auth import permissions, queries, services
from exchange.auth.forms import ConfirmForm, InviteUserForm, RolesForm
from exchange.auth.models import User
from exchange.auth.views import bp
from exchange.extensions import db
from exchange.views import found_or_404, require, submit


def _user_or_404(user_id: int) -> User:
    # The scoped query finds only this municipality's accounts: another one's id is a 404.
    return found_or_404(db.session.get(User, user_id))


@bp.route("/admin/users")
@login_required
def users():
    require(permissions.can_manage_users(current_user))
    page = db.paginate(queries.users_by_name(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("auth/users.html", page=page)


def _invite(user: User) -> User:
    services.invite(user, current_user)
    return user


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@login_required
def invite_user():
    require(permissions.can_manage_users(current_user))
    form = InviteUserForm()
    return submit(form, lambda: _invite(services.create_user(**form.to_input(), actor=current_user)),
                  render=lambda: render_template("auth/invite.html", form=form), done=url_for(".users"),
                  message=lambda user: _("%(name)s has been invited. The mail with the link to %(email)s is queued; "
                                         "its delivery is shown in the list.", name=user.name, email=user.email))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = RolesForm(data=RolesForm.data_of(user) if request.method == "GET" else None)

    def render():
        if getattr(form, "conflict", False):  # saving again knowingly replaces the roles saved now
            form.opened_roles.data = RolesForm.data_of(user)["opened_roles"]
            form.opened_roles.raw_data = [form.opened_roles.data]
        return render_template("auth/edit_user.html", form=form, user=user, confirm_form=ConfirmForm(formdata=None))

    return submit(form, lambda: services.set_roles(user, form.role_set(), current_user, form.seen_roles()),
                  render=render, done=url_for(".users"),
                  message=_("The roles of %(name)s have been saved.", name=user.name),
                  saved=lambda: {"roles": RolesForm.data_of(user)["roles"]})


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate_user(user_id: int):
    user = _user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = ConfirmForm()
    return submit(form, lambda: services.set_active(user, False, current_user),
                  render=lambda: render_template("auth/confirm_deactivate.html", form=form, user=user),
                  done=url_for(".users"), message=_("%(name)s has been deactivated and signed out.", name=user.name))


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate_user(user_id: int):
    user = _user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = ConfirmForm()
    return submit(form, lambda: services.set_active(user, True, current_user),
                  render=lambda: render_template("auth/edit_user.html", form=RolesForm(formdata=None, data={
                      "roles": [r.value for r in user.roles]}), user=user, confirm_form=form),
                  done=url_for(".edit_user", user_id=user.id),
                  message=_("%(name)s can sign in again.", name=user.name))


@bp.route("/admin/users/<int:user_id>/invite", methods=["POST"])
@login_required
def reinvite_user(user_id: int):
    user = _user_or_404(user_id)
    require(permissions.can_edit_user(current_user, user))
    form = ConfirmForm()
    return submit(form, lambda: _invite(user),
                  render=lambda: render_template("auth/edit_user.html", form=RolesForm(formdata=None, data={
                      "roles": [r.value for r in user.roles]}), user=user, confirm_form=form),
                  done=url_for(".edit_user", user_id=user.id),
                  message=_("A new link to %(email)s is queued for delivery.", email=user.email))
