"""Personal access tokens: created and revoked by their owners on their account page, used by the read
API. Only the SHA-256 hash of the secret is stored; the secret itself is returned once.

The secret names the municipality (``tte_<slug>_<random>``), so the API can look the token up in the
right municipality's scope (tokens are tenant-owned) and answer a token used for another municipality
with 403 rather than pretending it does not exist.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.api.models import ApiToken
from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.rules import clean_text
from exchange.security import token_hash

PREFIX = "tte"
LIFETIMES = (30, 90, 180, 365)  # days a token may live; the form offers these
_TOKEN_RE = re.compile(rf"^{PREFIX}_([a-z0-9](?:[a-z0-9-]{{0,38}}[a-z0-9])?)_([A-Za-z0-9_-]{{20,100}})$")
LAST_USED_PRECISION = dt.timedelta(minutes=5)  # "last used" is written at most this often

register_messages({
    "invalid_lifetime": _l("Choose one of the offered periods."),
    "already_revoked": _l("This token has already been revoked."),
})


def create_token(user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new read-only token of ``user`` valid for ``days``; returns (token, the secret to show once)."""
    name = clean_text(name, Len.NAME, "name", required=True)
    if days not in LIFETIMES:
        raise Refusal("invalid_lifetime", "days")
    secret = f"{PREFIX}_{user.municipality.slug}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret), hint=secret[-4:],
                     expires_at=utcnow() + dt.timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(user, "api_token.create", token, name=name, days=days)
    return token, secret


def revoke_token(token: ApiToken, user) -> None:
    if token.revoked_at is not None:
        raise Refusal("already_revoked")
    token.revoked_at = utcnow()
    db.session.flush()
    record(user, "api_token.revoke", token, name=token.name)


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, so they can tell what happened)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_of(user, token_id: int) -> ApiToken | None:
    return db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))


def slug_of(secret: str) -> str | None:
    """The municipality a presented secret claims to belong to, or None when it is no token of ours."""
    match = _TOKEN_RE.match(secret or "")
    return match.group(1) if match else None


def authenticate(secret: str) -> tuple[ApiToken | None, bool]:
    """The active token with this secret in the current municipality's scope, or None (unknown, revoked,
    expired, or its owner deactivated); and whether "last used" was noted (at most every few minutes,
    so reading costs no write most of the time: the caller commits only then)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None or not token.is_active(now):
        return None, False
    last = token.last_used_at
    if last is not None and (last.replace(tzinfo=dt.timezone.utc) if last.tzinfo is None else last) \
            >= now - LAST_USED_PRECISION:
        return token, False
    token.last_used_at = now
    db.session.flush()
    return token, True
