"""The partner domain's enumerations with their translated labels, and names sorted in the reader's alphabet.

Each member is declared with its label (``BUSINESS = "business", _l("Business")``): the value is what the
database stores (checked by constraints built from the enum), the label what people read.
"""
from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import Numeric
from sqlalchemy.orm import relationship

# Names sorted in the reader's alphabet: one collation function for the whole application.
from exchange.i18n.sorting import SORT_KEY_TYPE, sort_key, sort_locales  # noqa: F401

MONEY = Numeric(14, 2)
HOURS = Numeric(10, 2)
# A profile not confirmed for this long is flagged and its municipality is asked to confirm or retire it.
STALE_AFTER = dt.timedelta(days=365)
OFFERS, SEEKS = "offers", "seeks"


class Labelled(str, enum.Enum):
    """A string enum whose members carry a lazy-translated label: ``Member = "value", _l("Label")``."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) of every member, for a form's choices."""
        return [(member.value, member._label) for member in cls]

    @classmethod
    def sql_in(cls) -> str:
        """The members' values as an SQL list, for a CHECK constraint."""
        return ", ".join(f"'{member.value}'" for member in sorted(cls, key=lambda m: m.value))


def owned_rows(back_populates: str, order_by: str | None = None):
    """A parent's collection of child rows that are saved, and deleted, with it."""
    return relationship(back_populates=back_populates, cascade="all, delete-orphan", order_by=order_by)


class member_of:
    """A read-only attribute: a string column's value as its enum member (None while the column is empty),
    e.g. ``role_enum = member_of(PartnerRole, "role")`` so templates can show ``link.role_enum.label``."""

    def __init__(self, enum: type[Labelled], column: str):
        self.enum, self.column = enum, column

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, self.column)
        return self.enum(value) if value else None


class OrganisationType(Labelled):
    MUNICIPAL_DEPARTMENT = "municipal_department", _l("Municipal department")
    MUNICIPAL_COMPANY = "municipal_company", _l("Municipal company")
    ASSOCIATION = "association", _l("Association or non-profit")
    BUSINESS = "business", _l("Business")
    PUBLIC_AUTHORITY = "public_authority", _l("Public authority")
    EDUCATION = "education", _l("School or education body")
    OTHER_PUBLIC = "other_public", _l("Other public body")


# What someone might try to register a private person as (a crafted form, an old import). Refused with
# the LEADER explanation rather than a bare "unknown choice".
INDIVIDUAL_CODES = frozenset({"individual", "private_person", "person", "private", "natural_person"})

# LEADER (EAFRD) support goes to companies, associations, organisations and public bodies; individuals
# cannot be granted support. Every registrable type is a legal person, so every type is eligible; the table
# is explicit so that a type added later has to be classified here.
LEADER_ELIGIBLE_TYPES = frozenset(OrganisationType)


class PartnerRole(Labelled):
    CO_APPLICANT = "co_applicant", _l("Co-applicant")
    EXPERT = "expert", _l("Expert")
    HOST = "host", _l("Host")
    ASSOCIATE = "associate", _l("Associate partner")


class Origin(Labelled):
    """Where a needed partner may come from."""
    ANY = "any", _l("Anywhere in the network")
    MUNICIPALITY = "municipality", _l("A given municipality")
    COUNTRY = "country", _l("A given country")


class ContributionKind(Labelled):
    MONEY = "money", _l("Money")
    IN_KIND = "in_kind", _l("In kind")
    VOLUNTARY_WORK = "voluntary_work", _l("Voluntary work (hours)")


class PartnershipStatus(Labelled):
    INTERESTED = "interested", lazy_pgettext("partnership status", "Interest expressed")  # the organisation's municipality asked; the lead answers
    INVITED = "invited", lazy_pgettext("partnership status", "Invited")                    # the lead asked; the organisation's municipality answers
    ACCEPTED = "accepted", lazy_pgettext("partnership status", "Partner")
    DECLINED = "declined", lazy_pgettext("partnership status", "Declined")


PENDING = (PartnershipStatus.INTERESTED.value, PartnershipStatus.INVITED.value)
