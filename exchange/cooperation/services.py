"""Writes of the cooperation domain: twinnings (platform operators: CLI and demo loader), the policy text
and the open-data licence of a municipality (its admins and coordinators, in the browser).

Services flush and write the audit log; the caller checks permissions and commits.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Conflict, Refusal, register_messages
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.cooperation.models import CooperationProfile, Licence, Twinning
from exchange.rules import check_locale, check_version, clean_text

register_messages({
    "twin_itself": _l("A municipality cannot be its own twin town."),
    "twinning_date": _l("Enter the date of the twinning agreement, not in the future."),
    "unknown_licence": _l("Choose one of the offered licences."),
})

FIRST_TWINNING_YEAR = 1900


def set_twinning(first, second, since: dt.date) -> tuple[Twinning, bool]:
    """Record that two municipalities are twin towns since ``since`` (or correct the date).
    Returns (twinning, created). Platform code: the CLI and the demo loader call it."""
    if first.id == second.id:
        raise Refusal("twin_itself", "municipality")
    if not isinstance(since, dt.date) or not (dt.date(FIRST_TWINNING_YEAR, 1, 1) <= since <= dt.date.today()):
        raise Refusal("twinning_date", "since")
    low, high = sorted((first.id, second.id))
    twinning = db.session.scalar(select(Twinning).where(Twinning.first_municipality_id == low,
                                                        Twinning.second_municipality_id == high))
    created = twinning is None
    if created:
        twinning = Twinning(first_municipality_id=low, second_municipality_id=high, since=since)
        db.session.add(twinning)
    twinning.since = since
    db.session.flush()
    return twinning, created


def profile_of(municipality_id: int, create: bool = False) -> CooperationProfile | None:
    """The municipality's cooperation profile (created empty when ``create``)."""
    profile = db.session.scalar(select(CooperationProfile).where(CooperationProfile.municipality_id == municipality_id))
    if profile is None and create:
        profile = CooperationProfile(municipality_id=municipality_id)
        db.session.add(profile)
        db.session.flush()
    return profile


def save_policy(municipality_id: int, user, text: str, locale: str, expected_version: int | None) -> bool:
    """Write the policy priorities in ``locale`` (the original); its translations become outdated and
    wait for the translators, who approve them before the public sees them. Returns True when it changed."""
    text = clean_text(text, Len.DOCUMENT, "policy", required=True)
    check_locale(locale, "locale")
    profile = profile_of(municipality_id, create=True)
    check_version(profile, expected_version)
    try:
        changed = content.set_source(profile, "policy", text, locale, user)
        if changed:
            profile.updated_at = utcnow()  # the row changes, so the version column moves on
            db.session.flush()
    except StaleDataError:
        raise Conflict() from None
    if changed:
        record(user, "cooperation.policy", profile, locale=locale)
    return changed


def choose_licence(municipality_id: int, user, licence: str, expected_version: int | None) -> None:
    """The licence of the municipality's open data (CC0 or CC BY 4.0): its admins decide."""
    try:
        chosen = Licence(licence)
    except ValueError:
        raise Refusal("unknown_licence", "licence") from None
    profile = profile_of(municipality_id, create=True)
    check_version(profile, expected_version)
    if profile.licence == chosen.value:
        return
    before = profile.licence
    profile.licence = chosen.value
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict() from None
    record(user, "cooperation.licence", profile, before=before, after=chosen.value)
