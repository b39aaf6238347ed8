"""The project itself and the rows that describe it: its texts, themes, priority areas, sustainability.

A project is *shared* (DESIGN.md §3, §4): its lead municipality sees it from the first draft; every
municipality of the network sees it once it has been proposed. Everything hanging off a project is a
*child*, scoped through the project.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, and_, false, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin, Versioned, utcnow
from exchange.i18n.search import searchable
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.i18n.sorting import SORT_KEY_TYPE
from exchange.projects.models.enums import Dimension, ParticipationStatus, PriorityArea, ProjectStatus
from exchange.tenancy import CHILD, SHARED


class ProjectChild:
    """A row that hangs off a project (DESIGN.md §3: a *child*): scoped through it, deleted with it."""

    __tenancy__ = CHILD
    tenancy_parent = "project"


def _children(order_by: str | None = None):
    """The project's side of a child relationship: the rows go with the project."""
    return relationship(back_populates="project", cascade="all, delete-orphan", order_by=order_by)


class Project(Translatable, TimestampMixin, Versioned, Base):
    __tablename__ = "projects"
    __tenancy__ = SHARED
    tenancy_owner = "lead_municipality_id"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
        Index(None, "status", "updated_at"),
        # The most recently updated projects, network-wide and per lead, read in index order (a call's
        # fitting projects, its "link a project" choices): no sort of every project (issue 12).
        Index(None, "updated_at", "id"),
        Index(None, "lead_municipality_id", "updated_at", "id"),
    )
    TRANSLATABLE_FIELDS = ("title", "summary", "description")
    # The rationale of each sustainability dimension the project serves (``sustainability_<dimension>``),
    # written with the project's structure (see ProjectSustainability).
    EXTRA_TEXT_FIELDS = tuple(f"sustainability_{d.value}" for d in Dimension)
    SORT_FIELD = "title"

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
    created_by_name: Mapped[str | None] = mapped_column(String(Len.NAME))
    # The lead's coordinators publish the project on the public pages and the open data (issue 17):
    # only its approved texts, never contacts or personal data. ``public_at``: when it was last published.
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    public_at: Mapped[dt.datetime | None]

    lead = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[ProjectText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                    order_by="ProjectText.id")
    sort_keys: Mapped[list[ProjectSortKey]] = _children()
    # What describes the project
    theme_links: Mapped[list[ProjectTheme]] = _children()
    area_rows: Mapped[list[ProjectPriorityArea]] = _children()
    sustainability: Mapped[list[ProjectSustainability]] = _children("ProjectSustainability.dimension")
    # Its plan
    milestones: Mapped[list[Milestone]] = _children("(Milestone.due_date, Milestone.id)")
    funding_lines: Mapped[list[FundingLine]] = _children("FundingLine.id")
    contacts: Mapped[list[ProjectContact]] = _children("ProjectContact.id")
    # What was said and done, and who takes part
    comments: Mapped[list[ProjectComment]] = _children("ProjectComment.id")
    events: Mapped[list[ProjectEvent]] = _children("ProjectEvent.id")
    participations: Mapped[list[ProjectParticipation]] = _children("ProjectParticipation.id")

    @classmethod
    def tenancy_criteria(cls, municipality_id: int):
        """The lead always sees its project; everyone sees it once it has been proposed."""
        return or_(cls.lead_municipality_id == municipality_id, cls.published_at.is_not(None))

    # Who may read a project without signing in: every path that serves the public (pages, feeds, open
    # data, the API's anonymous requests) asks these two forms of one rule.
    PUBLIC_STATUSES = (ProjectStatus.PROPOSED.value, ProjectStatus.ACTIVE.value, ProjectStatus.COMPLETED.value)

    @classmethod
    def public_criteria(cls):
        """SQL: the lead marked the project public, and it is proposed, active or completed (never a draft,
        never withdrawn)."""
        return and_(cls.public.is_(True), cls.published_at.is_not(None), cls.status.in_(cls.PUBLIC_STATUSES))

    @property
    def is_public(self) -> bool:
        return bool(self.public) and self.published_at is not None and self.status in self.PUBLIC_STATUSES

    @classmethod
    def involving(cls, municipality_id: int):
        """SQL: the municipality leads the project or takes part in it (accepted)."""
        participation = cls.participations.property.mapper.class_
        return or_(cls.lead_municipality_id == municipality_id,
                   cls.participations.any(and_(participation.municipality_id == municipality_id,
                                               participation.status == ParticipationStatus.ACCEPTED.value)))

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
    __table_args__ = (UniqueConstraint("project_id", "field", "locale"),
                      # the translators' queue walks source texts oldest first (issue 12)
                      Index(None, "status", "updated_at", "id"))

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    owner: Mapped[Project] = relationship(back_populates="texts")


searchable(ProjectText.__table__)  # the list's search over every language version (issue 12)


def title_texts():
    """``Project.texts`` narrowed to the title rows, for a loader option (``selectinload(title_texts())``):
    what a list, a panel, a link or a notification shows of a project.

    Its summary and description, in each language, are most of a project's text: the dashboard read 254
    text rows for the 54 projects of its panels, and showed one in four (issue 12). The collection then
    holds the titles alone for the rest of the request (the session keeps what it loaded), so a page that
    shows more of a project loads it with ``Project.texts``."""
    return Project.texts.and_(ProjectText.field == "title")


class ProjectSortKey(ProjectChild, Base):
    """The title's sort key for the readers of one locale (exchange.i18n.sorting): the key of the title
    they see (their language, else the original), one row per configured locale, so the list sorted by
    title is read in index order (``ORDER BY key, project_id``) rather than sorted whole (issue 12)."""

    __tablename__ = "project_sort_keys"
    __table_args__ = (Index(None, "locale", "key", "project_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(SORT_KEY_TYPE)

    project: Mapped[Project] = relationship(back_populates="sort_keys")


class ProjectTheme(ProjectChild, Base):
    __tablename__ = "project_themes"
    # (theme_id, project_id): the newest projects of a theme, read in index order (suggestions for an
    # organisation: issue 12).
    __table_args__ = (Index(None, "theme_id"), Index(None, "theme_id", "project_id"))

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)

    project: Mapped[Project] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class ProjectPriorityArea(ProjectChild, Base):
    __tablename__ = "project_priority_areas"
    __table_args__ = (Index(None, "area"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)

    project: Mapped[Project] = relationship(back_populates="area_rows")


class ProjectSustainability(ProjectChild, Versioned, Base):
    """One sustainability dimension the project serves. Its short rationale is a text of the project
    (``sustainability_<dimension>`` in ProjectText), so it has a source language and translations."""

    __tablename__ = "project_sustainability"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)

    project: Mapped[Project] = relationship(back_populates="sustainability")

    @property
    def text_field(self) -> str:
        """The project's text field holding this dimension's rationale."""
        return f"sustainability_{self.dimension}"

    @property
    def rationale(self) -> str:
        """The rationale as its author wrote it."""
        return self.project.source_text(self.text_field)

    @property
    def dimension_enum(self) -> Dimension:
        return Dimension(self.dimension)
