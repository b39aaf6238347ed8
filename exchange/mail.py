"""Outgoing mail: written to the log by default, sent over SMTP when EXCHANGE_MAIL_SERVER is set."""
from __future__ import annotations

import smtplib
from collections import deque
from email.message import EmailMessage

from flask import current_app


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message (or log it in development). Failures are logged, not raised,
    so a mail outage never loses the data the message is about."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("Mail (not sent, no EXCHANGE_MAIL_SERVER):\n%s", message)
        # Kept (bounded) so tests and the development console can read the last messages.
        current_app.extensions.setdefault("exchange_outbox", deque(maxlen=100)).append(message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send mail to %s", to)
