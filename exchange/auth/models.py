"""Accounts, their roles, server-side login sessions and one-time password links.

A user belongs to exactly one municipality (tenant-owned); the same e-mail address may exist in two
municipalities as two separate accounts.
"""
from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from exchange.db import Base, Len, TimestampMixin, person_key, str120, str255, utcnow
from exchange.tenancy import CHILD, TenantOwned


class Role(str, enum.Enum):
    STAFF = "staff"
    COORDINATOR = "coordinator"
    TRANSLATOR = "translator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.STAFF: _l("Staff"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.TRANSLATOR: _l("Translator"),
    Role.ADMIN: _l("Administrator"),
}


class User(UserMixin, TenantOwned, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("municipality_id", "email"), Index(None, "name_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str255]  # stored lower-cased
    name: Mapped[str120]
    # The name as the personal-data tool finds it (exchange.db.person_key), kept by the model itself.
    name_key: Mapped[str] = mapped_column(String(Len.NAME), default="", server_default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None until an invitation is accepted
    active: Mapped[bool] = mapped_column(default=True)
    preferred_locale: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[dt.datetime | None]
    # The second factor (TOTP): the shared secret, set at enrolment and confirmed by a first code; the
    # time step of the last accepted code, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None]

    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @validates("name")
    def _keep_name_key(self, _attribute: str, name: str) -> str:
        self.name_key = person_key(name)
        return name

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot sign in
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(Base):
    __tablename__ = "user_roles"
    __tenancy__ = CHILD
    tenancy_parent = "user"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginSession(TenantOwned, TimestampMixin, Base):
    """One signed-in browser. The cookie holds only a random id; deleting the row signs it out."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Shown on "My sign-ins" so the person recognises (or not) each session.
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A one-time code that stands in for the second factor (a lost phone). Only its hash is stored."""

    __tablename__ = "recovery_codes"
    __tenancy__ = CHILD
    tenancy_parent = "user"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class PasswordToken(TenantOwned, TimestampMixin, Base):
    """A one-time link to set a password (invitations). Only the token's hash is stored."""

    __tablename__ = "password_tokens"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class LoginFailure(TenantOwned, Base):
    """Failed sign-ins of one account name from one client address, for increasing delays.

    Keyed by (account, address) so that nobody's failures can slow down anyone else: a correct password
    from another address is never held back. The attempted e-mail is stored only as a hash (it may be
    a typo or someone else's address); rows are pruned after a day.
    """

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("municipality_id", "email_hash", "address"), Index(None, "last_failure_at"),
                      Index(None, "municipality_id", "email_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[dt.datetime | None]
