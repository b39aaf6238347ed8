"""Municipalities are global records: every municipality can see the list of the network, with each
one's identity (colour, coat of arms)."""
from __future__ import annotations

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, TimestampMixin, Versioned, str120


class Municipality(TimestampMixin, Versioned, Base):
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
    # The municipality's own colour in the header (``#rrggbb``; white text on it meets WCAG AA, checked
    # when it is set); empty: the platform's colour.
    accent_colour: Mapped[str] = mapped_column(String(7), default="", server_default="")
    # Changes with the uploaded coat of arms (its URL carries it, so browsers may cache the image for a
    # year); empty: no coat of arms. Kept here so that no page needs a query to know.
    emblem_stamp: Mapped[str] = mapped_column(String(20), default="", server_default="")

    # The coat of arms an admin uploaded (PNG or JPEG, checked by its bytes): kept in the database so
    # that backups hold it and every worker serves the same; deferred, so no page loads it but its own.
    emblem_type: Mapped[str] = mapped_column(String(20), default="", server_default="")
    emblem_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"

