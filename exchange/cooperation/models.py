"""Twinnings between municipalities and each municipality's cooperation profile.

* ``Twinning`` is *global*, like the municipalities it joins: a partnership agreement between two
  municipalities of the network, created by platform operators (CLI, demo loader), public by nature.
* ``CooperationProfile`` is *shared* and visible to every municipality (its text is published to
  everybody anyway, and translators of every town may translate it); it is owned, and changed, by its
  municipality only. The policy text goes through the shared content mechanism (exchange.i18n).
"""
from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, TimestampMixin, Versioned, utcnow
from exchange.i18n.models import ContentTextMixin, Translatable
from exchange.tenancy import GLOBAL, SHARED


class Licence(str, enum.Enum):
    """The open licences a municipality may choose for its open data."""

    CC0 = "cc0-1.0"
    CC_BY = "cc-by-4.0"

    @property
    def label(self) -> str:
        return str(LICENCE_LABELS[self])

    @property
    def url(self) -> str:
        return LICENCE_URLS[self]

    @property
    def spdx(self) -> str:
        return {Licence.CC0: "CC0-1.0", Licence.CC_BY: "CC-BY-4.0"}[self]


LICENCE_LABELS = {
    Licence.CC0: _l("CC0 1.0 (public domain dedication)"),
    Licence.CC_BY: _l("CC BY 4.0 (attribution)"),
}
LICENCE_URLS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
}
DEFAULT_LICENCE = Licence.CC_BY


class Twinning(TimestampMixin, Base):
    """Two municipalities of the network are twin towns since ``since``. Stored once per pair, the
    smaller id first."""

    __tablename__ = "twinnings"
    __tenancy__ = GLOBAL
    __table_args__ = (
        UniqueConstraint("first_municipality_id", "second_municipality_id"),
        CheckConstraint("first_municipality_id < second_municipality_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"))
    second_municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"),
                                                        index=True)
    since: Mapped[dt.date] = mapped_column(Date)

    first = relationship("Municipality", foreign_keys=[first_municipality_id], lazy="joined", innerjoin=True)
    second = relationship("Municipality", foreign_keys=[second_municipality_id], lazy="joined", innerjoin=True)

    def partner_of(self, municipality_id: int):
        return self.second if self.first_municipality_id == municipality_id else self.first


class CooperationProfile(Translatable, Versioned, Base):
    """What a municipality says about its international cooperation (the policy priorities), and the
    licence of its open data. One row per municipality; no row means "nothing written yet"."""

    __tablename__ = "cooperation_profiles"
    __tenancy__ = SHARED
    tenancy_owner = "municipality_id"
    tenancy_visible_to_all = True
    TRANSLATABLE_FIELDS = ("policy",)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), unique=True)
    licence: Mapped[str] = mapped_column(String(20), default=DEFAULT_LICENCE.value,
                                         server_default=DEFAULT_LICENCE.value)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    municipality = relationship("Municipality", lazy="joined", innerjoin=True)
    texts: Mapped[list[CooperationText]] = relationship(back_populates="owner", cascade="all, delete-orphan",
                                                        order_by="CooperationText.id")

    @property
    def licence_enum(self) -> Licence:
        return Licence(self.licence)


class CooperationText(ContentTextMixin, Base):
    """The policy text in each language (the shared content mechanism)."""

    __tablename__ = "cooperation_texts"
    __table_args__ = (UniqueConstraint("profile_id", "field", "locale"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("cooperation_profiles.id", ondelete="CASCADE"))
    owner: Mapped[CooperationProfile] = relationship(back_populates="texts")
