"""Notification mail: one mail at once, or a digest, always in the recipient's language (never the
sender's), plain text and HTML, the recipient's municipality as sender name, and a signed one-click
unsubscribe link (also in the ``List-Unsubscribe``/``List-Unsubscribe-Post`` headers, RFC 8058).

Every mail carries an idempotency key (the notification, or the digest's person and period), so a
retried job never mails twice.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import OrderedDict

from flask import current_app, render_template
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from exchange.db import utcnow
from exchange.extensions import db
from exchange.mail import queue_mail
from exchange.notifications import display
from exchange.notifications.kinds import KINDS
from exchange.notifications.models import Mode, Notification
from exchange.urls import absolute_url

_SALT = "notifications.unsubscribe"


# --- the signed unsubscribe link -------------------------------------------------------------------

def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user, scope: str) -> str:
    """A token naming the person and what they unsubscribe from (a type, or ``digest:daily|weekly``).
    Signed with the secret key: nobody can make one for someone else."""
    return _signer().dumps([user.id, scope])


def read_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, scope = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(scope, str):
        return None
    return user_id, scope


def locale_of(user) -> str:
    """The recipient's interface language: their preference, else their municipality's."""
    languages = current_app.config["LANGUAGES"]
    for code in (user.preferred_locale, user.municipality.default_locale):
        if code in languages:
            return code
    return languages[0]


def _headers(unsubscribe: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated"}


def _links(user, scope: str) -> dict[str, str]:
    return {"unsubscribe": absolute_url("tenant.notifications.unsubscribe", token=unsubscribe_token(user, scope)),
            "preferences": absolute_url("tenant.notifications.preferences"),
            "centre": absolute_url("tenant.notifications.centre")}


def _queue(user, subject: str, template: str, context: dict, key: str, locale: str, about=None):
    text = render_template(f"notifications/mail/{template}.txt", **context)
    html = render_template(f"notifications/mail/{template}.html", **context)
    return queue_mail(user.email, subject, text, html=html, sender_name=user.municipality.name,
                      headers=_headers(context["links"]["unsubscribe"]), about=about, key=key, locale=locale)


# --- one notification, at once --------------------------------------------------------------------

def send_now(notification: Notification, user) -> None:
    """Mail one notification to its recipient now (after the commit). Key: the notification."""
    locale = locale_of(user)
    with force_locale(locale):
        line = display.describe(notification, display.load([notification]), user)
        links = _links(user, notification.type)
        context = {"user": user, "line": line, "url": line.url(absolute_url), "links": links,
                   "kind": KINDS[notification.type], "municipality": user.municipality}
        subject = line.text if len(line.text) <= 150 else line.text[:149] + "…"
        _queue(user, subject, "single", context, f"notification:{notification.id}", locale, about=notification)
    notification.emailed_at = utcnow()


# --- digests ----------------------------------------------------------------------------------------

def period_start(now: dt.datetime, zone: str, hour: int, mode: Mode) -> dt.datetime:
    """The latest local ``hour`` o'clock (on a Monday for weekly digests) at or before ``now``, in UTC:
    a digest is due once ``now`` has passed it, and takes what came before it."""
    local = now.astimezone(zoneinfo.ZoneInfo(zone))
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if start > local:
        start -= dt.timedelta(days=1)
    if mode == Mode.WEEKLY:
        start -= dt.timedelta(days=start.weekday())
    # Rebuild the wall-clock time in its zone (a DST change between the two dates moves the offset).
    start = dt.datetime.combine(start.date(), dt.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))
    return start.astimezone(dt.timezone.utc)


def _grouped(lines: list[tuple[display.Line, str | None]]):
    """Digest lines grouped by project (or visit); the rest last, under "Other notifications"."""
    groups: OrderedDict = OrderedDict()
    for line, url in lines:
        groups.setdefault(line.group, []).append((line, url))
    other = groups.pop(None, None)
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] != "project", item[0][1].casefold()))
    if other:
        ordered.append((None, other))
    return ordered


def send_digest(user, items: list[Notification], mode: Mode, period: dt.datetime) -> bool:
    """Mail the user's waiting notifications of ``mode`` in one digest, grouped by project, and mark
    them mailed. Key: the person, the rhythm and the period, so a second run sends nothing."""
    fresh = [n for n in items if n.read_at is None]
    now = utcnow()
    for n in items:
        n.emailed_at = now
    if not fresh or not user.active:
        db.session.flush()
        return False
    locale = locale_of(user)
    with force_locale(locale):
        loaded = display.load(fresh)
        lines = [(line, line.url(absolute_url)) for line in (display.describe(n, loaded, user) for n in fresh)]
        count = len(fresh)
        if mode == Mode.DAILY:
            subject = ngettext("Your daily summary: %(num)d new notification",
                               "Your daily summary: %(num)d new notifications", count)
        else:
            subject = ngettext("Your weekly summary: %(num)d new notification",
                               "Your weekly summary: %(num)d new notifications", count)
        local_day = period.astimezone(zoneinfo.ZoneInfo(user.municipality.timezone)).date()
        context = {"user": user, "groups": _grouped(lines), "links": _links(user, f"digest:{mode.value}"),
                   "subject": subject, "municipality": user.municipality, "mode": mode,
                   "day": format_date(local_day, "long"), "other": _("Other notifications")}
        _queue(user, subject, "digest", context, f"digest:{mode.value}:{user.id}:{local_day.isoformat()}", locale)
    db.session.flush()
    return True
