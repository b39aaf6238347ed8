"""The second factor (issue 11): time-based one-time codes (TOTP, RFC 6238, with pyotp) and one-time
recovery codes. Required for admins, optional for everyone else.

Enrolment: ``begin_enrolment`` stores a fresh secret (not yet active); the person adds it to an
authenticator app (QR code or text) and proves it with a first code (``confirm_enrolment``), which
activates it and returns ten recovery codes, shown once and stored only as hashes. A code is accepted
once (the step of the last accepted code is kept). An admin can reset a colleague's second factor (a
lost phone); the colleague enrols again at the next sign-in if their role requires it.

Services flush and write the audit log; the caller commits.
"""
from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
from flask_babel import lazy_gettext as _l

from exchange.audit.services import record
from exchange.auth.models import RecoveryCode, Role, User
from exchange.db import utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db

ISSUER = "Twin-Town Exchange"
RECOVERY_CODES = 10
# One step before and after: a phone clock a little off still works.
VALID_WINDOW = 1

register_messages({
    "wrong_code": _l("This code is not correct, or it has been used already. Enter the current code from "
                     "your app, or one of your recovery codes."),
    "second_factor_required": _l("Administrators must use a second factor: it cannot be turned off."),
    "not_enrolled": _l("Set up the second factor first."),
})


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def requires_second_factor(user: User) -> bool:
    """Admins must have one (they manage everyone's accounts)."""
    return user.has_role(Role.ADMIN)


def must_enrol(user: User) -> bool:
    return requires_second_factor(user) and not user.has_second_factor


def begin_enrolment(user: User) -> str:
    """A new secret for the person's app (replacing an unconfirmed one). Returns the secret."""
    if user.has_second_factor:
        raise Refusal("already_decided")
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email,
                                                         issuer_name=f"{ISSUER} ({user.municipality.name})")


def _accept_totp(user: User, code: str) -> bool:
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = int(now // totp.interval) + offset
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # replayed
            user.totp_last_step = step
            return True
    return False


def _new_recovery_codes(user: User) -> list[str]:
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [RecoveryCode(code_hash=_hash(code)) for code in codes]
    return codes


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Activate the second factor with a first correct code; returns the recovery codes (shown once)."""
    if user.totp_secret is None or user.has_second_factor:
        raise Refusal("not_enrolled", "code")
    if not _accept_totp(user, _digits(code)):
        raise Refusal("wrong_code", "code")
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.flush()
    record(user, "user.second_factor_on", user)
    return codes


def _digits(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())[:8]


def verify(user: User, code: str) -> bool:
    """A correct current code, or an unused recovery code (then used up). Flushes."""
    if not user.has_second_factor:
        return False
    code = (code or "").strip()
    if _accept_totp(user, _digits(code)):
        db.session.flush()
        return True
    wanted = _hash(code)
    match = next((r for r in user.recovery_codes if r.used_at is None and secrets.compare_digest(r.code_hash, wanted)),
                 None)
    if match is None:
        return False
    match.used_at = utcnow()
    db.session.flush()
    record(user, "user.recovery_code_used", user)
    return True


def remaining_recovery_codes(user: User) -> int:
    return sum(1 for r in user.recovery_codes if r.used_at is None)


def renew_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a current code proves it is the person."""
    if not verify(user, code):
        raise Refusal("wrong_code", "code")
    codes = _new_recovery_codes(user)
    db.session.flush()
    record(user, "user.recovery_codes_renewed", user)
    return codes


def turn_off(user: User, code: str) -> None:
    """The person turns their own second factor off (not allowed where their role requires it)."""
    if requires_second_factor(user):
        raise Refusal("second_factor_required")
    if not verify(user, code):
        raise Refusal("wrong_code", "code")
    _clear(user)
    record(user, "user.second_factor_off", user)


def reset(user: User, actor: User) -> None:
    """An admin clears a colleague's second factor (a lost phone): they enrol again when required."""
    _clear(user)
    from exchange.auth.services import revoke_sessions
    revoke_sessions(user)
    record(actor, "user.second_factor_reset", user)


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.recovery_codes = []
    db.session.flush()
