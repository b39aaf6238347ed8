"""Notifications, what people follow, and their e-mail preferences (issue 15).

All three are *tenant-owned* by the recipient's (or follower's) municipality: a notification is a
message to one person, and people never leave their municipality (DESIGN.md §4). A notification holds
ids, never copies of what it is about: its text is written when it is shown, in the reader's language,
from the objects loaded through the reader's own scope, so it never tells more than the object's page.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, utcnow
from exchange.tenancy import TenantOwned


class Mode(str, enum.Enum):
    """How a person hears of a type of notification by e-mail (it is always in the notification centre)."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


# How soon each mode mails, for choosing the more urgent of two defaults.
URGENCY = {Mode.IMMEDIATELY: 0, Mode.DAILY: 1, Mode.WEEKLY: 2, Mode.OFF: 3}


class Notification(TenantOwned, TimestampMixin, Base):
    """One thing one person should know about. ``key`` makes it idempotent: the same event (or the same
    due date of a follow-up action) never notifies the same person twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index(None, "user_id", "updated_at"),
        Index(None, "user_id", "read_at"),
        Index(None, "email", "emailed_at"),
        Index(None, "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    # What it is about (ids only; each is loaded through the reader's scope when shown).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                        index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    read_at: Mapped[dt.datetime | None]
    # The e-mail mode when it was written (immediately, daily, weekly, off) and when it went out
    # (immediately, or in a digest); a digest takes the pending ones of its mode.
    email: Mapped[str] = mapped_column(String(12), default=Mode.OFF.value)
    emailed_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user = relationship("User")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(TenantOwned, TimestampMixin, Base):
    """A person follows a project or a visit: status changes, comments and changes reach them."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "project_id"),
        UniqueConstraint("user_id", "visit_id"),
        CheckConstraint("(project_id IS NULL) <> (visit_id IS NULL)", name="one_subject"),
        Index(None, "project_id"),
        Index(None, "visit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))


class NotificationPreference(TenantOwned, Base):
    """A person's e-mail mode for one type of notification. No row: the default of their roles."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(12))
