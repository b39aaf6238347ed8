"""What hangs off a project (DESIGN.md §3: *children*, reached only through their project): the plan
(milestones, funding lines, contact people), the discussion and history, and the participations of
other municipalities.

People are stored by name and municipality on rows that other municipalities read (comments, history,
contribution texts): users are tenant-owned, so a Kungälv reader could not load a Perano user row.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from exchange.db import Base, Len, TimestampMixin, Versioned, person_key, str120
from exchange.i18n.models import ChildContent, ContentTextMixin, Translatable
from exchange.projects.models.enums import FundingSource, ParticipationStatus, ProjectStatus
from exchange.projects.models.project import Project, ProjectChild

MONEY = Numeric(14, 2)
HOURS = Numeric(10, 2)


class _ProjectContent(ChildContent):
    """A child of a project with texts of its own: read wherever the project's texts are read."""

    content_parent = "project"


def _text_rows(name: str):
    # Loaded with their owners (one query per list of owners), since every page shows them.
    return relationship(back_populates="owner", cascade="all, delete-orphan", order_by=f"{name}.id",
                        lazy="selectin")


class Milestone(ProjectChild, _ProjectContent, Versioned, Base):
    __tablename__ = "project_milestones"
    __table_args__ = (Index(None, "project_id"),)
    TRANSLATABLE_FIELDS = ("title",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)

    project: Mapped[Project] = relationship(back_populates="milestones")
    texts: Mapped[list[MilestoneText]] = _text_rows("MilestoneText")

    @property
    def title(self) -> str:
        return self.source_text("title")


class MilestoneText(ContentTextMixin, Base):
    """A milestone's title in each language."""

    __tablename__ = "project_milestone_texts"
    __table_args__ = (UniqueConstraint("milestone_id", "field", "locale"),)

    milestone_id: Mapped[int] = mapped_column(ForeignKey("project_milestones.id", ondelete="CASCADE"))
    owner: Mapped[Milestone] = relationship(back_populates="texts")


class FundingLine(ProjectChild, _ProjectContent, Versioned, Base):
    """One line of the funding plan, contributed by the lead or by a participating municipality.

    Voluntary work is entered as hours × an hourly value; ``amount`` then holds their product, so totals
    and shares treat it like money of the same currency.
    """

    __tablename__ = "project_funding_lines"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index(None, "project_id"),
        Index(None, "source"),
    )
    TRANSLATABLE_FIELDS = ("note",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    # Whose contribution this line is (the lead or a participant): decides who may change it.
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    hours: Mapped[Decimal | None] = mapped_column(HOURS)
    hourly_value: Mapped[Decimal | None] = mapped_column(MONEY)

    project: Mapped[Project] = relationship(back_populates="funding_lines")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[FundingLineText]] = _text_rows("FundingLineText")

    @property
    def note(self) -> str:
        return self.source_text("note")

    @property
    def source_enum(self) -> FundingSource:
        return FundingSource(self.source)


class FundingLineText(ContentTextMixin, Base):
    """A funding line's note in each language."""

    __tablename__ = "project_funding_line_texts"
    __table_args__ = (UniqueConstraint("line_id", "field", "locale"),)

    # Not "funding_line_id": the foreign key's conventional name would pass PostgreSQL's 63 characters.
    line_id: Mapped[int] = mapped_column(ForeignKey("project_funding_lines.id", ondelete="CASCADE"))
    owner: Mapped[FundingLine] = relationship(back_populates="texts")


class ProjectContact(ProjectChild, _ProjectContent, Versioned, Base):
    """A contact person of one municipality for the project. Personal data: shown to signed-in users only,
    never exported. The role is a translatable text (the name, e-mail and phone are not)."""

    __tablename__ = "project_contacts"
    __table_args__ = (Index(None, "project_id"), Index(None, "name_key"))
    TRANSLATABLE_FIELDS = ("role",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str120]
    email: Mapped[str] = mapped_column(String(Len.EMAIL), default="")
    phone: Mapped[str] = mapped_column(String(Len.PHONE), default="")
    # The name as the personal-data tool finds it (exchange.db.person_key), kept by the model itself.
    name_key: Mapped[str] = mapped_column(String(Len.NAME), default="", server_default="")

    project: Mapped[Project] = relationship(back_populates="contacts")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[ProjectContactText]] = _text_rows("ProjectContactText")

    @validates("name")
    def _keep_name_key(self, _attribute: str, name: str) -> str:
        self.name_key = person_key(name)
        return name

    @property
    def role(self) -> str:
        return self.source_text("role")


class ProjectContactText(ContentTextMixin, Base):
    """A project contact's role in each language."""

    __tablename__ = "project_contact_texts"
    __table_args__ = (UniqueConstraint("contact_id", "field", "locale"),)

    contact_id: Mapped[int] = mapped_column(ForeignKey("project_contacts.id", ondelete="CASCADE"))
    owner: Mapped[ProjectContact] = relationship(back_populates="texts")


class ProjectComment(ProjectChild, _ProjectContent, TimestampMixin, Base):
    """A plain-text comment, shown to everyone who sees the project. Its body is a text of the shared
    mechanism (source language, translations), whose translation is optional."""

    __tablename__ = "project_comments"
    __table_args__ = (Index(None, "project_id", "created_at"),)
    TRANSLATABLE_FIELDS = ("body",)
    OPTIONAL_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None]  # a user of author_municipality (not a relationship: users are tenant-owned)
    author_name: Mapped[str120]
    author_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))

    project: Mapped[Project] = relationship(back_populates="comments")
    author_municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[CommentText]] = _text_rows("CommentText")

    @property
    def body(self) -> str:
        return self.source_text("body")


class CommentText(ContentTextMixin, Base):
    """A comment's body in each language (the original and optional translations)."""

    __tablename__ = "project_comment_texts"
    __table_args__ = (UniqueConstraint("comment_id", "field", "locale"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("project_comments.id", ondelete="CASCADE"))
    owner: Mapped[ProjectComment] = relationship(back_populates="texts")


class ProjectEvent(ProjectChild, _ProjectContent, TimestampMixin, Base):
    """The project's history, visible on the project: status changes, joining, and edits. The reason given
    for a change (why a municipality withdraws) is a text of the shared mechanism: the partners read it."""

    __tablename__ = "project_events"
    __table_args__ = (Index(None, "project_id", "created_at"),)
    TRANSLATABLE_FIELDS = ("reason",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    # The municipality the event is about (invited, joined, …), when there is one.
    subject_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                           ondelete="RESTRICT"))
    actor_name: Mapped[str | None] = mapped_column(String(Len.NAME))
    actor_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                         ondelete="RESTRICT"))

    project: Mapped[Project] = relationship(back_populates="events")
    actor_municipality = relationship("Municipality", foreign_keys=[actor_municipality_id], lazy="joined")
    subject_municipality = relationship("Municipality", foreign_keys=[subject_municipality_id], lazy="joined")
    texts: Mapped[list[ProjectEventText]] = _text_rows("ProjectEventText")

    @property
    def reason(self) -> str:
        return self.source_text("reason")

    @property
    def from_label(self) -> str:
        return ProjectStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return ProjectStatus(self.to_status).label if self.to_status else ""


class ProjectEventText(ContentTextMixin, Base):
    """The reason given for a change of the project (a withdrawal) in each language."""

    __tablename__ = "project_event_texts"
    __table_args__ = (UniqueConstraint("event_id", "field", "locale"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("project_events.id", ondelete="CASCADE"))
    owner: Mapped[ProjectEvent] = relationship(back_populates="texts")


class ProjectParticipation(ProjectChild, Translatable, TimestampMixin, Versioned, Base):
    """Another municipality's part in a project: invited, asked to join, accepted or declined.

    An accepted participation carries the municipality's own contribution text (translatable); the
    message of an invitation or a request to join is translatable too, optionally.
    """

    __tablename__ = "project_participations"
    # The dashboard's to-do lists read these indexes in their order, oldest first, and stop at a few rows
    # (issue 12): the invitations a municipality has to answer, and the requests its projects have to decide.
    __table_args__ = (UniqueConstraint("project_id", "municipality_id"),
                      Index(None, "municipality_id", "status", "created_at", "id"),
                      Index("ix_project_participations_lead_status_created", "lead_municipality_id", "status",
                            "created_at", "id"))  # named: the conventional name is too long for PostgreSQL
    TRANSLATABLE_FIELDS = ("contribution",)
    EXTRA_TEXT_FIELDS = ("message",)  # why we invite you / why we want to join
    OPTIONAL_FIELDS = ("message",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    # A copy of the project's lead, filled on every insert (_copy_parents; NULL-able only so that the migration
    # need not rebuild the table). A lead never changes: the owner of a row cannot move (exchange.tenancy).
    # "Requests to my projects, oldest first" filtered on the project and sorted on the participation read
    # every request of a big town before keeping ten (issue 12).
    lead_municipality_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12))
    decided_at: Mapped[dt.datetime | None]
    contribution_updated_at: Mapped[dt.datetime | None]

    project: Mapped[Project] = relationship(back_populates="participations")
    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[ParticipationText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                          order_by="ParticipationText.id")

    @property
    def status_enum(self) -> ParticipationStatus:
        return ParticipationStatus(self.status)

    @property
    def message(self) -> str:
        return self.source_text("message")


class ParticipationText(ContentTextMixin, Base):
    """A participating municipality's own contribution text and its invitation or join message, in each
    language."""

    __tablename__ = "project_participation_texts"
    __table_args__ = (UniqueConstraint("participation_id", "field", "locale"),
                      # the translators' queue walks source texts oldest first (issue 12)
                      Index(None, "status", "updated_at", "id"))

    participation_id: Mapped[int] = mapped_column(ForeignKey("project_participations.id", ondelete="CASCADE"))
    owner: Mapped[ProjectParticipation] = relationship(back_populates="texts")


@event.listens_for(ProjectParticipation, "before_insert")
def _copy_parents(mapper, connection, target: ProjectParticipation) -> None:
    """Fill the copy of the project's lead on insert, whichever code creates the row."""
    if target.lead_municipality_id is None:
        project = target.__dict__.get("project")
        projects = Project.__table__
        target.lead_municipality_id = project.lead_municipality_id if project is not None else connection.scalar(
            select(projects.c.lead_municipality_id).where(projects.c.id == target.project_id))
