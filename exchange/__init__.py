"""Twin-Town Exchange: the application factory."""
from __future__ import annotations

import sqlite3

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException

from exchange.config import load_config
from exchange.extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, the tenant URL tree, CLI, error pages, template helpers.

    Migrations are never run from here: `flask db upgrade` does that (make run, deployment).
    """
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(load_config())
    if config:
        app.config.update(config)

    from exchange import i18n, security, templating, tenancy

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    limiter.init_app(app)
    security.init_app(app)
    tenancy.init_app(app)
    i18n.init_app(app)  # Flask-Babel with the live catalogs, the ?lang= switch, the formatting helpers

    _register_blueprints(app)
    _register_errors(app)
    _expose_core_names()
    templating.init_app(app)  # after the blueprints: each domain exposes its helpers when imported

    from exchange.cli import register_cli
    register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    # Import every model module so the mapper registry (and the tenancy classification) is complete.
    from exchange import models  # noqa: F401
    from exchange.auth.views import bp as auth_bp
    from exchange.municipalities import queries as municipality_queries
    from exchange.municipalities.views import bp as municipalities_bp
    from exchange.municipalities.views import public_bp
    from exchange.partners.views import bp as partners_bp
    from exchange.projects.views import bp as projects_bp
    from exchange.tenancy import make_tenant_blueprint
    from exchange.visits.views import bp as visits_bp
    from exchange.workbench.views import bp as workbench_bp

    tenant = make_tenant_blueprint(municipality_queries.by_slug)
    tenant.register_blueprint(municipalities_bp)
    tenant.register_blueprint(auth_bp)
    tenant.register_blueprint(partners_bp)
    tenant.register_blueprint(visits_bp)
    tenant.register_blueprint(projects_bp)
    tenant.register_blueprint(workbench_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(tenant)


def _register_errors(app: Flask) -> None:
    def titles() -> dict[int, tuple[str, str]]:
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

    def render_error(code: int):
        title, message = titles().get(code, titles()[500])
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if isinstance(exc, CSRFError):
            return render_template("errors/error.html", code=400, title=_("The form has expired"),
                                   message=_("For your security the form has expired. Go back, reload the page "
                                             "and send it again.")), 400
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def _server_error(exc: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def _expose_core_names() -> None:
    from flask import request as _request
    from flask_login import current_user

    from exchange import templating
    from exchange.dashboard import nav_items_for
    from exchange.i18n.locale import current_locale, language_choices
    from exchange.tenancy import current_municipality

    templating.expose_core(nav_items=lambda: nav_items_for(current_user, _request.endpoint),
                           current_municipality=current_municipality, language_choices=language_choices,
                           current_locale=current_locale)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: WAL for concurrent readers, a busy timeout instead of 'database is locked', and FKs on."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
