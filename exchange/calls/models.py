"""Funding calls: a catalog shared by every municipality of the network (DESIGN.md §3: *shared*, visible
to all, owned by the municipality that added it). Any municipality's coordinators and admins keep a call
current (permissions.py); the ORM scope lets every municipality read them, and every save is kept in the
call's own history (``CallRevision``, readable by all, unlike the audit log that never leaves its
municipality).

Opening and closing are stored in UTC with the programme's IANA time zone beside them, so "17:00
Europe/Brussels" stays 17:00 Brussels time across daylight saving, whatever the reader's zone.

The link of a project to a call (``ProjectCall``) is a child of the project: whoever sees the project
sees which calls it applies to.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, Len, TimestampMixin, Versioned, utcnow
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.partners.models.kinds import Labelled, member_of
from exchange.tenancy import CHILD, SHARED

MONEY = Numeric(14, 2)
PERCENT = Numeric(5, 2)


class Programme(Labelled):
    """The programme or instrument a call belongs to."""
    LEADER = "leader", _l("LEADER (local action group)")
    CERV_TWINNING = "cerv_twinning", _l("CERV: Town Twinning")
    CERV_NETWORKS = "cerv_networks", _l("CERV: Networks of Towns")
    ERASMUS = "erasmus", _l("Erasmus+")
    INTERREG = "interreg", _l("Interreg")
    NATIONAL = "national", _l("National programme")
    REGIONAL = "regional", _l("Regional programme")
    OTHER = "other", _l("Other programme")


class ApplicantType(Labelled):
    """Who may apply. Every type is a legal person: private persons are never an applicant type (LEADER
    cannot grant support to individuals); the rules check says so when a plan names one."""
    MUNICIPALITY = "municipality", _l("Municipality")
    MUNICIPAL_DEPARTMENT = "municipal_department", _l("Municipal department")
    MUNICIPAL_COMPANY = "municipal_company", _l("Municipal company")
    ASSOCIATION = "association", _l("Association or non-profit")
    BUSINESS = "business", _l("Business")
    PUBLIC_AUTHORITY = "public_authority", _l("Public authority")
    EDUCATION = "education", _l("School or education body")
    OTHER_PUBLIC = "other_public", _l("Other public body")


# The funding sources of a project's plan that are the grant asked from a call of each programme.
PROGRAMME_SOURCES = {
    Programme.LEADER: ("eu_leader",),
    Programme.CERV_TWINNING: ("eu_cerv",),
    Programme.CERV_NETWORKS: ("eu_cerv",),
    Programme.ERASMUS: ("eu_erasmus",),
    Programme.INTERREG: ("eu_interreg",),
    Programme.NATIONAL: ("national",),
    Programme.REGIONAL: ("national",),
    Programme.OTHER: ("eu_other",),
}


class FundingCall(Translatable, TimestampMixin, Versioned, Base):
    """One call for proposals of a programme: its rules, its dates, where to read the official text."""

    __tablename__ = "funding_calls"
    __tenancy__ = SHARED
    tenancy_owner = "owner_municipality_id"
    tenancy_visible_to_all = True
    TRANSLATABLE_FIELDS = ("title", "description")
    __table_args__ = (
        CheckConstraint(f"programme IN ({Programme.sql_in()})", name="programme"),
        CheckConstraint("closes_at > opens_at", name="dates"),
        CheckConstraint("max_aid_intensity IS NULL OR (max_aid_intensity > 0 AND max_aid_intensity <= 100)",
                        name="aid_intensity"),
        CheckConstraint("min_grant IS NULL OR max_grant IS NULL OR max_grant >= min_grant", name="grants"),
        Index(None, "closes_at"),
        Index(None, "programme", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"),
                                                       index=True)
    programme: Mapped[str] = mapped_column(String(20))
    official_url: Mapped[str] = mapped_column(String(Len.URL), default="")
    opens_at: Mapped[dt.datetime]   # UTC
    closes_at: Mapped[dt.datetime]  # UTC
    timezone: Mapped[str] = mapped_column(String(64))  # the programme's IANA zone, e.g. Europe/Brussels
    applicant_types: Mapped[list] = mapped_column(JSON, default=list)
    countries: Mapped[list] = mapped_column(JSON, default=list)  # ISO 3166-1 alpha-2; empty: any country
    min_partners: Mapped[int | None]
    min_countries: Mapped[int | None]
    max_aid_intensity: Mapped[Decimal | None] = mapped_column(PERCENT)  # per cent of the eligible costs
    min_grant: Mapped[Decimal | None] = mapped_column(MONEY)
    max_grant: Mapped[Decimal | None] = mapped_column(MONEY)
    voluntary_work_counts: Mapped[bool] = mapped_column(default=False, server_default=false())
    voluntary_hourly_value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    # Demo data: a made-up call, marked as an example wherever it is shown.
    example: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[CallText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                 order_by="CallText.id")
    theme_links: Mapped[list[CallTheme]] = relationship(back_populates="call", cascade="all, delete-orphan")
    revisions: Mapped[list[CallRevision]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                         order_by="CallRevision.id.desc()")

    programme_enum = member_of(Programme, "programme")

    @property
    def themes(self) -> list:
        return sorted((link.theme for link in self.theme_links), key=lambda t: (t.position, t.id))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @staticmethod
    def _aware(value: dt.datetime) -> dt.datetime:
        # SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones.
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value

    @property
    def opens_utc(self) -> dt.datetime:
        return self._aware(self.opens_at)

    @property
    def closes_utc(self) -> dt.datetime:
        return self._aware(self.closes_at)

    @property
    def opens_local(self) -> dt.datetime:
        """The opening in the programme's own time zone."""
        return self.opens_utc.astimezone(self.zone)

    @property
    def closes_local(self) -> dt.datetime:
        """The deadline in the programme's own time zone (what the official text says)."""
        return self.closes_utc.astimezone(self.zone)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_utc <= now < self.closes_utc

    def is_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) >= self.closes_utc

    @property
    def applicant_type_enums(self) -> list[ApplicantType]:
        known = {t.value for t in ApplicantType}
        return [ApplicantType(v) for v in self.applicant_types or [] if v in known]

    @property
    def audit_label(self) -> str:
        return self.plain("title", self.source_locale("title") or "")


class CallText(ContentTextMixin, Base):
    """A call's title and description in each language (the shared content mechanism)."""

    __tablename__ = "funding_call_texts"
    __table_args__ = (UniqueConstraint("call_id", "field", "locale"),)

    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"))
    owner: Mapped[FundingCall] = relationship(back_populates="texts")


class CallTheme(Base):
    """A theme of the call (the shared theme taxonomy); replaced by the call form."""

    __tablename__ = "funding_call_themes"
    __tenancy__ = CHILD
    tenancy_parent = "call"
    __table_args__ = (Index(None, "theme_id"),)

    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)

    call: Mapped[FundingCall] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class CallRevision(Base):
    """The call's history: one row per save, who made it (by name and municipality: users are
    tenant-owned, and every municipality reads a call's history) and what changed (``{field: [before,
    after]}``, plain JSON values)."""

    __tablename__ = "funding_call_revisions"
    __tenancy__ = CHILD
    tenancy_parent = "call"
    __table_args__ = (Index(None, "call_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"))
    version: Mapped[int]  # the call's version this save produced
    action: Mapped[str] = mapped_column(String(20))  # created, edited
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_name: Mapped[str] = mapped_column(String(Len.NAME), default="")
    actor_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    call: Mapped[FundingCall] = relationship(back_populates="revisions")
    actor_municipality = relationship("Municipality", lazy="joined")


class ProjectCall(TimestampMixin, Base):
    """A project applies (or means to apply) to a call: linked and unlinked by the project's lead
    coordinators, never edited."""

    __tablename__ = "project_calls"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (UniqueConstraint("project_id", "call_id"), Index(None, "call_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("funding_calls.id", ondelete="CASCADE"))
    linked_by_name: Mapped[str] = mapped_column(String(Len.NAME), default="")

    project = relationship("Project")
    call: Mapped[FundingCall] = relationship(lazy="joined", innerjoin=True)
