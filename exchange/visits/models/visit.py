"""The visit itself and its links: visiting municipalities, themes, linked projects, texts.

Visibility: see the package docstring (exchange.visits.models).
"""
from __future__ import annotations

import datetime as dt
import enum
import zoneinfo

from flask_babel import lazy_pgettext
from sqlalchemy import (CheckConstraint, Date, ForeignKey, Index, String, Time, UniqueConstraint, and_, event, false,
                        func, or_, select)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from exchange.db import Base, TimestampMixin, Versioned, utcnow
from exchange.i18n.search import per_row_exists, searchable
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.listparams import among_selected
from exchange.tenancy import CHILD, SHARED


class LabelledEnum(str, enum.Enum):
    """A value stored as text, with a translated label: each enumeration's ``LABELS`` (set below it)."""

    @property
    def label(self) -> str:
        return str(type(self).LABELS[self])


class VisitStatus(LabelledEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


STATUS_LABELS = VisitStatus.LABELS = {
    # With a context: "Completed" is also a project status, and a visit (sv: besöket, it: la visita)
    # takes other word forms than a project.
    VisitStatus.PLANNED: lazy_pgettext("visit status", "Planned"),
    VisitStatus.CONFIRMED: lazy_pgettext("visit status", "Confirmed"),
    VisitStatus.COMPLETED: lazy_pgettext("visit status", "Completed"),
    VisitStatus.CANCELLED: lazy_pgettext("visit status", "Cancelled"),
}


# --- the visit -----------------------------------------------------------------------------

class Visit(Translatable, TimestampMixin, Versioned, Base):
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
        # the calendar ranks a month's visits by start_time from the index alone (queries.calendar_visits)
        Index(None, "start_date", "end_date", "start_time"),
        # the dashboard's "did these visits take place?" walks the past visits of one status oldest first
        Index(None, "status", "end_date"),
        # The list's order (newest first: read backwards) and its first page without sorting every visit.
        Index(None, "start_date", "start_time", "id"),
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
    # Its coordinators publish the lessons learned on the public pages (issue 17; approved texts only).
    lessons_public: Mapped[bool] = mapped_column(default=False, server_default=false())

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
    def involves(cls, municipality_id: int, few: bool = False):
        """SQL: the municipality is the host or one of the visitors. Two shapes of the same condition
        (issue 12); ``queries.involving`` chooses by how many visits the municipality has:

        - ``few``: the visit is one of the municipality's own (``ids_involving``), read once from the
          index of hosts and the index of visitors (``listparams.among_selected``). A list then reads
          those few and sorts them, where testing each visit it walks would walk the whole network to
          find a small town's visits (its lessons: 0.2 s at 100 000 visits).
        - otherwise a test on each visit the statement walks: the host column, then one probe of the
          visitors' index. A list of a municipality with many visits stops after a page. On PostgreSQL
          the probe is kept per row (``per_row_exists``): as a plain EXISTS the planner first hashed all
          the municipality's visiting links, 20 000 at 100 000 visits, in every statement."""
        if few:
            return among_selected(cls.id, cls.ids_involving(municipality_id))
        return or_(cls.host_municipality_id == municipality_id,
                   per_row_exists(select(VisitMunicipality.visit_id).where(
                       VisitMunicipality.visit_id == cls.id, VisitMunicipality.municipality_id == municipality_id)))

    @classmethod
    def ids_involving(cls, municipality_id: int):
        """A select of the ids of the visits the municipality hosts or visits, read from the index of hosts
        and the index of visitors. The hosts' side reads an alias of the visits: usable inside a statement
        over the visits themselves, where the table would be taken for the outer one."""
        hosted = aliased(cls)
        return (select(hosted.id).where(hosted.host_municipality_id == municipality_id)
                .union_all(select(VisitMunicipality.visit_id).where(VisitMunicipality.municipality_id == municipality_id)))

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
    # Shaped by how many visits the municipality has (queries.involving: a small town's own visits read
    # from its indexes).
    @classmethod
    def content_readable_criteria(cls, municipality_id: int):
        from exchange.visits.queries import involving  # the queries import this module
        return involving(municipality_id)

    @classmethod
    def content_readable_ids(cls, municipality_id: int):
        return cls.ids_involving(municipality_id) if cls.content_reading_shape(municipality_id) else None

    @classmethod
    def content_reading_shape(cls, municipality_id: int) -> bool:
        from exchange.visits.queries import has_few_visits
        return has_few_visits(municipality_id)

    def content_readable_by(self, municipality_id: int | None) -> bool:
        return self.involves_id(municipality_id)

    # What the public sees (issue 17): visits that took place, with dates, places and themes, and their
    # lessons learned when marked public; never names. Every public path asks these forms of one rule.
    # A visit saved as completed before its first day (allowed before issue 14) is not one that took place.
    @classmethod
    def public_criteria(cls):
        return and_(cls.status == VisitStatus.COMPLETED.value, cls.start_date <= dt.date.today())

    @property
    def is_public(self) -> bool:
        return self.status == VisitStatus.COMPLETED.value and self.start_date <= dt.date.today()

    # Still planned or confirmed after its last day: its coordinators should say whether it took place.
    OPEN_STATUSES = ("planned", "confirmed")

    @classmethod
    def needs_closing_criteria(cls, today: dt.date):
        return and_(cls.status.in_(cls.OPEN_STATUSES), cls.end_date < today)

    def needs_closing(self, today: dt.date) -> bool:
        return self.status in self.OPEN_STATUSES and self.end_date < today

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
    if time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))


class VisitText(ContentTextMixin, Base):
    """Purpose and lessons learned, per language (the shared content mechanism of exchange.i18n)."""

    __tablename__ = "visit_texts"
    __table_args__ = (UniqueConstraint("owner_id", "field", "locale"),
                      # the translators' queue walks source texts oldest first (issue 12)
                      Index(None, "status", "updated_at", "id"))

    owner_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    owner: Mapped[Visit] = relationship(back_populates="texts")


searchable(VisitText.__table__)  # the lessons learned search (issue 12)


# --- the longest visit -----------------------------------------------------------------------------
# The calendar asks which visits are under way in a month, so it must look back from the month's first
# day as far as a visit can last. The longest visit of the network is read from the end of an index of the
# visits' lengths (queries.in_reach_of), in microseconds at any size: the calendar then reads the visits of
# those few days before the month, not those of the 366 days a visit may last (issue 12).
# The length is an expression over the two date columns, indexed as each database writes it (SQLite keeps
# dates as ISO text; PostgreSQL subtracts dates into days). The index lives outside the models, like the
# search indexes: SQLAlchemy's Index has no per-database expression (migrations/env.py skips "_expr").
LENGTH_INDEX = "ix_visits_length_days_expr"
LENGTH_SQL = {"sqlite": "julianday(end_date) - julianday(start_date)", "postgresql": "(end_date - start_date)"}


def length_days(dialect_name: str):
    """The SQL expression of a visit's length in days that the index holds, as queries write it (each
    database matches it to the index's expression)."""
    visits = Visit.__table__  # the table's columns: the calendar's reads are Core selects (its queries.py)
    if dialect_name == "sqlite":
        return func.julianday(visits.c.end_date) - func.julianday(visits.c.start_date)
    return visits.c.end_date - visits.c.start_date


def length_index_ddl(dialect_name: str) -> str | None:
    """The CREATE INDEX of the visits' lengths on this database (None on another)."""
    expression = LENGTH_SQL.get(dialect_name)
    return expression and f"CREATE INDEX IF NOT EXISTS {LENGTH_INDEX} ON visits ({expression})"


@event.listens_for(Visit.__table__, "after_create")
def _create_length_index(target, connection, **_kw):
    statement = length_index_ddl(connection.dialect.name)
    if statement:
        connection.exec_driver_sql(statement)


class _VisitLink:
    """A row linking a visit to a municipality, a theme or a project: a child of the visit, reached only
    through it."""

    __tenancy__ = CHILD
    tenancy_parent = "visit"

    # The visit first, in the table and in its primary key (as the migrations made it): the key's index
    # then reads a batch of visits' links alone, without the rows (a mixin's columns come after the
    # class's own unless told otherwise).
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True,
                                          sort_order=-1)


class VisitMunicipality(_VisitLink, Base):
    """A visiting municipality of a visit (the host is on the visit itself)."""

    __tablename__ = "visit_municipalities"
    # The other way, the visits a municipality visits (Visit.involves, in every rule of who reads a visit's
    # details), read from this index alone: with the municipality alone, PostgreSQL fetched each of a big
    # municipality's 20 000 rows from the table for the visit's id (issue 12).
    __table_args__ = (Index(None, "municipality_id", "visit_id"),)

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                 primary_key=True)

    visit: Mapped[Visit] = relationship(back_populates="visiting_links")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)


class VisitTheme(_VisitLink, Base):
    """A theme of the global taxonomy (exchange.themes) that the visit was about."""

    __tablename__ = "visit_themes"

    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True,
                                          index=True)

    visit: Mapped[Visit] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class VisitProject(_VisitLink, Base):
    """A joint development project (exchange.projects) linked to the visit. A link to a project the
    reader cannot see (another municipality's draft) loads as None and is kept by every edit."""

    __tablename__ = "visit_projects"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)

    visit: Mapped[Visit] = relationship(back_populates="project_links")
    project = relationship("Project")
