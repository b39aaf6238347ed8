"""Twin-Town Exchange: the application factory."""
from __future__ import annotations

import sqlite3

from flask import Flask

from sqlalchemy import event
from sqlalchemy.engine import Engine

from exchange.config import engine_options, load_config
from exchange.extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, the tenant URL tree, CLI, error pages, template helpers.

    Migrations are never run from here: `flask db upgrade` does that (make run, deployment).
    """
    # Static files are served by exchange.assets under fingerprinted names.
    app = Flask(__name__, instance_relative_config=False, static_folder=None)
    app.config.from_mapping(load_config())
    if config:
        app.config.update(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"],
                                                                      app.config.get("STATEMENT_TIMEOUT_MS")))
    if app.config.get("PROXY_HOPS"):
        # Behind N trusted proxies: the client address and scheme they forwarded (never the Host).
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)

    from exchange import assets, errorpages, i18n, observability, security, sessions, templating, tenancy

    db.init_app(app)
    sessions.init_app(app)  # a request that wrote nothing commits: PostgreSQL keeps its prepared plans
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    limiter.init_app(app)
    i18n.init_app(app)  # Flask-Babel with the live catalogs, the ?lang= switch, the formatting helpers
    assets.init_app(app)
    observability.init_app(app)
    security.init_app(app)
    tenancy.init_app(app)
    from exchange import mail  # noqa: F401  (registers the mail delivery handler)
    from exchange.jobs import queue, schedule  # noqa: F401  (schedule registers the recurring jobs)
    from exchange.notifications import schedule as notification_jobs  # noqa: F401  (its handler and jobs)
    queue.init_app(app)

    _register_blueprints(app)
    errorpages.init_app(app)
    _expose_core_names()
    templating.init_app(app)  # after the blueprints: each domain exposes its helpers when imported

    from exchange.cli import register_cli
    register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    # Import every model module so the mapper registry (and the tenancy classification) is complete.
    from exchange import models  # noqa: F401
    from exchange.api import init_app as init_api
    from exchange.api.views import bp as tokens_bp
    from exchange.auth.views import bp as auth_bp
    from exchange.calls.views import bp as calls_bp
    from exchange.cooperation.views import bp as cooperation_bp
    from exchange.cooperation.views import public_bp as citizen_bp
    from exchange.cooperation.views import site_bp
    from exchange.municipalities import queries as municipality_queries
    from exchange.municipalities.views import bp as municipalities_bp
    from exchange.municipalities.views import public_bp
    from exchange.partners.views import bp as partners_bp
    from exchange.privacy.views import bp as privacy_bp
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
    tenant.register_blueprint(calls_bp)
    tenant.register_blueprint(workbench_bp)
    tenant.register_blueprint(cooperation_bp)
    tenant.register_blueprint(tokens_bp)
    from exchange.health import bp as health_bp
    from exchange.audit.views import bp as audit_bp
    from exchange.jobs.views import bp as jobs_bp
    tenant.register_blueprint(audit_bp)
    from exchange.jobs.views import dev_bp
    from exchange.notifications.views import bp as notifications_bp
    tenant.register_blueprint(jobs_bp)
    tenant.register_blueprint(notifications_bp)
    tenant.register_blueprint(privacy_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(dev_bp)
    app.register_blueprint(public_bp)
    # The public pages of each municipality: outside the tenant blueprint, whose hooks ask who is signed in.
    app.register_blueprint(citizen_bp)
    app.register_blueprint(site_bp)
    app.register_blueprint(tenant)
    init_api(app)  # the read API under /api/v1/ and its OpenAPI document


def _expose_core_names() -> None:
    from flask import request as _request
    from flask_login import current_user

    from exchange import templating
    from exchange.dashboard import nav_items_for
    from exchange.i18n.locale import current_locale, language_choices
    from exchange.paging import count_cap
    from exchange.tenancy import current_municipality

    templating.expose_core(nav_items=lambda: nav_items_for(current_user, _request.endpoint),
                           current_municipality=current_municipality, language_choices=language_choices,
                           current_locale=current_locale, count_cap=count_cap)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: WAL for concurrent readers, a busy timeout instead of 'database is locked', and FKs on."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
