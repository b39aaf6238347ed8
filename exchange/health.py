"""GET /healthz for load balancers and operators: the database, Redis (when the configuration uses it),
the schema against the migrations, and whether the live catalogs have taken in the deployed strings.

503 when something required is down or the schema is behind the code; the body says which part.
"""
from __future__ import annotations

import functools

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from exchange.config import ROOT
from exchange.extensions import db

bp = Blueprint("health", __name__)


@functools.lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code (read once per process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _database() -> tuple[str, str]:
    try:
        # Constant queries that touch no tenant table.
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "unreachable" to a load balancer
        db.session.rollback()
        return "unavailable", "unknown"
    try:
        with db.session.begin_nested():
            current = {row[0] for row in db.session.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception:  # noqa: BLE001 - no alembic_version table: a schema not made by migrations
        return "ok", "unknown"
    return "ok", "current" if current == set(migration_heads()) else "behind"


def _redis() -> str:
    urls = {current_app.config.get("REDIS_URL")}
    storage = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith("redis"):
        urls.add(storage)
    urls.discard(None)
    if not urls:
        return "not configured"
    from redis import Redis
    try:
        for url in urls:
            Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return "unavailable"
    return "ok"


@functools.lru_cache(maxsize=8)
def _shipped_ids(path: str, mtime: float) -> frozenset[tuple[str, str]]:
    from babel.messages.pofile import read_po
    with open(path, "rb") as f:
        return frozenset((m.id if isinstance(m.id, str) else m.id[0], m.context or "") for m in read_po(f) if m.id)


def _catalogs() -> dict[str, str]:
    """Per language: "files" (no live catalog yet: the compiled files are served), "synced" (the live
    catalog has every deployed string), or "sync needed" (run `flask translations sync`)."""
    from sqlalchemy import select

    from exchange.models import CatalogMessage
    directory = ROOT / "translations"
    state = {}
    for locale in current_app.config["LANGUAGES"]:
        live = set(db.session.execute(select(CatalogMessage.msgid, CatalogMessage.context).where(
            CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False))).tuples())
        po = directory / locale / "LC_MESSAGES" / "messages.po"
        if not live:
            state[locale] = "files"
        elif po.exists() and not _shipped_ids(str(po), po.stat().st_mtime) <= {(i, c or "") for i, c in live}:
            state[locale] = "sync needed"
        else:
            state[locale] = "synced"
    return state


@bp.route("/healthz")
def healthz():
    database, migrations = _database()
    report = {"database": database, "migrations": migrations, "redis": _redis(),
              "catalogs": _catalogs() if database == "ok" else "unknown"}
    healthy = database == "ok" and migrations != "behind" and report["redis"] != "unavailable"
    report["status"] = "ok" if healthy else "error"
    return jsonify(report), 200 if healthy else 503
