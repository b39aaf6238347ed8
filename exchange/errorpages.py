"""Error pages: translated, with the security headers, the request id, and the municipality's language
even when the URL matched no page of it (``/hiddenhausen/nonexistent`` is German) or named no
municipality at all (``/atlantis/login?lang=de`` honours the switch).

When the database is down nothing that needs it may run while answering: the page is a static template
translated straight from the compiled catalogs (no live catalog, no signed-in user, no municipality),
answered with 503 so a load balancer and the person both know to retry.
"""
from __future__ import annotations

import functools
import logging

from babel.support import Translations
from flask import Flask, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, SecurityError

from exchange.extensions import db, limiter
from exchange.observability import count_error, request_id

log = logging.getLogger("exchange.errors")


# Parts of the site that answer errors in their own format (the read API: problem+json), by path prefix.
_prefix_handlers: dict[str, object] = {}


def register_prefix(prefix: str, handler) -> None:
    """Errors of requests under ``prefix`` are answered by ``handler(HTTPException)`` instead of a page."""
    _prefix_handlers[prefix] = handler


def _prefix_handler():
    return next((h for prefix, h in _prefix_handlers.items() if request.path.startswith(prefix)), None)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. If you sent a form, reload the page "
                                 "and try again.")),
        403: (_("Access denied"), _("You do not have permission to do this.")),
        404: (_("Page not found"), _("The page does not exist, or you cannot see it.")),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too much data"), _("What you sent is too large.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again.")),
        500: (_("Something went wrong"), _("An error occurred on our side. Nothing you did caused it; "
                                          "please try again later.")),
    }


def render_error(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message, request_id=request_id()), code


def _municipality_from_path() -> None:
    """A 404 matched no tenant page, so the URL processor never ran: find the municipality the path names
    (a global record), so the page is in its language and shows where you are."""
    from exchange.municipalities.queries import by_slug
    from exchange.tenancy import current_municipality, set_municipality
    if current_municipality() is not None:
        return
    slug = request.path.strip("/").split("/", 1)[0]
    if slug:
        municipality = by_slug(slug)
        if municipality is not None:
            set_municipality(municipality)


# --- the database is down ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=16)
def _compiled(directory: str, locale: str) -> Translations:
    return Translations.load(directory, [locale])


def _unavailable():
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    try:
        remembered = session.get("lang")  # the signed cookie; no database
    except Exception:  # noqa: BLE001
        remembered = None
    lang = next((code for code in (wanted, remembered) if code in languages), None) \
        or request.accept_languages.best_match(languages) or languages[0]
    translations = _compiled(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0], lang)
    gettext = translations.gettext
    body = render_template(
        "errors/unavailable.html", lang=lang, request_id=request_id(),
        title=gettext("The service is temporarily unavailable"),
        message=gettext("We cannot reach our database at the moment. Nothing you did caused it: please try "
                        "again in a few minutes."),
        reference=gettext("Reference for support: %(id)s") % {"id": request_id() or "-"})
    return body, 503, {"Retry-After": "60"}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        handler = _prefix_handler()
        if handler is not None and not isinstance(exc, SecurityError):
            return handler(exc)
        if isinstance(exc, SecurityError):
            # An untrusted Host header: no URL can be built for it, so no page either.
            return _("Bad request"), 400, {"Content-Type": "text/plain; charset=utf-8"}
        if isinstance(exc, CSRFError):
            return render_error(400, _("The form has expired"),
                                _("For your security the form has expired. Go back, reload the page and send it "
                                  "again."))
        if exc.code == 429:
            # A limit of the address limiter (Flask-Limiter): say when its window frees up.
            import time

            from exchange.security import too_many_attempts
            current = limiter.current_limit
            return too_many_attempts(int(current.reset_at - time.time()) if current is not None else 60)
        if exc.code == 403 and getattr(exc, "reason", None):
            # Why not, and who can (exchange.views.require with a reason): never a bare "access denied".
            return render_error(403, _("This is not possible for you here"), exc.reason)
        if exc.code == 404:
            try:
                _municipality_from_path()
            except (OperationalError, InterfaceError):
                db.session.rollback()
                return _unavailable()
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def _server_error(exc: Exception):
        count_error(request.endpoint)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection itself may be gone
            pass
        if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
            log.error("database unavailable on %s", request.endpoint, exc_info=exc)
            return _unavailable()
        log.error("unhandled error on %s %s", request.method, request.endpoint, exc_info=exc)
        handler = _prefix_handler()
        if handler is not None:
            from werkzeug.exceptions import InternalServerError
            return handler(InternalServerError())
        try:
            return render_error(500)
        except Exception:  # noqa: BLE001 - rendering needed something that is broken too
            return _unavailable()
