"""Municipalities are global records: every municipality can see the list of the network."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, TimestampMixin, str120


class Municipality(TimestampMixin, Base):
    __tablename__ = "municipalities"
    __tenancy__ = "global"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str120]
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    default_locale: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    # Where people write about the platform's accessibility (the statement's feedback route) and other
    # questions; empty: feedback goes to the municipality's administrators.
    contact_email: Mapped[str] = mapped_column(String(255), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"
