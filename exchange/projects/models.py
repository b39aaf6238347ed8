"""Joint development projects (issue 3): the heart of the platform.

A project is *shared* (DESIGN.md §3, §4): its lead municipality sees it from the first draft; every
municipality of the network sees it once it has been proposed. Everything hanging off a project (texts,
themes, priority areas, sustainability, milestones, funding lines, contacts, comments, history,
participations) is a *child*, scoped through the project.

People are stored by name and municipality on rows that other municipalities read (comments, history,
contribution texts): users are tenant-owned, so a Kungälv reader could not load a Perano user row.
"""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, str120, utcnow
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.tenancy import CHILD, SHARED

MONEY = Numeric(14, 2)
HOURS = Numeric(10, 2)


# --- enumerations and their translated labels ------------------------------------------------

class ProjectStatus(str, enum.Enum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    ProjectStatus.DRAFT: _l("Draft"),
    ProjectStatus.PROPOSED: _l("Proposed (seeking partners)"),
    ProjectStatus.ACTIVE: _l("Active"),
    ProjectStatus.COMPLETED: _l("Completed"),
    ProjectStatus.WITHDRAWN: _l("Withdrawn"),
}

# The lifecycle: draft → proposed → active → completed, or withdrawn from any open state.
TRANSITIONS: dict[ProjectStatus, tuple[ProjectStatus, ...]] = {
    ProjectStatus.DRAFT: (ProjectStatus.PROPOSED, ProjectStatus.WITHDRAWN),
    ProjectStatus.PROPOSED: (ProjectStatus.ACTIVE, ProjectStatus.WITHDRAWN),
    ProjectStatus.ACTIVE: (ProjectStatus.COMPLETED, ProjectStatus.WITHDRAWN),
    ProjectStatus.COMPLETED: (),
    ProjectStatus.WITHDRAWN: (),
}
# Other municipalities may join (by invitation or request) while the project is open for partners.
OPEN_FOR_PARTNERS = (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE)
CLOSED = (ProjectStatus.COMPLETED, ProjectStatus.WITHDRAWN)


class PriorityArea(str, enum.Enum):
    """The priority areas of Kungälv's international policy."""
    OWN_OPERATIONS = "own_operations"
    GROWTH = "growth"
    MONITORING = "monitoring"

    @property
    def label(self) -> str:
        return str(AREA_LABELS[self])


AREA_LABELS = {
    PriorityArea.OWN_OPERATIONS: _l("Developing the municipality's own operations"),
    PriorityArea.GROWTH: _l("Growth and business development"),
    PriorityArea.MONITORING: _l("External monitoring"),
}


class Dimension(str, enum.Enum):
    """The three dimensions of sustainability."""
    ECOLOGICAL = "ecological"
    SOCIAL = "social"
    ECONOMIC = "economic"

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS[self])


DIMENSION_LABELS = {
    Dimension.ECOLOGICAL: _l("Ecological sustainability"),
    Dimension.SOCIAL: _l("Social sustainability"),
    Dimension.ECONOMIC: _l("Economic sustainability"),
}


class FundingSource(str, enum.Enum):
    EU_LEADER = "eu_leader"
    EU_INTERREG = "eu_interreg"
    EU_ERASMUS = "eu_erasmus"
    EU_CERV = "eu_cerv"
    EU_ERDF = "eu_erdf"
    EU_ESF = "eu_esf"
    EU_OTHER = "eu_other"
    NATIONAL = "national"
    MUNICIPAL = "municipal"
    PRIVATE_MONEY = "private_money"
    VOLUNTARY_WORK = "voluntary_work"

    @property
    def label(self) -> str:
        return str(SOURCE_LABELS[self])

    @property
    def category(self) -> FundingCategory:
        if self.value.startswith("eu_"):
            return FundingCategory.EU
        return FundingCategory(self.value)


SOURCE_LABELS = {
    FundingSource.EU_LEADER: _l("EU: LEADER (EAFRD)"),
    FundingSource.EU_INTERREG: _l("EU: Interreg"),
    FundingSource.EU_ERASMUS: _l("EU: Erasmus+"),
    FundingSource.EU_CERV: _l("EU: CERV town twinning"),
    FundingSource.EU_ERDF: _l("EU: ERDF"),
    FundingSource.EU_ESF: _l("EU: ESF+"),
    FundingSource.EU_OTHER: _l("EU: other programme"),
    FundingSource.NATIONAL: _l("National or state funding"),
    FundingSource.MUNICIPAL: _l("Municipal funding"),
    FundingSource.PRIVATE_MONEY: _l("Private funding (money)"),
    FundingSource.VOLUNTARY_WORK: _l("Private funding (voluntary work)"),
}


class FundingCategory(str, enum.Enum):
    """What co-financing shares are computed over (within one currency)."""
    EU = "eu"
    NATIONAL = "national"
    MUNICIPAL = "municipal"
    PRIVATE_MONEY = "private_money"
    VOLUNTARY_WORK = "voluntary_work"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    FundingCategory.EU: _l("EU"),
    FundingCategory.NATIONAL: _l("National or state"),
    FundingCategory.MUNICIPAL: _l("Municipal"),
    FundingCategory.PRIVATE_MONEY: _l("Private money"),
    FundingCategory.VOLUNTARY_WORK: _l("Voluntary work"),
}


class ParticipationStatus(str, enum.Enum):
    INVITED = "invited"      # the lead asked; the invited municipality's coordinator answers
    REQUESTED = "requested"  # the municipality asked; the lead's coordinator answers
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(PARTICIPATION_LABELS[self])


PARTICIPATION_LABELS = {
    ParticipationStatus.INVITED: _l("Invited"),
    ParticipationStatus.REQUESTED: _l("Asked to join"),
    ParticipationStatus.ACCEPTED: _l("Participating"),
    ParticipationStatus.DECLINED: _l("Declined"),
}


# --- the project -------------------------------------------------------------------------------

class Project(Translatable, TimestampMixin, Base):
    __tablename__ = "projects"
    __tenancy__ = SHARED
    tenancy_owner = "lead_municipality_id"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
        Index(None, "status", "updated_at"),
    )
    TRANSLATABLE_FIELDS = ("title", "summary", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                      index=True)
    status: Mapped[str] = mapped_column(String(12), default=ProjectStatus.DRAFT.value)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # Set once, when the project is first proposed: from then on the whole network sees it, even after
    # it is withdrawn. A draft withdrawn before it was ever proposed stays private to its lead.
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_name: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    lead = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[ProjectText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                    order_by="ProjectText.id")
    theme_links: Mapped[list[ProjectTheme]] = relationship(back_populates="project",
                                                           cascade="all, delete-orphan")
    area_rows: Mapped[list[ProjectPriorityArea]] = relationship(back_populates="project",
                                                                cascade="all, delete-orphan")
    sustainability: Mapped[list[ProjectSustainability]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectSustainability.dimension")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="(Milestone.due_date, Milestone.id)")
    funding_lines: Mapped[list[FundingLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="FundingLine.id")
    contacts: Mapped[list[ProjectContact]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectContact.id")
    comments: Mapped[list[ProjectComment]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectComment.id")
    events: Mapped[list[ProjectEvent]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectEvent.id")
    participations: Mapped[list[ProjectParticipation]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectParticipation.id")

    @classmethod
    def tenancy_criteria(cls, municipality_id: int):
        """The lead always sees its project; everyone sees it once it has been proposed."""
        return or_(cls.lead_municipality_id == municipality_id, cls.published_at.is_not(None))

    @property
    def status_enum(self) -> ProjectStatus:
        return ProjectStatus(self.status)

    @property
    def themes(self) -> list:
        return [link.theme for link in self.theme_links]

    @property
    def priority_areas(self) -> list[PriorityArea]:
        return sorted((PriorityArea(r.area) for r in self.area_rows), key=list(PriorityArea).index)

    def participation_of(self, municipality_id: int) -> ProjectParticipation | None:
        return next((p for p in self.participations if p.municipality_id == municipality_id), None)

    @property
    def participants(self) -> list[ProjectParticipation]:
        """Accepted participations (the municipalities working on the project besides the lead)."""
        return [p for p in self.participations if p.status == ParticipationStatus.ACCEPTED.value]

    def involves(self, municipality_id: int) -> bool:
        """Lead or accepted participant."""
        if municipality_id == self.lead_municipality_id:
            return True
        participation = self.participation_of(municipality_id)
        return participation is not None and participation.status == ParticipationStatus.ACCEPTED.value

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.status}>"


class ProjectText(ContentTextMixin, Base):
    """Title, summary and description in each language (the shared i18n mechanism)."""

    __tablename__ = "project_texts"
    __table_args__ = (UniqueConstraint("project_id", "field", "locale"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    owner: Mapped[Project] = relationship(back_populates="texts")


class ProjectTheme(Base):
    __tablename__ = "project_themes"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "theme_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)

    project: Mapped[Project] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class ProjectPriorityArea(Base):
    __tablename__ = "project_priority_areas"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "area"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)

    project: Mapped[Project] = relationship(back_populates="area_rows")


class ProjectSustainability(Base):
    """One sustainability dimension the project serves, with a short rationale in the author's language."""

    __tablename__ = "project_sustainability"
    __tenancy__ = CHILD
    tenancy_parent = "project"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(10))  # the language the rationale is written in

    project: Mapped[Project] = relationship(back_populates="sustainability")

    @property
    def dimension_enum(self) -> Dimension:
        return Dimension(self.dimension)


class Milestone(Base):
    __tablename__ = "project_milestones"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)

    project: Mapped[Project] = relationship(back_populates="milestones")


class FundingLine(Base):
    """One line of the funding plan, contributed by the lead or by a participating municipality.

    Voluntary work is entered as hours × an hourly value; ``amount`` then holds their product, so totals
    and shares treat it like money of the same currency.
    """

    __tablename__ = "project_funding_lines"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index(None, "project_id"),
        Index(None, "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    # Whose contribution this line is (the lead or a participant): decides who may change it.
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    hours: Mapped[Decimal | None] = mapped_column(HOURS)
    hourly_value: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str] = mapped_column(String(200), default="")
    note_locale: Mapped[str | None] = mapped_column(String(10))

    project: Mapped[Project] = relationship(back_populates="funding_lines")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)

    @property
    def source_enum(self) -> FundingSource:
        return FundingSource(self.source)


class ProjectContact(Base):
    """A contact person of one municipality for the project. Personal data: shown to signed-in users only,
    never exported."""

    __tablename__ = "project_contacts"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str120]
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    project: Mapped[Project] = relationship(back_populates="contacts")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)


class ProjectComment(TimestampMixin, Base):
    """A plain-text comment, shown to everyone who sees the project, with the language it is written in."""

    __tablename__ = "project_comments"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None]  # a user of author_municipality (not a relationship: users are tenant-owned)
    author_name: Mapped[str120]
    author_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    locale: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="comments")
    author_municipality = relationship("Municipality", lazy="joined", innerjoin=True)


class ProjectEvent(TimestampMixin, Base):
    """The project's history, visible on the project: status changes, joining, and edits."""

    __tablename__ = "project_events"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (Index(None, "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    # The municipality the event is about (invited, joined, …), when there is one.
    subject_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                           ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_locale: Mapped[str | None] = mapped_column(String(10))
    actor_name: Mapped[str | None] = mapped_column(String(120))
    actor_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                         ondelete="RESTRICT"))

    project: Mapped[Project] = relationship(back_populates="events")
    actor_municipality = relationship("Municipality", foreign_keys=[actor_municipality_id], lazy="joined")
    subject_municipality = relationship("Municipality", foreign_keys=[subject_municipality_id], lazy="joined")

    @property
    def from_label(self) -> str:
        return ProjectStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return ProjectStatus(self.to_status).label if self.to_status else ""


class ProjectParticipation(Translatable, TimestampMixin, Base):
    """Another municipality's part in a project: invited, asked to join, accepted or declined.

    An accepted participation carries the municipality's own contribution text (translatable).
    """

    __tablename__ = "project_participations"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (UniqueConstraint("project_id", "municipality_id"), Index(None, "municipality_id", "status"))
    TRANSLATABLE_FIELDS = ("contribution",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(12))
    message: Mapped[str] = mapped_column(Text, default="")  # why we invite you / why we want to join
    message_locale: Mapped[str | None] = mapped_column(String(10))
    decided_at: Mapped[dt.datetime | None]
    contribution_updated_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    project: Mapped[Project] = relationship(back_populates="participations")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[ParticipationText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                          order_by="ParticipationText.id")

    @property
    def status_enum(self) -> ParticipationStatus:
        return ParticipationStatus(self.status)


class ParticipationText(ContentTextMixin, Base):
    """A participating municipality's own contribution text, in each language."""

    __tablename__ = "project_participation_texts"
    __table_args__ = (UniqueConstraint("participation_id", "field", "locale"),)

    participation_id: Mapped[int] = mapped_column(ForeignKey("project_participations.id", ondelete="CASCADE"))
    owner: Mapped[ProjectParticipation] = relationship(back_populates="texts")
