"""The workbench's own setting: the languages an admin limits a translator to.

It stays with the workbench rather than the catalog runtime (exchange.i18n.catalog): it decides who may
use the workbench's pages for which locale, nothing the live catalogs or their sync need to know, and it
is tenant-owned (an admin sets it for the translators of their own municipality) while the catalogs are
global. The catalog store's models live in ``exchange.i18n.catalog.models``.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Versioned, utcnow
from exchange.tenancy import TenantOwned


class TranslatorLanguages(TenantOwned, Versioned, Base):
    """The locales a translator may work on, set by their municipality's admin. No row: all of them."""

    __tablename__ = "translator_languages"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    locales: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
