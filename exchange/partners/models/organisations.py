"""Partner organisations: the shared profile, its texts, themes, languages, sort keys and contact people."""
from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, validates

from exchange.db import Base, Len, TimestampMixin, Versioned, person_key, utcnow
from exchange.i18n.models import ChildContent, ContentTextMixin, Translatable
from exchange.i18n.search import searchable
from exchange.partners.models.kinds import (OFFERS, SEEKS, SORT_KEY_TYPE, STALE_AFTER, OrganisationType, member_of,
                                            owned_rows)
from exchange.tenancy import CHILD, SHARED


class Organisation(Translatable, TimestampMixin, Versioned, Base):
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
        CheckConstraint(f"type IN ({OrganisationType.sql_in()})", name="type"),
        Index(None, "municipality_id", "active", "last_confirmed_on"),
        Index(None, "active", "type"),
        Index(None, "sort_name", "id"),
    )
    TRANSLATABLE_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(Len.TITLE))
    # sort_key(name) in the neutral order; each configured locale's key is a row of organisation_sort_keys.
    sort_name: Mapped[str] = mapped_column(SORT_KEY_TYPE)
    type: Mapped[str] = mapped_column(String(30))
    website: Mapped[str] = mapped_column(String(Len.URL), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # It funds projects (a LEADER local action group, an authority acting as a funder): it is never
    # suggested, invited or accepted as a co-applicant of a project it would fund (issue 14). A role the
    # municipality states, not a guess from the organisation's type.
    funder: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_confirmed_on: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_name: Mapped[str | None] = mapped_column(String(Len.NAME))

    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[OrganisationText]] = owned_rows("owner", "OrganisationText.id")
    theme_links: Mapped[list[OrganisationTheme]] = owned_rows("organisation")
    language_rows: Mapped[list[OrganisationLanguage]] = owned_rows("organisation", "OrganisationLanguage.language")
    contacts: Mapped[list[OrganisationContact]] = owned_rows("organisation", "OrganisationContact.id")
    sort_keys: Mapped[list[OrganisationSortKey]] = owned_rows("organisation")

    # Every municipality of the network reads every profile (it exists to be found); only the owning
    # municipality writes it (stamped and guarded by the tenancy flush hook, decided in permissions.py).
    tenancy_visible_to_all = True

    type_enum = member_of(OrganisationType, "type")

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


searchable(Organisation.__table__, "name")  # the directory searches names too (issue 12)


class _OfOrganisation:
    """A row of an organisation's child table whose primary key starts with the organisation's id;
    ``_listed_as`` names the organisation's collection of these rows."""

    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    _listed_as: ClassVar[str]

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, sort_order=-1)

    @declared_attr
    def organisation(cls) -> Mapped[Organisation]:
        return relationship(Organisation, back_populates=cls._listed_as)


class OrganisationText(ContentTextMixin, Base):
    """The organisation's description in each language (the shared i18n mechanism)."""

    __tablename__ = "organisation_texts"
    __table_args__ = (UniqueConstraint("organisation_id", "field", "locale"),
                      # the translators' queue walks source texts oldest first (issue 12)
                      Index(None, "status", "updated_at", "id"))

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    owner: Mapped[Organisation] = relationship(back_populates="texts")


searchable(OrganisationText.__table__)  # the directory's search (issue 12)


class OrganisationTheme(_OfOrganisation, Base):
    """A theme the organisation offers (can contribute) or seeks (wants to learn about).

    The (kind, theme_id, organisation_id) index is what partner matching narrows candidates with.
    """

    __tablename__ = "organisation_themes"
    __table_args__ = (
        CheckConstraint(f"kind IN ('{OFFERS}', '{SEEKS}')", name="kind"),
        Index(None, "kind", "theme_id", "organisation_id"),
    )
    _listed_as = "theme_links"

    kind: Mapped[str] = mapped_column(String(6), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True)
    theme = relationship("Theme", lazy="joined", innerjoin=True)


class OrganisationLanguage(_OfOrganisation, Base):
    """A language the organisation works in (a locale code such as ``sv`` or ``en``)."""

    __tablename__ = "organisation_languages"
    __table_args__ = (Index(None, "language", "organisation_id"),)
    _listed_as = "language_rows"

    language: Mapped[str] = mapped_column(String(10), primary_key=True)


class OrganisationSortKey(_OfOrganisation, Base):
    """The name's sort key in the alphabet of one locale (Swedish å, ä, ö after z; exchange.i18n.sorting).

    Every configured locale has a row, so the directory reads its order from the (locale, key,
    organisation_id) index instead of sorting every profile (issue 12); ``sort_name`` is the neutral key
    (matching's tie-break, a locale that is not configured).
    """

    __tablename__ = "organisation_sort_keys"
    __table_args__ = (Index(None, "locale", "key", "organisation_id"),)
    _listed_as = "sort_keys"

    locale: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(SORT_KEY_TYPE)


class OrganisationContact(ChildContent, Versioned, Base):
    """A contact person of the organisation. Personal data: shown to signed-in users only, never exported
    to another municipality, deleted with the organisation. The role is a translatable text (its texts are
    read wherever the organisation's are); the name, e-mail and phone are not."""

    __tablename__ = "organisation_contacts"
    __tenancy__ = CHILD
    tenancy_parent = "organisation"
    content_parent = "organisation"
    __table_args__ = (Index(None, "organisation_id"), Index(None, "name_key"))
    TRANSLATABLE_FIELDS = ("role",)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(Len.NAME))
    email: Mapped[str] = mapped_column(String(Len.EMAIL), default="")
    phone: Mapped[str] = mapped_column(String(Len.PHONE), default="")
    # The name as the personal-data tool finds it (exchange.db.person_key), kept by the model itself.
    name_key: Mapped[str] = mapped_column(String(Len.NAME), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")

    @validates("name")
    def _keep_name_key(self, _attribute: str, name: str) -> str:
        self.name_key = person_key(name)
        return name

    # Loaded with the contacts (one query per list of them), since every page showing a contact shows it.
    texts: Mapped[list[OrganisationContactText]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", order_by="OrganisationContactText.id", lazy="selectin")

    @property
    def role(self) -> str:
        return self.source_text("role")


class OrganisationContactText(ContentTextMixin, Base):
    """A contact person's role in each language."""

    __tablename__ = "organisation_contact_texts"
    __table_args__ = (UniqueConstraint("contact_id", "field", "locale"),)

    contact_id: Mapped[int] = mapped_column(ForeignKey("organisation_contacts.id", ondelete="CASCADE"))
    owner: Mapped[OrganisationContact] = relationship(back_populates="texts")
