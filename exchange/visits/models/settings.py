"""A municipality's own settings for visits, and its secret calendar subscription feeds."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, Versioned
from exchange.tenancy import TenantOwned

DEFAULT_RETENTION_YEARS = 5


class VisitSettings(TenantOwned, Versioned, Base):
    """A municipality's own settings for visits (kept here so exchange.municipalities stays untouched).
    No row means the defaults."""

    __tablename__ = "visit_settings"
    __table_args__ = (UniqueConstraint("municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Participants' names from this municipality are anonymised this many years after the visit ended.
    retention_years: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_YEARS)


class CalendarFeed(TenantOwned, TimestampMixin, Base):
    """A secret subscription URL for the municipality's visits. Only the token's hash is stored;
    revoking keeps the row (who created and revoked it) but the URL answers 404."""

    __tablename__ = "visit_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None]

    created_by = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
