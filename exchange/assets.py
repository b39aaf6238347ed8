"""Static files under fingerprinted names, so browsers and proxies may keep them for a year.

``url_for("static", filename="app.css")`` gives ``/static/app.3f2a1b9c.css``: the name carries a hash of
the content, so a changed file gets a new name and nobody is served a stale one. The app serves these
names itself (``make run``); in production nginx serves them straight from the checkout (deploy/nginx).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, abort, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
_FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<suffix>\.[A-Za-z0-9]+)$")
YEAR = 365 * 24 * 3600
_cache: dict[str, tuple[float, str]] = {}


def fingerprint(filename: str) -> str:
    """``app.css`` → ``app.<first 8 hex digits of its SHA-256>.css`` (cached per file and mtime)."""
    path = STATIC / filename
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return filename
    cached = _cache.get(filename)
    if cached is None or cached[0] != mtime:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        cached = _cache[filename] = (mtime, digest)
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{cached[1]}.{suffix}" if dot else filename


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprint(values["filename"])

    def serve(filename: str):
        match = _FINGERPRINTED.match(filename)
        if match:
            original = f"{match['stem']}{match['suffix']}"
            if fingerprint(original) != filename:
                abort(404)  # an old fingerprint: the file has changed since
            response = send_from_directory(STATIC, original, max_age=YEAR)
            response.cache_control.immutable = True
            response.cache_control.public = True
            return response
        return send_from_directory(STATIC, filename, max_age=3600)

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve)
