"""What a project needs (partner needs) and its links with organisations (interest, invitations, partners).

Both are children of the project: whoever sees the project sees them.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin, Versioned, utcnow
from exchange.i18n.models import ChildContent, ContentTextMixin
from exchange.partners.models.kinds import (HOURS, MONEY, PENDING, ContributionKind, OrganisationType, Origin,
                                            PartnerRole, PartnershipStatus, member_of, owned_rows)
from exchange.partners.models.organisations import Organisation
from exchange.tenancy import CHILD

# --- what a project needs ------------------------------------------------------------------------

class PartnerNeed(TimestampMixin, Versioned, Base):
    """One kind of partner a project is looking for: themes, acceptable types, where from, and the role."""

    __tablename__ = "project_partner_needs"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (
        CheckConstraint(f"role IN ({PartnerRole.sql_in()})", name="role"),
        CheckConstraint(f"origin IN ({Origin.sql_in()})", name="origin"),
        Index(None, "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(12), default=Origin.ANY.value)
    origin_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                          ondelete="RESTRICT"))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project = relationship("Project")
    origin_municipality = relationship("Municipality", lazy="joined")
    theme_links: Mapped[list[PartnerNeedTheme]] = owned_rows("need")
    type_rows: Mapped[list[PartnerNeedType]] = owned_rows("need", "PartnerNeedType.type")

    role_enum = member_of(PartnerRole, "role")
    origin_enum = member_of(Origin, "origin")

    @property
    def themes(self) -> list:
        return sorted((link.theme for link in self.theme_links), key=lambda t: (t.position, t.id))

    @property
    def types(self) -> list[OrganisationType]:
        order = list(OrganisationType)
        return sorted((OrganisationType(r.type) for r in self.type_rows), key=order.index)


class _OfNeed:
    """A row of a need's child table whose primary key starts with the need's id; ``_listed_as`` names
    the need's collection of these rows."""

    __tenancy__ = CHILD
    tenancy_parent = "need"
    _listed_as: ClassVar[str]

    @declared_attr
    def need_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("project_partner_needs.id", ondelete="CASCADE"), primary_key=True,
                             sort_order=-1)

    @declared_attr
    def need(cls) -> Mapped[PartnerNeed]:
        return relationship(PartnerNeed, back_populates=cls._listed_as)


class PartnerNeedTheme(_OfNeed, Base):
    """A theme the needed partner should offer."""

    __tablename__ = "project_partner_need_themes"
    # (theme_id, need_id): the needs asking for a theme, most recently listed first, read in index order
    # (suggestions for an organisation: issue 12).
    __table_args__ = (Index(None, "theme_id"), Index(None, "theme_id", "need_id"))
    _listed_as = "theme_links"

    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class PartnerNeedType(_OfNeed, Base):
    """A type of organisation the need accepts."""

    __tablename__ = "project_partner_need_types"
    __table_args__ = (CheckConstraint(f"type IN ({OrganisationType.sql_in()})", name="type"),)
    _listed_as = "type_rows"

    type: Mapped[str] = mapped_column(String(30), primary_key=True)


# --- interest, invitations, partners -------------------------------------------------------------

class Partnership(ChildContent, TimestampMixin, Versioned, Base):
    """An organisation's relation to a project: interest expressed on its behalf, an invitation from the
    lead, or an accepted (or declined) partnership. One row per (project, organisation); a declined one
    may be reopened.

    People are stored by name and municipality (users are tenant-owned; both sides read this row). The
    message of an interest or an invitation and the reason given with the answer are texts of the shared
    mechanism, read wherever the project's texts are; their translation is optional (like a join message).
    """

    __tablename__ = "project_partnerships"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id"),
        CheckConstraint(f"status IN ({PartnershipStatus.sql_in()})", name="status"),
        CheckConstraint(f"role IN ({PartnerRole.sql_in()})", name="role"),
        CheckConstraint("contribution_amount IS NULL OR contribution_amount >= 0", name="amount_not_negative"),
        CheckConstraint("contribution_hours IS NULL OR contribution_hours >= 0", name="hours_not_negative"),
        Index(None, "organisation_id", "status"),
        Index(None, "status", "project_id"),
        # the dashboard's to-do lists, oldest first: interests in a town's projects, invitations to its
        # organisations (issue 12)
        # (named: the conventional names are too long for PostgreSQL)
        Index("ix_project_partnerships_lead_status_created", "lead_municipality_id", "status", "created_at", "id"),
        Index("ix_project_partnerships_org_status_created", "organisation_municipality_id", "status", "created_at",
              "id"),
    )
    TRANSLATABLE_FIELDS = ("message", "decision_reason")
    # Both optional: the message is a join-message-like note, and the decision reason is a sentence or two
    # written once, when the answer is given, never edited afterwards; the other side needs it in its
    # language now and then, but it must not wait in the translators' queue ahead of the project's own
    # texts (which the reader relies on).
    OPTIONAL_FIELDS = ("message", "decision_reason")
    content_parent = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # Copies of the project's lead and of the organisation's municipality (filled on insert; neither ever
    # changes), so each side's to-do list is read from one index instead of every link of the network.
    lead_municipality_id: Mapped[int | None]
    organisation_municipality_id: Mapped[int | None]
    need_id: Mapped[int | None] = mapped_column(ForeignKey("project_partner_needs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(20))
    contribution_kind: Mapped[str | None] = mapped_column(String(20))
    contribution_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    contribution_currency: Mapped[str | None] = mapped_column(String(3))
    contribution_hours: Mapped[Decimal | None] = mapped_column(HOURS)
    requested_by_name: Mapped[str | None] = mapped_column(String(Len.NAME))
    requested_by_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                                ondelete="RESTRICT"))
    decided_by_name: Mapped[str | None] = mapped_column(String(Len.NAME))
    decided_at: Mapped[dt.datetime | None]
    # The funding line the accepted contribution became (the lead adds it to the funding plan once).
    funding_line_id: Mapped[int | None] = mapped_column(ForeignKey("project_funding_lines.id", ondelete="SET NULL"))

    project = relationship("Project")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    need: Mapped[PartnerNeed | None] = relationship()
    requested_by_municipality = relationship("Municipality", lazy="joined")
    # Loaded with their owners (one query per list of links), since every page that lists them shows them.
    texts: Mapped[list[PartnershipText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                        order_by="PartnershipText.id", lazy="selectin")

    status_enum = member_of(PartnershipStatus, "status")
    role_enum = member_of(PartnerRole, "role")
    contribution_enum = member_of(ContributionKind, "contribution_kind")

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def message(self) -> str:
        return self.source_text("message")

    @property
    def decision_reason(self) -> str:
        return self.source_text("decision_reason")


class PartnershipText(ContentTextMixin, Base):
    """The message of an interest or an invitation, and the reason given with the answer, in each language
    (the original and optional translations)."""

    __tablename__ = "project_partnership_texts"
    __table_args__ = (UniqueConstraint("link_id", "field", "locale"),)

    # Not "partnership_id": the foreign key's conventional name would pass PostgreSQL's 63 characters.
    link_id: Mapped[int] = mapped_column(ForeignKey("project_partnerships.id", ondelete="CASCADE"))
    owner: Mapped[Partnership] = relationship(back_populates="texts")


@event.listens_for(Partnership, "before_insert")
def _copy_parents(mapper, connection, target: Partnership) -> None:
    """Fill the copies of the project's lead and of the organisation's municipality on insert, whichever code
    creates the link (a service, a test, an import)."""
    from exchange.projects.models import Project
    if target.lead_municipality_id is None:
        projects = Project.__table__
        target.lead_municipality_id = connection.scalar(
            select(projects.c.lead_municipality_id).where(projects.c.id == target.project_id))
    if target.organisation_municipality_id is None:
        organisation = target.__dict__.get("organisation")
        organisations = Organisation.__table__
        target.organisation_municipality_id = organisation.municipality_id if organisation is not None else \
            connection.scalar(select(organisations.c.municipality_id).where(organisations.c.id == target.organisation_id))
