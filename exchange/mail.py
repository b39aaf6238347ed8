"""Outgoing mail, through the outbox: ``queue_mail`` writes the message in the caller's transaction; the
job queue delivers it after the commit (SMTP when EXCHANGE_MAIL_SERVER is set, otherwise printed to the
console and kept for the development mailbox page). A mail server that is down loses nothing: the
delivery is retried, and a message that keeps failing is shown to the municipality's admins.
"""
from __future__ import annotations

import email.policy
import logging
import smtplib
from collections import deque
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

from exchange.jobs.services import enqueue, handler

log = logging.getLogger("exchange.mail")


def queue_mail(to: str, subject: str, body: str, *, html: str | None = None, sender_name: str | None = None,
               headers: dict[str, str] | None = None, about=None, key: str | None = None,
               locale: str | None = None):
    """Write a mail to the outbox (delivered after the commit). ``about`` is the object it concerns, so its
    delivery state can be shown beside it; ``key`` makes it idempotent."""
    return enqueue("mail", {"to": to, "subject": subject, "body": body, "html": html, "sender_name": sender_name,
                            "headers": headers or {}, "locale": locale},
                   recipient=to, summary=subject, subject=about, key=key)


def build(payload: dict) -> EmailMessage:
    config = current_app.config
    # Lines up to RFC 5322's 998 characters before folding: a folded List-Unsubscribe URL would be
    # RFC 2047-encoded, and mail programs would no longer find the link.
    message = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
    message["From"] = formataddr((payload.get("sender_name") or "Twin-Town Exchange", config["MAIL_SENDER"]))
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    for name, value in (payload.get("headers") or {}).items():
        message[name] = value
    message.set_content(payload["body"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


@handler("mail")
def _send(outbox_message) -> None:
    """Deliver one mail; raises when the mail server refuses or cannot be reached (the outbox retries)."""
    config = current_app.config
    message = build(outbox_message.payload)
    if not config.get("MAIL_SERVER"):
        # Development: print it where the person running `make run` looks, readably, at WARNING so the
        # default log level shows it; and keep it for the mailbox page and the tests.
        log.warning("Mail (no EXCHANGE_MAIL_SERVER set, so it is shown here instead of sent):\n%s\n%s",
                    "\n".join(f"{k}: {v}" for k, v in message.items()), message.get_body(("plain",)).get_content())
        current_app.extensions.setdefault("exchange_outbox", deque(maxlen=100)).append(message)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
