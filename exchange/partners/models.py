"""Partner organisations, the partners a project needs, and the links between them (issue 4).

* ``Organisation`` belongs to one municipality (its staff register and edit it) but its *profile* is
  shared with the whole network, so others can find it (DESIGN.md §4). It is therefore a *shared* model
  whose visibility rule is "every municipality" (see ``Organisation.tenancy_criteria``); who may edit is
  decided in ``exchange.partners.permissions``.
* Contact people are personal data and live in their own child table, ``OrganisationContact``: pages
  show them to signed-in users only, and exports for another municipality leave them out.
* ``PartnerNeed`` (what partners a project is looking for) and ``Partnership`` (an expression of interest,
  an invitation, an accepted partner) are children of the project: whoever sees the project sees them.

There is deliberately no "private person" organisation type: under the LEADER method individuals cannot
be granted support (the database refuses any other type with a check constraint).
"""
from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, utcnow
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.tenancy import CHILD, SHARED

MONEY = Numeric(14, 2)
HOURS = Numeric(10, 2)
# A profile not confirmed for this long is flagged and its municipality is asked to confirm or retire it.
STALE_AFTER = dt.timedelta(days=365)


# --- enumerations and their translated labels ------------------------------------------------

class OrganisationType(str, enum.Enum):
    MUNICIPAL_DEPARTMENT = "municipal_department"
    MUNICIPAL_COMPANY = "municipal_company"
    ASSOCIATION = "association"
    BUSINESS = "business"
    PUBLIC_AUTHORITY = "public_authority"
    EDUCATION = "education"
    OTHER_PUBLIC = "other_public"

    @property
    def label(self) -> str:
        return str(TYPE_LABELS[self])


TYPE_LABELS = {
    OrganisationType.MUNICIPAL_DEPARTMENT: _l("Municipal department"),
    OrganisationType.MUNICIPAL_COMPANY: _l("Municipal company"),
    OrganisationType.ASSOCIATION: _l("Association or non-profit"),
    OrganisationType.BUSINESS: _l("Business"),
    OrganisationType.PUBLIC_AUTHORITY: _l("Public authority"),
    OrganisationType.EDUCATION: _l("School or education body"),
    OrganisationType.OTHER_PUBLIC: _l("Other public body"),
}

# What someone might try to register a private person as (a crafted form, an old import). Refused with
# the LEADER explanation rather than a bare "unknown choice".
INDIVIDUAL_CODES = frozenset({"individual", "private_person", "person", "private", "natural_person"})

# LEADER (EAFRD) support goes to companies, associations, organisations and public bodies; individuals
# cannot be granted support. Every registrable type is a legal person, so every type is eligible; the table
# is explicit so that a type added later has to be classified here.
LEADER_ELIGIBLE_TYPES = frozenset(OrganisationType)


class PartnerRole(str, enum.Enum):
    CO_APPLICANT = "co_applicant"
    EXPERT = "expert"
    HOST = "host"
    ASSOCIATE = "associate"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    PartnerRole.CO_APPLICANT: _l("Co-applicant"),
    PartnerRole.EXPERT: _l("Expert"),
    PartnerRole.HOST: _l("Host"),
    PartnerRole.ASSOCIATE: _l("Associate partner"),
}


class Origin(str, enum.Enum):
    """Where a needed partner may come from."""
    ANY = "any"
    MUNICIPALITY = "municipality"
    COUNTRY = "country"

    @property
    def label(self) -> str:
        return str(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    Origin.ANY: _l("Anywhere in the network"),
    Origin.MUNICIPALITY: _l("A given municipality"),
    Origin.COUNTRY: _l("A given country"),
}


class ContributionKind(str, enum.Enum):
    MONEY = "money"
    IN_KIND = "in_kind"
    VOLUNTARY_WORK = "voluntary_work"

    @property
    def label(self) -> str:
        return str(CONTRIBUTION_LABELS[self])


CONTRIBUTION_LABELS = {
    ContributionKind.MONEY: _l("Money"),
    ContributionKind.IN_KIND: _l("In kind"),
    ContributionKind.VOLUNTARY_WORK: _l("Voluntary work (hours)"),
}


class PartnershipStatus(str, enum.Enum):
    INTERESTED = "interested"  # the organisation's municipality asked; the lead's coordinator answers
    INVITED = "invited"        # the lead asked; the organisation municipality's coordinator answers
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(PARTNERSHIP_LABELS[self])


PARTNERSHIP_LABELS = {
    PartnershipStatus.INTERESTED: _l("Interest expressed"),
    PartnershipStatus.INVITED: _l("Invited"),
    PartnershipStatus.ACCEPTED: _l("Partner"),
    PartnershipStatus.DECLINED: _l("Declined"),
}
PENDING = (PartnershipStatus.INTERESTED.value, PartnershipStatus.INVITED.value)

OFFERS, SEEKS = "offers", "seeks"


def _sql_in(values) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


# --- sorting names in the reader's alphabet --------------------------------------------------

# Letters some alphabets sort after z (in this order); elsewhere they sort with their base letter.
_ALPHABET_TAIL = {"sv": "åäöæø", "fi": "åäö", "da": "æøå", "nb": "æøå", "nn": "æøå", "no": "æøå"}
# Byte-ordered stand-ins after "z" (stored in a column compared byte by byte: "C" collation on PostgreSQL,
# SQLite's default BINARY), so the database itself sorts and pagination stays correct.
_TAIL_MARKS = "{|}~"


def sort_key(name: str, locale: str | None = None) -> str:
    """The key that sorts ``name`` in the alphabet of ``locale``: case and accents ignored, except the
    letters that alphabet puts after z (å, ä, ö in Swedish). Without a locale: the neutral order."""
    tail = _ALPHABET_TAIL.get((locale or "").split("_")[0], "")
    out = []
    for char in name.casefold():
        if char in tail:
            index = tail.index(char)
            out.append("z" + _TAIL_MARKS[min(index, len(_TAIL_MARKS) - 1)] + str(index))
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    return "".join(out)[:255]


def sort_locales() -> tuple[str, ...]:
    """The locales whose alphabet differs from the neutral order (they get their own stored key)."""
    return tuple(_ALPHABET_TAIL)


SORT_KEY_TYPE = String(255).with_variant(String(255, collation="C"), "postgresql")


# --- organisations -----------------------------------------------------------------------------

class Organisation(Translatable, TimestampMixin, Base):
    """A partner organisation of one municipality; its profile is visible to the whole network.

    Tenancy: *shared* with ``tenancy_criteria`` true for every municipality, because finding partners
    across the twin towns is the point of the profile (DESIGN.md §4). The owner (``municipality_id``) is
    still stamped and guarded by the flush hook, so a row cannot be created for, or moved to, another
    municipality; editing is restricted to the owner's staff in ``permissions.py``. Personal data is kept
    out of this table (see ``OrganisationContact``).
    """

    __tablename__ = "organisations"
    __tenancy__ = SHARED
    tenancy_owner = "municipality_id"
    __table_args__ = (
        CheckConstraint(f"type IN ({_sql_in(t.value for t in OrganisationType)})", name="type"),
        Index(None, "municipality_id", "active", "last_confirmed_on"),
        Index(None, "active", "type"),
        Index(None, "sort_name", "id"),
    )
    TRANSLATABLE_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    # sort_key(name) in the neutral order; alphabets that differ have rows in organisation_sort_keys.
    sort_name: Mapped[str] = mapped_column(SORT_KEY_TYPE)
    type: Mapped[str] = mapped_column(String(30))
    website: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    last_confirmed_on: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_name: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[OrganisationText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                         order_by="OrganisationText.id")
    theme_links: Mapped[list[OrganisationTheme]] = relationship(back_populates="organisation",
                                                                cascade="all, delete-orphan")
    language_rows: Mapped[list[OrganisationLanguage]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationLanguage.language")
    contacts: Mapped[list[OrganisationContact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationContact.id")
    sort_keys: Mapped[list[OrganisationSortKey]] = relationship(back_populates="organisation",
                                                                cascade="all, delete-orphan")

    # Every municipality of the network reads every profile (it exists to be found); only the owning
    # municipality writes it (stamped and guarded by the tenancy flush hook, decided in permissions.py).
    tenancy_visible_to_all = True

    @property
    def type_enum(self) -> OrganisationType:
        return OrganisationType(self.type)

    def themes(self, kind: str) -> list:
        return sorted((link.theme for link in self.theme_links if link.kind == kind),
                      key=lambda t: (t.position, t.id))

    @property
    def offered_themes(self) -> list:
        return self.themes(OFFERS)

    @property
    def sought_themes(self) -> list:
        return self.themes(SEEKS)

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    def is_stale(self, today: dt.date | None = None) -> bool:
        """Not confirmed for 12 months: flagged, and its municipality is asked to confirm or retire it."""
        today = today or utcnow().date()
        return self.last_confirmed_on < today - STALE_AFTER

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class OrganisationText(ContentTextMixin, Base):
    """The organisation's description in each language (the shared i18n mechanism)."""

    __tablename__ = "organisation_texts"
    __table_args__ = (UniqueConstraint("organisation_id", "field", "locale"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    owner: Mapped[Organisation] = relationship(back_populates="texts")


class OrganisationTheme(Base):
    """A theme the organisation offers (can contribute) or seeks (wants to learn about).

    The (kind, theme_id, organisation_id) index is what partner matching narrows candidates with.
    """

    __tablename__ = "organisation_themes"
    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    __table_args__ = (
        CheckConstraint(f"kind IN ('{OFFERS}', '{SEEKS}')", name="kind"),
        Index(None, "kind", "theme_id", "organisation_id"),
    )

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    kind: Mapped[str] = mapped_column(String(6), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)

    organisation: Mapped[Organisation] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class OrganisationLanguage(Base):
    """A language the organisation works in (a locale code such as ``sv`` or ``en``)."""

    __tablename__ = "organisation_languages"
    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    __table_args__ = (Index(None, "language", "organisation_id"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)

    organisation: Mapped[Organisation] = relationship(back_populates="language_rows")


class OrganisationSortKey(Base):
    """The name's sort key in an alphabet that differs from the neutral order (Swedish å, ä, ö after z).

    Only locales listed by ``sort_locales()`` get a row; the directory falls back to ``sort_name``.
    """

    __tablename__ = "organisation_sort_keys"
    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    __table_args__ = (Index(None, "locale", "key", "organisation_id"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    locale: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(SORT_KEY_TYPE)

    organisation: Mapped[Organisation] = relationship(back_populates="sort_keys")


class OrganisationContact(Base):
    """A contact person of the organisation. Personal data: shown to signed-in users only, never exported
    to another municipality, deleted with the organisation."""

    __tablename__ = "organisation_contacts"
    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    __table_args__ = (Index(None, "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


# --- what a project needs ------------------------------------------------------------------------

class PartnerNeed(TimestampMixin, Base):
    """One kind of partner a project is looking for: themes, acceptable types, where from, and the role."""

    __tablename__ = "project_partner_needs"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (
        CheckConstraint(f"role IN ({_sql_in(r.value for r in PartnerRole)})", name="role"),
        CheckConstraint(f"origin IN ({_sql_in(o.value for o in Origin)})", name="origin"),
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
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    project = relationship("Project")
    origin_municipality = relationship("Municipality", lazy="joined")
    theme_links: Mapped[list[PartnerNeedTheme]] = relationship(back_populates="need", cascade="all, delete-orphan")
    type_rows: Mapped[list[PartnerNeedType]] = relationship(back_populates="need", cascade="all, delete-orphan",
                                                            order_by="PartnerNeedType.type")

    @property
    def role_enum(self) -> PartnerRole:
        return PartnerRole(self.role)

    @property
    def origin_enum(self) -> Origin:
        return Origin(self.origin)

    @property
    def themes(self) -> list:
        return sorted((link.theme for link in self.theme_links), key=lambda t: (t.position, t.id))

    @property
    def types(self) -> list[OrganisationType]:
        order = list(OrganisationType)
        return sorted((OrganisationType(r.type) for r in self.type_rows), key=order.index)


class PartnerNeedTheme(Base):
    __tablename__ = "project_partner_need_themes"
    __tenancy__ = CHILD
    tenancy_parent = "need"
    __table_args__ = (Index(None, "theme_id"),)

    need_id: Mapped[int] = mapped_column(ForeignKey("project_partner_needs.id", ondelete="CASCADE"),
                                         primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)

    need: Mapped[PartnerNeed] = relationship(back_populates="theme_links")
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class PartnerNeedType(Base):
    __tablename__ = "project_partner_need_types"
    __tenancy__ = CHILD
    tenancy_parent = "need"
    __table_args__ = (CheckConstraint(f"type IN ({_sql_in(t.value for t in OrganisationType)})", name="type"),)

    need_id: Mapped[int] = mapped_column(ForeignKey("project_partner_needs.id", ondelete="CASCADE"),
                                         primary_key=True)
    type: Mapped[str] = mapped_column(String(30), primary_key=True)

    need: Mapped[PartnerNeed] = relationship(back_populates="type_rows")


# --- interest, invitations, partners -------------------------------------------------------------

class Partnership(TimestampMixin, Base):
    """An organisation's relation to a project: interest expressed on its behalf, an invitation from the
    lead, or an accepted (or declined) partnership. One row per (project, organisation); a declined one
    may be reopened.

    People are stored by name and municipality (users are tenant-owned; both sides read this row).
    """

    __tablename__ = "project_partnerships"
    __tenancy__ = CHILD
    tenancy_parent = "project"
    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id"),
        CheckConstraint(f"status IN ({_sql_in(s.value for s in PartnershipStatus)})", name="status"),
        CheckConstraint(f"role IN ({_sql_in(r.value for r in PartnerRole)})", name="role"),
        CheckConstraint("contribution_amount IS NULL OR contribution_amount >= 0", name="amount_not_negative"),
        CheckConstraint("contribution_hours IS NULL OR contribution_hours >= 0", name="hours_not_negative"),
        Index(None, "organisation_id", "status"),
        Index(None, "status", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("project_partner_needs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(20))
    contribution_kind: Mapped[str | None] = mapped_column(String(20))
    contribution_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    contribution_currency: Mapped[str | None] = mapped_column(String(3))
    contribution_hours: Mapped[Decimal | None] = mapped_column(HOURS)
    message: Mapped[str] = mapped_column(Text, default="")
    message_locale: Mapped[str | None] = mapped_column(String(10))
    requested_by_name: Mapped[str | None] = mapped_column(String(120))
    requested_by_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id",
                                                                                ondelete="RESTRICT"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decision_locale: Mapped[str | None] = mapped_column(String(10))
    decided_by_name: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    # The funding line the accepted contribution became (the lead adds it to the funding plan once).
    funding_line_id: Mapped[int | None] = mapped_column(ForeignKey("project_funding_lines.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    project = relationship("Project")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    need: Mapped[PartnerNeed | None] = relationship()
    requested_by_municipality = relationship("Municipality", lazy="joined")

    @property
    def status_enum(self) -> PartnershipStatus:
        return PartnershipStatus(self.status)

    @property
    def role_enum(self) -> PartnerRole:
        return PartnerRole(self.role)

    @property
    def contribution_enum(self) -> ContributionKind | None:
        return ContributionKind(self.contribution_kind) if self.contribution_kind else None

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING
