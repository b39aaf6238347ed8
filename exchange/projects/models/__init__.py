"""Joint development projects (issue 3): the heart of the platform.

The models live in three modules (``enums``: statuses, areas, sources and their labels; ``project``: the
project and what describes it; ``children``: its plan, discussion, history and participations); every
name is re-exported here, so ``from exchange.projects.models import Project`` keeps working.
"""
from exchange.projects.models.enums import (AREA_LABELS, CATEGORY_LABELS, CLOSED, DIMENSION_LABELS, LABELS,
                                            OPEN_FOR_PARTNERS, PARTICIPATION_LABELS, SOURCE_LABELS, STATUS_LABELS,
                                            TRANSITIONS, Dimension, FundingCategory, FundingSource, LabelledEnum,
                                            ParticipationStatus, PriorityArea, ProjectStatus)
from exchange.projects.models.project import (Project, ProjectChild, ProjectPriorityArea, ProjectSortKey,
                                              ProjectSustainability, ProjectText, ProjectTheme, title_texts)
from exchange.projects.models.children import (HOURS, MONEY, CommentText, FundingLine, FundingLineText,
                                               Milestone, MilestoneText, ParticipationText, ProjectComment,
                                               ProjectContact, ProjectContactText, ProjectEvent, ProjectEventText,
                                               ProjectParticipation)

__all__ = [
    "AREA_LABELS", "CATEGORY_LABELS", "CLOSED", "DIMENSION_LABELS", "LABELS", "OPEN_FOR_PARTNERS",
    "PARTICIPATION_LABELS", "SOURCE_LABELS", "STATUS_LABELS", "TRANSITIONS", "Dimension", "FundingCategory",
    "FundingSource", "LabelledEnum", "ParticipationStatus", "PriorityArea", "ProjectStatus",
    "Project", "ProjectChild", "ProjectPriorityArea", "ProjectSortKey", "ProjectSustainability", "ProjectText",
    "ProjectTheme", "title_texts",
    "HOURS", "MONEY", "FundingLine", "Milestone", "ParticipationText", "ProjectComment", "ProjectContact",
    "ProjectEvent", "ProjectParticipation",
    "CommentText", "ProjectEventText", "FundingLineText", "MilestoneText", "ProjectContactText",
]
