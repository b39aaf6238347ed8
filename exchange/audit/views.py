"""The municipality's audit log for its admins: sentences in the reader's language, filterable."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from exchange import templating
from exchange.audit import display, queries
from exchange.audit.forms import AuditFilterForm
from exchange.auth import permissions
from exchange.auth.queries import users_by_name
from exchange.dashboard import nav_item
from exchange.extensions import db
from exchange.views import require

bp = Blueprint("audit", __name__)

nav_item("tenant.audit.log", _l("Audit log"), permissions.can_view_audit_log)
templating.expose_helpers("audit", sentence=display.sentence)


@bp.route("/admin/audit")
@login_required
def log():
    require(permissions.can_view_audit_log(current_user))
    form = AuditFilterForm(request.args, db.session.scalars(users_by_name()).all())
    filters = form.filters()
    page = db.paginate(queries.entries(**filters), per_page=50, error_out=False)
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang") and v}
    return render_template("audit/log.html", page=page, form=form, args=args)
