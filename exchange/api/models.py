"""Personal access tokens for the read API (issue 17).

A token belongs to one user (and so to one municipality: tenant-owned) and reads, never writes: the
API has no other methods than GET. Only a SHA-256 hash of the secret is stored; the secret is shown
once, when it is created. A token stops working when it expires, when its owner revokes it, or when
the owner's account is deactivated. Revoking keeps the row (when, and what it was called).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin, utcnow
from exchange.tenancy import TenantOwned


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; every stored value is UTC.
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


class ApiToken(TenantOwned, TimestampMixin, Base):
    __tablename__ = "api_tokens"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(Len.NAME))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The last characters of the secret, so its owner recognises it in the list.
    hint: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user = relationship("User", lazy="joined", innerjoin=True)

    def is_active(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and _aware(self.expires_at) > now and self.user.active

    @property
    def is_expired(self) -> bool:
        return _aware(self.expires_at) <= utcnow()
