"""Account workflows: sign-in, server-side sessions, invitations, roles, deactivation.

Services flush and write the audit log; the caller (a view or CLI command) commits.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from exchange.audit.services import record
from exchange.auth.models import LoginSession, PasswordToken, Role, User, UserRole
from exchange.db import Len, utcnow
from exchange.errors import Conflict, Refusal, register_messages
from exchange.extensions import db
from exchange.rules import check_locale, clean_text, parse_id
from exchange.security import hash_password, needs_rehash, new_token, token_hash, verify_password

MIN_PASSWORD_LENGTH = 10
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=5)

register_messages({
    "email_taken": _l("An account with this e-mail address already exists in this municipality."),
    "password_too_short": _l("Use at least %(min)d characters."),
    "wrong_password": _l("The current password is not correct."),
    "no_roles": _l("Choose at least one role."),
    "own_admin_role": _l("You cannot remove your own administrator role."),
    "deactivate_self": _l("You cannot deactivate your own account."),
    "invalid_token": _l("This link is not valid any more. Ask your administrator for a new invitation."),
})


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """The account with this e-mail in the current municipality."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, roles: set[Role], password: str | None = None,
                preferred_locale: str | None = None, actor: User | None = None) -> User:
    """Create an account in the current municipality. Without a password it can only be
    activated through an invitation link."""
    email = clean_text(normalise_email(email), Len.EMAIL, "email", required=True)
    name = clean_text(name, Len.NAME, "name", required=True)
    if find_by_email(email) is not None:
        raise Refusal("email_taken", "email")
    if preferred_locale is not None:
        check_locale(preferred_locale, "preferred_locale")
    user = User(email=email, name=name, preferred_locale=preferred_locale)
    if password is not None:
        _check_password_rules(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    user.role_rows = [UserRole(role=r.value) for r in sorted(roles, key=lambda r: r.value)]
    db.session.flush()
    record(actor, "user.create", user, email=email, roles=sorted(r.value for r in roles))
    return user


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal("password_too_short", "new_password", min=MIN_PASSWORD_LENGTH)


def authenticate(email: str, password: str) -> User | None:
    """The active account for these credentials, or None. Callers show one generic message,
    whatever the reason, so the form does not reveal which e-mail addresses exist."""
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _session_lifetime() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])


def start_session(user: User, user_agent: str = "", address: str = "") -> str:
    """Record a server-side session and return the token for the cookie. The user's expired sessions
    are removed on the way, so the table does not grow without bound."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.created_at < utcnow() - _session_lifetime()))
    token, hashed = new_token()
    db.session.add(LoginSession(user_id=user.id, token_hash=hashed, user_agent=(user_agent or "")[:200],
                                address=(address or "")[:64]))
    db.session.flush()
    record(user, "user.login", user)
    return token


def session_user(token: str | None, user_id: str | None) -> User | None:
    """The user of a live session, or None if the session was revoked or the user deactivated."""
    wanted = parse_id(user_id)
    if not token or wanted is None:
        return None
    # Every signed-in request runs this: the session, its user and the user's roles in one statement (the
    # user and its few role rows joined to the session) rather than three (issue 12: the per-request floor).
    login = db.session.scalars(select(LoginSession).where(LoginSession.token_hash == token_hash(token))
                               .options(joinedload(LoginSession.user).joinedload(User.role_rows))).unique().first()
    if login is None or login.user_id != wanted or not login.user.active:
        return None
    now = utcnow()
    if _aware(login.created_at) + _session_lifetime() < now:
        return None  # expired: the cookie alone must not keep a session alive
    if _aware(login.last_seen_at) < now - LAST_SEEN_RESOLUTION:
        # "Last active" on My sign-ins; written at most every few minutes, not on every request.
        db.session.execute(update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=now))
        db.session.commit()
    return login.user


def current_session_id(token: str | None) -> int | None:
    if not token:
        return None
    return db.session.scalar(select(LoginSession.id).where(LoginSession.token_hash == token_hash(token)))


def sessions_of(user: User) -> list[LoginSession]:
    """The person's live sessions, most recently active first."""
    return list(db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.created_at >= utcnow() - _session_lifetime())
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))


def revoke_session(user: User, session_id: int) -> None:
    """Sign out one of the person's own sessions (another browser, a lost laptop)."""
    removed = db.session.execute(delete(LoginSession).where(LoginSession.id == session_id,
                                                            LoginSession.user_id == user.id)).rowcount
    if not removed:
        raise Refusal("unknown_choice")
    record(user, "user.session_revoke", user)


def end_session(token: str | None) -> None:
    """Revoke one session (sign-out)."""
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def revoke_sessions(user: User, keep_token: str | None = None) -> None:
    """Revoke every session of the user, except optionally the current one."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        stmt = stmt.where(LoginSession.token_hash != token_hash(keep_token))
    db.session.execute(stmt)  # the scope limits a bulk DELETE to this municipality's sessions too


def change_password(user: User, current: str, new: str, keep_token: str | None = None) -> None:
    """Change the password after checking the current one; other sessions are signed out."""
    if not verify_password(user.password_hash, current):
        raise Refusal("wrong_password", "current_password")
    _check_password_rules(new)
    user.password_hash = hash_password(new)
    revoke_sessions(user, keep_token=keep_token)
    db.session.flush()
    record(user, "user.password_change", user)


def set_preferred_locale(user: User, locale: str | None) -> None:
    if locale is not None:
        check_locale(locale, "preferred_locale")
    user.preferred_locale = locale
    db.session.flush()
    record(user, "user.preferences", user, preferred_locale=locale)


def set_roles(user: User, roles: set[Role], actor: User, seen: set | None = None) -> None:
    """Replace the user's roles. An admin cannot remove their own admin role (no lock-out). ``seen``: the
    roles the form showed; when another admin changed them since, the save is a Conflict (409)."""
    if seen is not None and seen != user.roles:
        raise Conflict()
    if not roles:
        raise Refusal("no_roles", "roles")
    if user.id == actor.id and Role.ADMIN not in roles:
        raise Refusal("own_admin_role", "roles")
    before = sorted(r.value for r in user.roles)
    user.role_rows = [UserRole(role=r.value) for r in sorted(roles, key=lambda r: r.value)]
    db.session.flush()
    record(actor, "user.roles", user, before=before, after=sorted(r.value for r in roles))


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (signing out every session) or reactivate an account."""
    if user.id == actor.id and not active:
        raise Refusal("deactivate_self")
    user.active = active
    if not active:
        revoke_sessions(user)
    db.session.flush()
    record(actor, "user.activate" if active else "user.deactivate", user)


def create_invitation(user: User, actor: User | None) -> str:
    """A one-time link token to set a password; earlier unused links of the user stop working."""
    db.session.execute(delete(PasswordToken).where(PasswordToken.user_id == user.id,
                                                   PasswordToken.used_at.is_(None)))
    token, hashed = new_token()
    hours = current_app.config["INVITE_HOURS"]
    db.session.add(PasswordToken(user_id=user.id, token_hash=hashed,
                                 expires_at=utcnow() + dt.timedelta(hours=hours)))
    db.session.flush()
    record(actor, "user.invite", user)
    return token


def invite(user: User, actor: User | None):
    """Create an invitation link and queue the mail that carries it, in the invited person's language
    (their preference, else their municipality's). Returns the outbox message (its delivery state)."""
    from exchange.mail import queue_mail
    from exchange.tenancy import current_municipality
    from exchange.urls import absolute_url
    token = create_invitation(user, actor)
    municipality = current_municipality()
    locale = user.preferred_locale or municipality.default_locale
    link = absolute_url("tenant.auth.set_password", token=token)
    with force_locale(locale):
        subject = gettext("Your account on Twin-Town Exchange (%(municipality)s)", municipality=municipality.name)
        body = gettext("Hello %(name)s,\n\nan account has been created for you on Twin-Town Exchange for "
                       "%(municipality)s. Open this link to choose your password (it works once, for %(hours)d "
                       "hours):\n\n%(link)s\n", name=user.name, municipality=municipality.name,
                       hours=current_app.config["INVITE_HOURS"], link=link)
    return queue_mail(user.email, subject, body, sender_name=municipality.name, about=user, locale=locale)


def invitation_user(token: str) -> User | None:
    """The user of a valid, unused, unexpired invitation token, or None."""
    row = db.session.scalar(select(PasswordToken).where(PasswordToken.token_hash == token_hash(token)))
    if row is None or row.used_at is not None or _aware(row.expires_at) < utcnow() or not row.user.active:
        return None
    return row.user


def accept_invitation(token: str, password: str) -> User:
    """Set the password through the link; the link cannot be used again."""
    user = invitation_user(token)
    if user is None:
        raise Refusal("invalid_token")
    _check_password_rules(password)
    row = db.session.scalar(select(PasswordToken).where(PasswordToken.token_hash == token_hash(token)))
    row.used_at = utcnow()
    user.password_hash = hash_password(password)
    revoke_sessions(user)
    db.session.flush()
    record(user, "user.invitation_accepted", user)
    return user


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes even for timezone=True columns; they are stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
