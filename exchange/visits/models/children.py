"""A visit's children: programme items, participants, costs and follow-up actions. Each is reached only
through its visit (``__tenancy__ = CHILD``); what a reader may see of them is decided in permissions.py.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin, Versioned, person_key  # noqa: F401 (re-exported)
from exchange.i18n.models import ChildContent, ContentTextMixin
from exchange.tenancy import CHILD
from exchange.visits.models.visit import LabelledEnum, Visit

# The largest cost Numeric(12, 2) holds.
COST_MAX = Decimal("9999999999.99")


class CostCategory(LabelledEnum):
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    INTERPRETATION = "interpretation"
    MEALS = "meals"
    VENUE = "venue"
    OTHER = "other"


COST_CATEGORY_LABELS = CostCategory.LABELS = {
    CostCategory.TRAVEL: _l("Travel"),
    CostCategory.ACCOMMODATION: _l("Accommodation"),
    CostCategory.INTERPRETATION: _l("Interpretation"),
    CostCategory.MEALS: _l("Meals"),
    CostCategory.VENUE: _l("Venue"),
    CostCategory.OTHER: _l("Other costs"),
}


class FollowUpStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"


FOLLOW_UP_STATUS_LABELS = FollowUpStatus.LABELS = {FollowUpStatus.OPEN: lazy_pgettext("follow-up status", "Open"),
                                                      FollowUpStatus.DONE: lazy_pgettext("follow-up status", "Done")}


class _VisitChild:
    __tenancy__ = CHILD
    tenancy_parent = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)


class _VisitContent(ChildContent):
    """A child of a visit with texts of its own (shared content mechanism): read exactly where the visit's
    texts are, by the host and the visitors."""

    content_parent = "visit"

    @declared_attr
    def texts(cls):
        # Loaded with their owners (one query per list of owners), since every page shows them.
        return relationship(f"{cls.__name__}Text", back_populates="owner", cascade="all, delete-orphan",
                            order_by=f"{cls.__name__}Text.id", lazy="selectin")


class _VisitChildText(ContentTextMixin):
    """The text table of a visit's child: ``owner_id`` points at the child."""

    OWNER_TABLE: str

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey(f"{cls.OWNER_TABLE}.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def __table_args__(cls):
        return (UniqueConstraint("owner_id", "field", "locale"),)


class AgendaItem(_VisitChild, _VisitContent, Versioned, Base):
    """One item of the programme: when (a day of the visit, optional times), what, where (texts in the
    author's language, translatable)."""

    __tablename__ = "visit_agenda_items"
    TRANSLATABLE_FIELDS = ("title", "location")

    day: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)

    visit: Mapped[Visit] = relationship(back_populates="agenda_items")

    @property
    def title(self) -> str:
        return self.source_text("title")

    @property
    def location(self) -> str:
        return self.source_text("location")


class AgendaItemText(_VisitChildText, Base):
    __tablename__ = "visit_agenda_item_texts"
    OWNER_TABLE = "visit_agenda_items"

    owner: Mapped[AgendaItem] = relationship(back_populates="texts")


class Participant(_VisitChild, _VisitContent, TimestampMixin, Versioned, Base):
    """A person taking part: personal data, kept minimal (DESIGN §6). Erasure blanks the name but keeps
    the row, so counts and organisations stay right. The organisation and the role are texts in the
    author's language, translatable (the name is not)."""

    __tablename__ = "visit_participants"
    __table_args__ = (Index(None, "name_key"),)
    TRANSLATABLE_FIELDS = ("organisation", "role")

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str | None] = mapped_column(String(Len.NAME))
    name_key: Mapped[str | None] = mapped_column(String(Len.NAME))
    anonymised_at: Mapped[dt.datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="participants")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)

    @property
    def organisation(self) -> str:
        return self.source_text("organisation")

    @property
    def role(self) -> str:
        return self.source_text("role")

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class ParticipantText(_VisitChildText, Base):
    __tablename__ = "visit_participant_texts"
    OWNER_TABLE = "visit_participants"

    owner: Mapped[Participant] = relationship(back_populates="texts")


class Cost(_VisitChild, _VisitContent, Versioned, Base):
    """A cost of the visit in its own currency (never summed across currencies). Its note is a text in the
    author's language, translatable: the other municipality of the visit reads it."""

    __tablename__ = "visit_costs"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)
    TRANSLATABLE_FIELDS = ("note",)

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))  # who pays
    category: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # The funding line of a linked project that pays for it, when there is one.
    funding_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_funding_lines.id", ondelete="SET NULL"), index=True)

    visit: Mapped[Visit] = relationship(back_populates="costs")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    funding_line = relationship("FundingLine")

    @property
    def note(self) -> str:
        return self.source_text("note")

    @property
    def category_enum(self) -> CostCategory:
        return CostCategory(self.category)


class CostText(_VisitChildText, Base):
    __tablename__ = "visit_cost_texts"
    OWNER_TABLE = "visit_costs"

    owner: Mapped[Cost] = relationship(back_populates="texts")


class FollowUp(_VisitChild, _VisitContent, TimestampMixin, Versioned, Base):
    """A follow-up action after the visit: what (a text in the author's language, translatable), who owns
    it, by when, open or done."""

    __tablename__ = "visit_follow_ups"
    __table_args__ = (Index(None, "status", "due_date"), Index(None, "owner_key"))
    TRANSLATABLE_FIELDS = ("action",)

    # The owner: an account (reminded by the platform) or, for someone without one, only a name. The name
    # is kept either way, since another municipality reading the visit cannot load a user row (users are
    # tenant-owned). Personal data: exported and erased with the participant's name.
    owner: Mapped[str] = mapped_column(String(Len.NAME), default="")
    owner_key: Mapped[str] = mapped_column(String(Len.NAME), default="")
    # A user of the visit's municipalities (no foreign key, like a comment's author: users are
    # tenant-owned, and the column is added to SQLite without rebuilding the table).
    owner_user_id: Mapped[int | None] = mapped_column(index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=FollowUpStatus.OPEN.value)
    done_at: Mapped[dt.datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="follow_ups")

    @property
    def action(self) -> str:
        return self.source_text("action")

    @property
    def status_enum(self) -> FollowUpStatus:
        return FollowUpStatus(self.status)

    @property
    def is_done(self) -> bool:
        return self.status == FollowUpStatus.DONE.value

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and self.due_date is not None and self.due_date < today


class FollowUpText(_VisitChildText, Base):
    __tablename__ = "visit_follow_up_texts"
    OWNER_TABLE = "visit_follow_ups"

    owner: Mapped[FollowUp] = relationship(back_populates="texts")
