"""The outbox: every side effect (a mail, later a notification) is a row written in the same transaction
as the change it is about. A rolled-back request leaves no row, so nothing is sent; a delivery that fails
leaves the row pending, so nothing is lost. Workers deliver rows; recurring jobs are claimed in
``job_runs`` so that several schedulers never run the same job twice at once.
"""
from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_pgettext
from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, TimestampMixin, utcnow
from exchange.tenancy import GLOBAL, TenantOwned


class DeliveryStatus(str, enum.Enum):
    PENDING = "pending"   # written, not delivered yet (or waiting for its next attempt)
    SENDING = "sending"   # claimed by a worker
    SENT = "sent"
    FAILED = "failed"     # gave up after the last attempt; an admin can retry

    @property
    def label(self) -> str:
        return str(DELIVERY_LABELS[self])


DELIVERY_LABELS = {
    DeliveryStatus.PENDING: lazy_pgettext("delivery status", "Queued"),
    DeliveryStatus.SENDING: lazy_pgettext("delivery status", "Being sent"),
    DeliveryStatus.SENT: lazy_pgettext("delivery status", "Sent"),
    DeliveryStatus.FAILED: lazy_pgettext("delivery status", "Failed"),
}


class OutboxMessage(TenantOwned, TimestampMixin, Base):
    """One side effect to deliver, owned by the municipality whose change caused it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index(None, "status", "available_at"),
        Index(None, "municipality_id", "created_at"),
        Index(None, "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Idempotency: a second message with the same key is not written (a retried job, a double click).
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the message is about, for showing its delivery state (e.g. "User", 12 for an invitation).
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    recipient: Mapped[str] = mapped_column(String(255), default="")
    summary: Mapped[str] = mapped_column(String(255), default="")  # e.g. the mail's subject line
    status: Mapped[str] = mapped_column(String(12), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]

    @property
    def status_enum(self) -> DeliveryStatus:
        return DeliveryStatus(self.status)


class JobRun(Base):
    """When each recurring job last started and finished (platform-wide, one row per job)."""

    __tablename__ = "job_runs"
    __tenancy__ = GLOBAL

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    last_result: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
