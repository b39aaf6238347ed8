"""The per-municipality audit log: who changed what, and when. It never leaves its municipality."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin
from exchange.tenancy import TenantOwned


class AuditEntry(TenantOwned, TimestampMixin, Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index(None, "municipality_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User")
