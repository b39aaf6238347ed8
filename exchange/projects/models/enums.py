"""The projects domain's enumerations, their translated labels and the lifecycle.

Values are stored as strings; ``.label`` is the translated name shown to people (lazy strings, so the
labels are resolved in the reader's language at request time).
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext


class LabelledEnum(str, enum.Enum):
    """A stored string value with a translated label, declared beside the enum in ``LABELS``."""

    @property
    def label(self) -> str:
        return str(LABELS[type(self)][self])


class ProjectStatus(LabelledEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class PriorityArea(LabelledEnum):
    """The priority areas of Kungälv's international policy."""
    OWN_OPERATIONS = "own_operations"
    GROWTH = "growth"
    MONITORING = "monitoring"


class Dimension(LabelledEnum):
    """The three dimensions of sustainability."""
    ECOLOGICAL = "ecological"
    SOCIAL = "social"
    ECONOMIC = "economic"


class FundingCategory(LabelledEnum):
    """What co-financing shares are computed over (within one currency)."""
    EU = "eu"
    NATIONAL = "national"
    MUNICIPAL = "municipal"
    PRIVATE_MONEY = "private_money"
    VOLUNTARY_WORK = "voluntary_work"


class FundingSource(LabelledEnum):
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
    def category(self) -> FundingCategory:
        if self.value.startswith("eu_"):
            return FundingCategory.EU
        return FundingCategory(self.value)


class ParticipationStatus(LabelledEnum):
    INVITED = "invited"      # the lead asked; the invited municipality's coordinator answers
    REQUESTED = "requested"  # the municipality asked; the lead's coordinator answers
    ACCEPTED = "accepted"
    DECLINED = "declined"


STATUS_LABELS = {
    ProjectStatus.DRAFT: lazy_pgettext("project status", "Draft"),
    ProjectStatus.PROPOSED: lazy_pgettext("project status", "Proposed (seeking partners)"),
    ProjectStatus.ACTIVE: lazy_pgettext("project status", "Active"),
    ProjectStatus.COMPLETED: lazy_pgettext("project status", "Completed"),
    ProjectStatus.WITHDRAWN: lazy_pgettext("project status", "Withdrawn"),
}
AREA_LABELS = {
    PriorityArea.OWN_OPERATIONS: _l("Developing the municipality's own operations"),
    PriorityArea.GROWTH: _l("Growth and business development"),
    PriorityArea.MONITORING: _l("External monitoring"),
}
DIMENSION_LABELS = {
    Dimension.ECOLOGICAL: _l("Ecological sustainability"),
    Dimension.SOCIAL: _l("Social sustainability"),
    Dimension.ECONOMIC: _l("Economic sustainability"),
}
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
CATEGORY_LABELS = {
    FundingCategory.EU: _l("EU"),
    FundingCategory.NATIONAL: _l("National or state"),
    FundingCategory.MUNICIPAL: _l("Municipal"),
    FundingCategory.PRIVATE_MONEY: _l("Private money"),
    FundingCategory.VOLUNTARY_WORK: _l("Voluntary work"),
}
PARTICIPATION_LABELS = {
    ParticipationStatus.INVITED: lazy_pgettext("participation status", "Invited"),
    ParticipationStatus.REQUESTED: lazy_pgettext("participation status", "Asked to join"),
    ParticipationStatus.ACCEPTED: lazy_pgettext("participation status", "Participating"),
    ParticipationStatus.DECLINED: lazy_pgettext("participation status", "Declined"),
}
LABELS: dict[type[LabelledEnum], dict] = {
    ProjectStatus: STATUS_LABELS, PriorityArea: AREA_LABELS, Dimension: DIMENSION_LABELS,
    FundingSource: SOURCE_LABELS, FundingCategory: CATEGORY_LABELS, ParticipationStatus: PARTICIPATION_LABELS,
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
