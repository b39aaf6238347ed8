"""The translators' workbench: the live interface catalogs (overview, string list, editor, approval,
publication, .po import and export), the content queue, and the admin's language limits.

A UI on top of the catalog runtime (exchange.i18n.catalog) and the content mechanism (exchange.i18n).
Every page needs a signed-in translator or admin (checked once, below); each view then reads the same way:
load (scoped, 404) → permission (403) → ``exchange.views.submit`` (validate → one service call → commit →
flash → redirect; 422 refused, 409 conflict).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from exchange import templating
from exchange.dashboard import nav_item
from exchange.extensions import login_manager
from exchange.rules import parse_id
from exchange.views import require
from exchange.workbench import display, permissions

bp = Blueprint("workbench", __name__, url_prefix="/workbench")

nav_item("tenant.workbench.overview", _l("Translations"), permissions.can_use_workbench)
templating.expose_permissions("workbench", permissions)
templating.expose_helpers("workbench", **display.HELPERS)

_MAX_PAGE = 100_000


@bp.before_request
def _translators_only():
    """Anonymous users are sent to sign in; staff and coordinators get 403 on every workbench page."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(permissions.can_use_workbench(current_user))
    return None


def locale_or_404(locale: str) -> str:
    """A configured locale (else 404) that the user may translate into (else 403)."""
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    require(permissions.can_translate(current_user, locale))
    return locale


def page_number() -> int:
    page = parse_id(request.args.get("page"))
    return page if page is not None and page < _MAX_PAGE else 1


def filled(form_class, data: dict, **kwargs):
    """A form showing ``data`` (the object's saved values) on GET, and what was submitted on POST."""
    return form_class(data=data, **kwargs) if request.method == "GET" else form_class(**kwargs)


from exchange.workbench.views import catalog, files, queue, translators  # noqa: E402,F401  (routes)
