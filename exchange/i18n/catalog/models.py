"""The store of the live interface catalogs (DESIGN.md §5).

The catalogs are *global* (DESIGN.md §3): the interface is shared by the whole network, so a message
has no municipality. Who edited or approved it is stored as a name plus a municipality id, like the
credits of content translations, because users are tenant-owned.

A message keeps two texts: the *draft* (``strings``, what translators edit) and the *published* text
(``published``, what the app serves). Publishing a locale copies drafts to published and bumps the
locale's ``CatalogVersion``; every worker compares that version on its next request (``live.py``).
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Versioned, utcnow
from exchange.tenancy import GLOBAL


class MessageState(str, enum.Enum):
    """The gettext states plus the approval a second translator gives."""

    EMPTY = "empty"
    FUZZY = "fuzzy"
    TRANSLATED = "translated"
    APPROVED = "approved"  # never stored in ``state``: translated + an approval

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    MessageState.EMPTY: lazy_pgettext("interface string state", "untranslated"),
    MessageState.FUZZY: lazy_pgettext("interface string state", "needs editing"),
    MessageState.TRANSLATED: lazy_pgettext("interface string state", "translated"),
    MessageState.APPROVED: lazy_pgettext("interface string state", "approved"),
}


def message_key(msgid: str, msgid_plural: str | None = None, context: str | None = None) -> str:
    """A fixed-length identity of (msgid, msgid_plural, context) for the unique index: msgids are long
    texts, and an index over them would be large and, on some databases, limited in size."""
    raw = "\x04".join((context or "", msgid, msgid_plural or ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class CatalogMessage(Versioned, Base):
    """One interface string in one locale."""

    __tablename__ = "catalog_messages"
    __tenancy__ = GLOBAL
    __table_args__ = (UniqueConstraint("locale", "key"), Index(None, "locale", "obsolete", "position"),
                      # the overview's counts by state (every translator's dashboard, the workbench) read
                      # this index alone, not each message's texts (issue 12)
                      Index("ix_catalog_messages_overview", "locale", "obsolete", "state", "approved_at", "pending",
                            "checks", "words"))

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(64))
    msgid: Mapped[str] = mapped_column(Text)
    msgid_plural: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    # The draft: one string per plural form (a single one for a singular message).
    strings: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(12), default=MessageState.EMPTY.value)
    # What the app serves; None when nothing is published (the source text is shown).
    published: Mapped[list | None] = mapped_column(JSON)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)  # the draft differs from what is served
    obsolete: Mapped[bool] = mapped_column(Boolean, default=False)  # no longer in the shipped catalog
    # The translation in the shipped .po at the last sync: a change there is taken over unless a
    # translator changed the string in the workbench, in which case both are kept and the message is
    # marked for translators to decide (``shipped_conflict``).
    shipped: Mapped[list | None] = mapped_column(JSON)
    shipped_conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    flags: Mapped[list] = mapped_column(JSON, default=list)
    translator_comments: Mapped[str] = mapped_column(Text, default="")
    extracted_comments: Mapped[str] = mapped_column(Text, default="")
    locations: Mapped[list] = mapped_column(JSON, default=list)  # [[file, line], …]
    locations_text: Mapped[str] = mapped_column(Text, default="")  # "file:line" per line, for searching
    search_text: Mapped[str] = mapped_column(Text, default="")  # source + draft, lower-cased, for searching
    position: Mapped[int] = mapped_column(default=0)  # order in the shipped catalog (stable exports)
    words: Mapped[int] = mapped_column(default=0)  # of the source, for the overview
    checks: Mapped[str] = mapped_column(String(255), default="")  # ",code,code," of the draft's findings

    edited_by_id: Mapped[int | None]
    edited_by_name: Mapped[str | None] = mapped_column(String(120))
    edited_by_municipality_id: Mapped[int | None]
    edited_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None]
    approved_by_name: Mapped[str | None] = mapped_column(String(120))
    approved_by_municipality_id: Mapped[int | None]
    approved_at: Mapped[dt.datetime | None]
    changes: Mapped[list[CatalogChange]] = relationship(
        back_populates="message", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(CatalogChange.at.desc(), CatalogChange.id.desc())")

    @property
    def is_plural(self) -> bool:
        return bool(self.msgid_plural)

    @property
    def is_approved(self) -> bool:
        return self.state == MessageState.TRANSLATED.value and self.approved_at is not None

    @property
    def display_state(self) -> MessageState:
        return MessageState.APPROVED if self.is_approved else MessageState(self.state)

    def last_edited_by(self, user) -> bool:
        """True when ``user`` made the current draft (the four-eyes rule of approval)."""
        return (user is not None and self.edited_by_id == user.id
                and self.edited_by_municipality_id == user.municipality_id)

    @property
    def check_codes(self) -> list[str]:
        return [c for c in self.checks.split(",") if c]

    def __repr__(self) -> str:
        return f"<CatalogMessage {self.locale} {self.msgid[:30]!r}>"


class CatalogChange(Base):
    """One change of a message: who (name + municipality), when, the old and the new strings."""

    __tablename__ = "catalog_changes"
    __tenancy__ = GLOBAL
    __table_args__ = (Index(None, "message_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("catalog_messages.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(20))  # edit, revert, approve, import, sync
    actor_id: Mapped[int | None]
    actor_name: Mapped[str | None] = mapped_column(String(120))
    actor_municipality_id: Mapped[int | None]
    old_strings: Mapped[list] = mapped_column(JSON, default=list)
    new_strings: Mapped[list] = mapped_column(JSON, default=list)
    old_state: Mapped[str] = mapped_column(String(12))
    new_state: Mapped[str] = mapped_column(String(12))

    message: Mapped[CatalogMessage] = relationship(back_populates="changes")
    actor_municipality = relationship("Municipality", primaryjoin="foreign(CatalogChange.actor_municipality_id)"
                                      " == Municipality.id", lazy="joined", viewonly=True)


class CatalogVersion(Base):
    """The published version of one locale's live catalog. Workers compare ``revision`` on every request;
    it is random so that two databases (or a wiped test database) never share a cached catalog."""

    __tablename__ = "catalog_versions"
    __tenancy__ = GLOBAL

    locale: Mapped[str] = mapped_column(String(10), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    revision: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by_name: Mapped[str | None] = mapped_column(String(120))
    published_by_municipality_id: Mapped[int | None]
    published_messages: Mapped[int] = mapped_column(default=0)

    published_by_municipality = relationship(
        "Municipality", primaryjoin="foreign(CatalogVersion.published_by_municipality_id) == Municipality.id",
        lazy="joined", viewonly=True)
