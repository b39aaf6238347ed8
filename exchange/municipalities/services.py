"""Writes of municipality records (platform operators, from the CLI and the demo loader)."""
from __future__ import annotations

import re
import zoneinfo

from flask_babel import lazy_gettext as _l

from exchange.db import Len
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.municipalities.queries import by_slug
from exchange.rules import check_currency, check_locale, clean_text

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Paths at the top level that a municipality slug must not shadow.
RESERVED_SLUGS = {"static", "healthz", "login", "logout", "admin", "api"}


register_messages({
    "invalid_slug": _l("Use lower-case letters, digits and hyphens, not a reserved word."),
    "invalid_country_code": _l("Enter a two-letter country code such as SE."),
    "invalid_timezone": _l("Enter a time zone name such as Europe/Rome."),
})


def validate(slug: str, name: str, country: str, default_locale: str, currency: str, timezone: str) -> None:
    """Refuse values that would break URLs, locales, money formatting or time zones."""
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise Refusal("invalid_slug", "slug")
    clean_text(name, Len.NAME, "name", required=True)
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise Refusal("invalid_country_code", "country")
    check_locale(default_locale, "locale")
    if check_currency(currency) != currency:
        raise Refusal("unknown_currency", "currency")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Refusal("invalid_timezone", "timezone") from None


def create_or_update(slug: str, name: str, country: str, default_locale: str, currency: str,
                     timezone: str) -> tuple[Municipality, bool]:
    """Create the municipality, or update the one with this slug. Returns (municipality, created)."""
    validate(slug, name, country, default_locale, currency, timezone)
    municipality = by_slug(slug)
    created = municipality is None
    if created:
        municipality = Municipality(slug=slug)
        db.session.add(municipality)
    municipality.name = name.strip()
    municipality.country = country
    municipality.default_locale = default_locale
    municipality.currency = currency
    municipality.timezone = timezone
    db.session.flush()
    return municipality, created
