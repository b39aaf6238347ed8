"""The deliveries page (admins: what was sent, what is queued, what failed and why; retry a failure) and,
in development only, a mailbox showing the mails printed to the console."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from exchange import templating
from exchange.dashboard import nav_item
from exchange.extensions import db
from exchange.forms import ConfirmForm
from exchange.jobs import permissions, queries, services
from exchange.jobs.models import OutboxMessage
from exchange.views import found_or_404, require, submit

bp = Blueprint("jobs", __name__)
dev_bp = Blueprint("dev", __name__, url_prefix="/_dev")

nav_item("tenant.jobs.deliveries", _l("Deliveries"), permissions.can_view_deliveries)
templating.expose_permissions("jobs", permissions)
templating.expose_helpers("jobs", latest_states=queries.latest_states)


def _render():
    page = db.paginate(queries.deliveries(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("jobs/deliveries.html", page=page, confirm_form=ConfirmForm(formdata=None))


@bp.route("/admin/deliveries")
@login_required
def deliveries():
    require(permissions.can_view_deliveries(current_user))
    return _render()


@bp.route("/admin/deliveries/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id: int):
    message = found_or_404(db.session.get(OutboxMessage, message_id))  # another municipality's: 404
    require(permissions.can_retry_delivery(current_user, message))
    return submit(ConfirmForm(), lambda: services.retry(message), render=_render,
                  done=url_for(".deliveries"), message=_("The message is queued again."))


@dev_bp.route("/mailbox")
def mailbox():
    # Development only: the mails this process printed instead of sending (no mail server configured).
    if current_app.config["ENV_NAME"] != "development" or current_app.config.get("MAIL_SERVER"):
        abort(404)
    messages = list(reversed(current_app.extensions.get("exchange_outbox", [])))
    return render_template("jobs/mailbox.html", messages=messages)
