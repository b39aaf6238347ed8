"""The cooperation domain's blueprints.

* ``public_bp`` (``citizen.*``): the public pages at ``/<municipality>/public/<lang>/…`` and the open data
  at ``/<municipality>/public/data/…``. No sign-in, and nothing that depends on a signed-in user: they live
  outside the tenant blueprint (whose hooks ask who is signed in), resolve the municipality themselves,
  and take the language from the address, so every language version has its own URL (``hreflang``).
* ``site_bp`` (``site.*``): ``/sitemap.xml`` and ``/robots.txt``.
* ``bp`` (``tenant.cooperation.*``): editing the policy text and choosing the open-data licence.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request
from flask_babel import lazy_gettext as _l

from exchange import templating
from exchange.cooperation import display, permissions
from exchange.dashboard import nav_item
from exchange.municipalities.queries import by_slug
from exchange.tenancy import current_municipality, set_municipality

public_bp = Blueprint("citizen", __name__, url_prefix="/<municipality>/public")
site_bp = Blueprint("site", __name__)
bp = Blueprint("cooperation", __name__, url_prefix="/cooperation")

templating.expose_permissions("cooperation", permissions)
display.expose()
nav_item("tenant.cooperation.manage", _l("Public page"), permissions.can_edit_policy)

# Public pages may be cached by browsers and proxies for a while: they hold nothing personal.
PUBLIC_CACHE = "public, max-age=300"


@public_bp.url_value_preprocessor
def _enter(endpoint: str | None, values: dict | None) -> None:
    values = values if values is not None else {}
    municipality = by_slug(values.pop("municipality", "") or "")
    if municipality is None:
        abort(404)
    set_municipality(municipality)
    languages = current_app.config["LANGUAGES"]
    if "lang" in values:
        lang = values.pop("lang")
        if lang not in languages:
            abort(404)
        g.fixed_locale = lang
    else:
        # The language-neutral addresses (the data files, the choice of language) answer in the reader's.
        g.fixed_locale = request.accept_languages.best_match(languages) or municipality.default_locale


@public_bp.url_defaults
def _keep_language(endpoint: str, values: dict) -> None:
    if "lang" not in values and g.get("fixed_locale") and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.fixed_locale


@public_bp.after_request
def _cacheable(response):
    if response.status_code == 200:
        response.headers.setdefault("Cache-Control", PUBLIC_CACHE)
    response.vary.add("Accept-Language")
    return response


def municipality():
    """The municipality the public page is about (resolved from the address)."""
    return current_municipality()


from exchange.cooperation.views import data, manage, pages, site  # noqa: E402,F401  (the routes)
