"""Writes of municipality records (platform operators, from the CLI and the demo loader)."""
from __future__ import annotations

import re
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from flask import current_app

from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.municipalities.queries import by_slug

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Paths at the top level that a municipality slug must not shadow.
RESERVED_SLUGS = {"static", "healthz", "login", "logout", "admin", "api"}


class MunicipalityError(ValueError):
    """Invalid municipality data; the message says which value and why."""


def validate(slug: str, name: str, country: str, default_locale: str, currency: str, timezone: str) -> None:
    """Refuse values that would break URLs, locales, money formatting or time zones."""
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise MunicipalityError(f"invalid slug {slug!r}: lower-case letters, digits and hyphens")
    if not name.strip() or len(name) > 120:
        raise MunicipalityError("the name must be 1 to 120 characters")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise MunicipalityError(f"invalid country {country!r}: an ISO 3166 code such as SE")
    if default_locale not in current_app.config["LANGUAGES"]:
        raise MunicipalityError(f"unsupported locale {default_locale!r}; configured: {current_app.config['LANGUAGES']}")
    try:
        Locale.parse(default_locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise MunicipalityError(f"unknown locale {default_locale!r}") from exc
    if not re.fullmatch(r"[A-Z]{3}", currency) or get_currency_name(currency, locale="en") == currency:
        raise MunicipalityError(f"unknown currency {currency!r}: an ISO 4217 code such as EUR")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise MunicipalityError(f"unknown time zone {timezone!r}: an IANA name such as Europe/Rome") from exc


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
