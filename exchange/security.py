"""Security baseline (DESIGN.md §6): password hashing, response headers, safe redirects, tokens."""
from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, current_app, has_app_context, render_template, request
from flask_babel import gettext, ngettext

# argon2id with the library's RFC 9106 "low memory" profile; parameters are stored in each hash, so
# raising them later only needs needs_rehash() on the next sign-in. The test suite sets
# ARGON2_PROFILE=CHEAPEST (still argon2id) so that hundreds of test accounts do not take minutes.
_hashers: dict[str, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    name = current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY") if has_app_context() \
        else "RFC_9106_LOW_MEMORY"
    if name not in _hashers:
        _hashers[name] = PasswordHasher.from_parameters(getattr(profiles, name))
    return _hashers[name]


# Verified when the e-mail is unknown, so an unknown account takes as long as a wrong password.
_dummy_hashes: dict[int, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    return _dummy_hashes.setdefault(id(hasher), hasher.hash(secrets.token_hex(16)))


CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; never raises for a malformed or missing hash."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the SHA-256 hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_safe_next(target: str | None) -> bool:
    """Only local absolute paths: no scheme, no host, no protocol-relative '//' or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)


def check_worker_setup(workers: int, ratelimit_storage: str, env: str) -> None:
    """Several worker processes each counting sign-in attempts in their own memory let through several
    times the limit: in production that configuration refuses to start, saying what to set."""
    if env == "production" and workers > 1 and ratelimit_storage.startswith("memory"):
        raise SystemExit(f"Refusing to start {workers} workers with in-memory rate limits: every worker would "
                         "count sign-in attempts on its own. Set EXCHANGE_REDIS_URL (or "
                         "EXCHANGE_RATELIMIT_STORAGE_URI) to a Redis server shared by all workers.")


def client_address() -> str:
    """The client's address: the one the trusted proxies forwarded (PROXY_HOPS), else the peer's."""
    return (request.remote_addr or "unknown")[:64]


def too_many_attempts(retry_after: int):
    """The translated 429 page, saying how long to wait, with ``Retry-After``."""
    retry_after = max(1, int(retry_after))
    message = ngettext("Too many attempts in a short time. Wait %(num)d second and try again.",
                       "Too many attempts in a short time. Wait %(num)d seconds and try again.", retry_after) \
        if retry_after < 120 else gettext("Too many attempts in a short time. Wait %(minutes)d minutes and try again.",
                                          minutes=(retry_after + 59) // 60)
    body = render_template("errors/error.html", code=429, title=gettext("Too many attempts"), message=message)
    return body, 429, {"Retry-After": str(retry_after)}


def init_app(app: Flask) -> None:
    """Headers on every response, error pages included (after_request runs for them too)."""

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages can hold personal data: do not keep them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
