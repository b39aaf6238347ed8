"""The signed-in person's personal access tokens for the read API (on their account page): create one
(the secret is shown once), see them, revoke one."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange import templating
from exchange.api import permissions, services
from exchange.api.forms import TokenForm
from exchange.forms import ConfirmForm
from exchange.views import found_or_404, require, submit

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")
templating.expose_permissions("api", permissions)


def _render(form=None, secret: str | None = None):
    return render_template("api/tokens.html", form=form or TokenForm(formdata=None), secret=secret,
                           tokens=services.tokens_of(current_user))


@bp.route("/", methods=["GET"])
@login_required
def index():
    require(permissions.can_manage_tokens(current_user))
    return _render()


@bp.route("/", methods=["POST"])
@login_required
def create():
    require(permissions.can_manage_tokens(current_user))
    form = TokenForm()
    created = {}

    def save():
        token, secret = services.create_token(current_user, form.name.data, form.days_value)
        created["secret"] = secret
        return token

    response = submit(form, save, render=lambda: _render(form=form), done=url_for(".index"))
    if created and getattr(response, "status_code", None) == 302:
        # The secret is shown once, on this answer, and never stored: no redirect, no flash.
        return _render(secret=created["secret"]), 201
    return response


@bp.route("/<int(max=2147483647):token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = found_or_404(services.token_of(current_user, token_id))
    require(permissions.can_revoke_token(current_user, token))
    return submit(ConfirmForm(), lambda: services.revoke_token(token, current_user), render=_render,
                  done=url_for(".index"), message=_("The token has been revoked. It no longer works."))
