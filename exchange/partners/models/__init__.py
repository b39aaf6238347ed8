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

The package: ``kinds`` (enumerations, labels, sort keys), ``organisations``, ``partnerships`` (needs and
links); every name is re-exported here.
"""
from exchange.partners.models.kinds import (HOURS, INDIVIDUAL_CODES, LEADER_ELIGIBLE_TYPES, MONEY, OFFERS, PENDING,
                                            SEEKS, SORT_KEY_TYPE, STALE_AFTER, ContributionKind, Labelled,
                                            OrganisationType, Origin, PartnerRole, PartnershipStatus, sort_key,
                                            sort_locales)
from exchange.partners.models.organisations import (Organisation, OrganisationContact, OrganisationContactText,
                                                    OrganisationLanguage, OrganisationSortKey, OrganisationText,
                                                    OrganisationTheme)
from exchange.partners.models.partnerships import (PartnerNeed, PartnerNeedTheme, PartnerNeedType, Partnership,
                                                   PartnershipText)

__all__ = ["HOURS", "INDIVIDUAL_CODES", "LEADER_ELIGIBLE_TYPES", "MONEY", "OFFERS", "PENDING", "SEEKS",
           "SORT_KEY_TYPE", "STALE_AFTER", "ContributionKind", "Labelled", "OrganisationType", "Origin",
           "PartnerRole", "PartnershipStatus", "sort_key", "sort_locales", "Organisation", "OrganisationContact",
           "OrganisationContactText",
           "OrganisationLanguage", "OrganisationSortKey", "OrganisationText", "OrganisationTheme", "PartnerNeed",
           "PartnerNeedTheme", "PartnerNeedType", "Partnership", "PartnershipText"]
