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

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
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
                     timezone: str, contact_email: str | None = None) -> tuple[Municipality, bool]:
    """Create the municipality, or update the one with this slug (``contact_email`` None: keep it).
    Returns (municipality, created)."""
    validate(slug, name, country, default_locale, currency, timezone)
    if contact_email:
        contact_email = clean_text(contact_email, Len.EMAIL, "contact_email").lower()
        if not EMAIL_RE.fullmatch(contact_email):
            raise Refusal("invalid_email", "contact_email")
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
    if contact_email is not None:
        municipality.contact_email = contact_email
    db.session.flush()
    return municipality, created


def send_accessibility_feedback(municipality: Municipality, message: str, page: str = "", name: str = "",
                                email: str = ""):
    """Queue a person's accessibility feedback to the municipality's contact address (or, without one, to
    its administrators), in the municipality's language. Nothing of it is stored beyond the mail."""
    from flask_babel import force_locale, gettext
    from sqlalchemy import select

    from exchange.auth.models import Role, User, UserRole
    from exchange.mail import queue_mail
    message = clean_text(message, Len.MESSAGE, "message", required=True)
    page, name = clean_text(page, Len.URL, "page"), clean_text(name, Len.NAME, "name")
    email = clean_text(email, Len.EMAIL, "email")
    recipients = [municipality.contact_email] if municipality.contact_email else list(db.session.scalars(
        select(User.email).join(UserRole).where(UserRole.role == Role.ADMIN.value, User.active.is_(True))))
    with force_locale(municipality.default_locale):
        subject = gettext("Accessibility feedback on Twin-Town Exchange (%(municipality)s)",
                          municipality=municipality.name)
        body = gettext("Someone sent feedback about the accessibility of Twin-Town Exchange:\n\n%(message)s\n\n"
                       "Page: %(page)s\nName: %(name)s\nE-mail address for an answer: %(email)s\n\nThe "
                       "accessibility statement promises an answer within 14 days.\n", message=message,
                       page=page or "–", name=name or "–", email=email or "–")
    for recipient in recipients:
        queue_mail(recipient, subject, body, sender_name=municipality.name,
                   headers={"Reply-To": email} if email else None)
