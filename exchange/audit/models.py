"""The per-municipality audit log: who changed what, and when. It never leaves its municipality.

Tamper-evident: each municipality's entries form a chain. Entry n carries its number (``seq``), the hash
of entry n-1 and its own hash over its content and that previous hash, so changing, removing or
reordering any entry breaks every hash after it (``flask audit verify``). ``AuditHead`` holds the end of
each chain and is locked while an entry is appended, so two writers never fork it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin
from exchange.tenancy import TenantOwned

GENESIS = "0" * 64


class AuditEntry(TenantOwned, TimestampMixin, Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index(None, "municipality_id", "created_at"), Index(None, "municipality_id", "action"),
                      UniqueConstraint("municipality_id", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as written: the log must still say who it was after an account is gone.
    actor_name: Mapped[str] = mapped_column(String(Len.NAME), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    # What the object was called when it happened (a project's title in its own language, a name).
    object_label: Mapped[str] = mapped_column(String(Len.TITLE), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    hash: Mapped[str] = mapped_column(String(64), default="")

    actor = relationship("User")


class AuditHead(TenantOwned, Base):
    """The end of one municipality's chain: its last number and hash."""

    __tablename__ = "audit_heads"
    __table_args__ = (UniqueConstraint("municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    updated_at: Mapped[dt.datetime | None]
