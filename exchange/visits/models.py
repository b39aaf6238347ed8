"""Knowledge-exchange visits between the twin towns (issue 5).

Visibility (DESIGN.md §3, §4, issue 5) – the choice made here
-------------------------------------------------------------
A visit is ``shared`` and its tenancy criterion is *true for every municipality of the network*: the
issue wants a third municipality to see **that a visit took place** (dates, municipalities, status,
themes, linked projects), in the list, the calendar and the reports, and a second "public" copy of the
row, or lifting the scope in web code, would be worse than one row everybody can see. The ORM scope
still applies (a query with no municipality set raises), and another network's visits would be
hidden by it.

Everything beyond that fact – purpose, programme, participants, costs, lessons learned and
follow-up actions – is decided by ``exchange.visits.permissions``:

* *details* (purpose, programme, costs, lessons, follow-ups, participant counts and organisations):
  signed-in users of the host and the visiting municipalities;
* *participant names*: coordinators and admins of those municipalities only;
* a third municipality sees neither participants nor costs nor the other details.

Reads that gather details across many visits (the lessons page, reports, CSV exports, the dashboard)
take the SQL form of that permission, ``permissions.details_clause(user)``, built from
``Visit.involves()``; queries.py itself never filters by municipality.

The owning municipality (``tenancy_owner``) is the one that *recorded* the visit, not the host: the
flush guard refuses rows owned by another municipality and forbids moving them, and the issue lets a
coordinator of a *visiting* municipality log the visit and correct its host.
"""
from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Time, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, utcnow
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.tenancy import CHILD, SHARED, TenantOwned


# --- enumerations with translated labels ---------------------------------------------------

class VisitStatus(str, enum.Enum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    # With a context: "Completed" is also a project status, and a visit (sv: besöket, it: la visita)
    # takes other word forms than a project.
    VisitStatus.PLANNED: lazy_pgettext("visit status", "Planned"),
    VisitStatus.CONFIRMED: lazy_pgettext("visit status", "Confirmed"),
    VisitStatus.COMPLETED: lazy_pgettext("visit status", "Completed"),
    VisitStatus.CANCELLED: lazy_pgettext("visit status", "Cancelled"),
}


class CostCategory(str, enum.Enum):
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    INTERPRETATION = "interpretation"
    MEALS = "meals"
    VENUE = "venue"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(COST_CATEGORY_LABELS[self])


COST_CATEGORY_LABELS = {
    CostCategory.TRAVEL: _l("Travel"),
    CostCategory.ACCOMMODATION: _l("Accommodation"),
    CostCategory.INTERPRETATION: _l("Interpretation"),
    CostCategory.MEALS: _l("Meals"),
    CostCategory.VENUE: _l("Venue"),
    CostCategory.OTHER: _l("Other costs"),
}


class FollowUpStatus(str, enum.Enum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return str(FOLLOW_UP_STATUS_LABELS[self])


FOLLOW_UP_STATUS_LABELS = {
    FollowUpStatus.OPEN: _l("Open"),
    FollowUpStatus.DONE: _l("Done"),
}


def person_key(name: str | None) -> str:
    """The form of a person's name used to find every record about them (export, erasure):
    Unicode-normalised, case-folded, inner spaces collapsed. SQLite's lower() folds only ASCII,
    so the key is computed in Python and stored."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


# --- the visit -----------------------------------------------------------------------------

class Visit(Translatable, TimestampMixin, Base):
    """A knowledge-exchange visit: one host, one or more visiting municipalities.

    Dates and times are *local times of the host* (``timezone`` is the host's IANA zone, copied when
    the host is set): a visit at 09:00 in Perano is stored as 09:00 + "Europe/Rome", never converted,
    so SQLite (naive) and PostgreSQL store the same thing. A missing time means "all day".
    """

    __tablename__ = "visits"
    __tenancy__ = SHARED
    tenancy_owner = "recorded_by_municipality_id"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index(None, "start_date", "end_date"),
    )
    TRANSLATABLE_FIELDS = ("purpose", "lessons")

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_by_municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    host_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                      index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_date: Mapped[dt.date] = mapped_column(Date)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default=VisitStatus.PLANNED.value, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    host = relationship("Municipality", foreign_keys=[host_municipality_id], lazy="joined", innerjoin=True)
    visiting_links: Mapped[list[VisitMunicipality]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", lazy="selectin")
    texts: Mapped[list[VisitText]] = relationship(back_populates="owner", cascade="all, delete-orphan")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="visit", cascade="all, delete-orphan",
        order_by="(AgendaItem.day, AgendaItem.start_time, AgendaItem.id)")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Participant.id")
    costs: Mapped[list[Cost]] = relationship(back_populates="visit", cascade="all, delete-orphan",
                                             order_by="Cost.id")
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="(FollowUp.due_date, FollowUp.id)")
    theme_links: Mapped[list[VisitTheme]] = relationship(back_populates="visit", cascade="all, delete-orphan")
    project_links: Mapped[list[VisitProject]] = relationship(back_populates="visit",
                                                             cascade="all, delete-orphan")

    # Every municipality of the network sees that a visit took place (see the module docstring); what it
    # may read of the visit is decided in permissions.py.
    tenancy_visible_to_all = True

    @classmethod
    def involves(cls, municipality_id: int):
        """SQL: the municipality is the host or one of the visitors."""
        return or_(cls.host_municipality_id == municipality_id,
                   cls.visiting_links.any(VisitMunicipality.municipality_id == municipality_id))

    # --- small pure properties ---

    @property
    def visiting_ids(self) -> set[int]:
        return {link.municipality_id for link in self.visiting_links}

    @property
    def visitors(self) -> list:
        return sorted((link.municipality for link in self.visiting_links), key=lambda m: m.name)

    @property
    def municipality_ids(self) -> set[int]:
        return {self.host_municipality_id} | self.visiting_ids

    def involves_id(self, municipality_id: int | None) -> bool:
        return municipality_id is not None and municipality_id in self.municipality_ids

    # Who reads the translatable texts (purpose, lessons) through any path, the translators' queue
    # included: the host and the visiting municipalities, as on the visit's page (can_view_details).
    @classmethod
    def content_readable_criteria(cls, municipality_id: int):
        return cls.involves(municipality_id)

    def content_readable_by(self, municipality_id: int | None) -> bool:
        return self.involves_id(municipality_id)

    @property
    def status_enum(self) -> VisitStatus:
        return VisitStatus(self.status)

    @property
    def themes(self) -> list:
        return [link.theme for link in self.theme_links]

    @property
    def projects(self) -> list:
        # A linked project the reader may not see (another municipality's draft) loads as None.
        return [link.project for link in self.project_links if link.project is not None]

    @property
    def starts_at(self) -> dt.datetime | None:
        """Aware start in the host's zone, or None for an all-day start."""
        return _aware(self.start_date, self.start_time, self.timezone)

    @property
    def ends_at(self) -> dt.datetime | None:
        return _aware(self.end_date, self.end_time, self.timezone)

    def days(self) -> list[dt.date]:
        return [self.start_date + dt.timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    def __repr__(self) -> str:
        return f"<Visit {self.id} {self.start_date}>"


def _aware(day: dt.date, time: dt.time | None, zone: str) -> dt.datetime | None:
    import zoneinfo
    if time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))


class VisitText(ContentTextMixin, Base):
    """Purpose and lessons learned, per language (the shared content mechanism of exchange.i18n)."""

    __tablename__ = "visit_texts"
    __table_args__ = (UniqueConstraint("owner_id", "field", "locale"),)

    owner_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    owner: Mapped[Visit] = relationship(back_populates="texts")


class VisitMunicipality(Base):
    """A visiting municipality of a visit (the host is on the visit itself)."""

    __tablename__ = "visit_municipalities"
    __tenancy__ = CHILD
    tenancy_parent = "visit"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                 primary_key=True, index=True)

    visit: Mapped[Visit] = relationship(back_populates="visiting_links")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)


class AgendaItem(Base):
    """One item of the programme: when (a day of the visit, optional times), what, where."""

    __tablename__ = "visit_agenda_items"
    __tenancy__ = CHILD
    tenancy_parent = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200), default="")
    # The language the item was written in, for lang="…" (programme items are not translated).
    lang: Mapped[str] = mapped_column(String(10))

    visit: Mapped[Visit] = relationship(back_populates="agenda_items")


class Participant(TimestampMixin, Base):
    """A person taking part: personal data, kept minimal (DESIGN §6). Erasure blanks the name but keeps
    the row, so counts and organisations stay right."""

    __tablename__ = "visit_participants"
    __tenancy__ = CHILD
    tenancy_parent = "visit"
    __table_args__ = (Index(None, "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str | None] = mapped_column(String(120))
    name_key: Mapped[str | None] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(120), default="")
    anonymised_at: Mapped[dt.datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="participants")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class Cost(Base):
    """A cost of the visit in its own currency (never summed across currencies)."""

    __tablename__ = "visit_costs"
    __tenancy__ = CHILD
    tenancy_parent = "visit"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))  # who pays
    category: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(200), default="")
    # The funding line of a linked project that pays for it, when there is one.
    funding_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_funding_lines.id", ondelete="SET NULL"), index=True)

    visit: Mapped[Visit] = relationship(back_populates="costs")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    funding_line = relationship("FundingLine")

    @property
    def category_enum(self) -> CostCategory:
        return CostCategory(self.category)


class FollowUp(TimestampMixin, Base):
    """A follow-up action after the visit: what, who owns it, by when, open or done."""

    __tablename__ = "visit_follow_ups"
    __tenancy__ = CHILD
    tenancy_parent = "visit"
    __table_args__ = (Index(None, "status", "due_date"), Index(None, "owner_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(500))
    # The owner is a person's name (personal data: exported and erased with the participant's name).
    owner: Mapped[str] = mapped_column(String(120), default="")
    owner_key: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=FollowUpStatus.OPEN.value)
    done_at: Mapped[dt.datetime | None]
    lang: Mapped[str] = mapped_column(String(10))

    visit: Mapped[Visit] = relationship(back_populates="follow_ups")

    @property
    def is_done(self) -> bool:
        return self.status == FollowUpStatus.DONE.value

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and self.due_date is not None and self.due_date < today


class VisitTheme(Base):
    """A theme of the global taxonomy (exchange.themes) that the visit was about."""

    __tablename__ = "visit_themes"
    __tenancy__ = CHILD
    tenancy_parent = "visit"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True,
                                          index=True)

    visit: Mapped[Visit] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class VisitProject(Base):
    """A joint development project (exchange.projects) linked to the visit."""

    __tablename__ = "visit_projects"
    __tenancy__ = CHILD
    tenancy_parent = "visit"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)

    visit: Mapped[Visit] = relationship(back_populates="project_links")
    project = relationship("Project")


# --- per-municipality settings and calendar feeds ------------------------------------------

DEFAULT_RETENTION_YEARS = 5


class VisitSettings(TenantOwned, Base):
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


__all__ = ["Visit", "VisitText", "VisitMunicipality", "AgendaItem", "Participant", "Cost", "FollowUp",
           "VisitTheme", "VisitProject", "VisitSettings", "CalendarFeed", "VisitStatus", "CostCategory",
           "FollowUpStatus", "person_key"]
