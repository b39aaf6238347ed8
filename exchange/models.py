"""Imports every domain's models, so Alembic and the tenancy checks see the whole registry."""
from exchange.audit.models import AuditEntry  # noqa: F401
from exchange.jobs.models import JobRun, OutboxMessage  # noqa: F401
from exchange.auth.models import (LoginFailure, LoginSession, PasswordToken, RecoveryCode, User,  # noqa: F401
                                  UserRole)
from exchange.municipalities.models import Municipality  # noqa: F401
from exchange.themes.models import Theme  # noqa: F401
from exchange.projects.models import (FundingLine, Milestone, ParticipationText, Project,  # noqa: F401
                                      ProjectComment, ProjectContact, ProjectEvent, ProjectParticipation,
                                      ProjectPriorityArea, ProjectSustainability, ProjectText, ProjectTheme)
from exchange.visits.models import (AgendaItem, CalendarFeed, Cost, FollowUp, Participant, Visit,  # noqa: F401
                                    VisitMunicipality, VisitProject, VisitSettings, VisitText, VisitTheme)
from exchange.partners.models import (Organisation, OrganisationContact, OrganisationLanguage,  # noqa: F401
                                      OrganisationSortKey, OrganisationText, OrganisationTheme, PartnerNeed,
                                      PartnerNeedTheme, PartnerNeedType, Partnership)
from exchange.i18n.catalog.models import CatalogChange, CatalogMessage, CatalogVersion  # noqa: F401
from exchange.workbench.models import TranslatorLanguages  # noqa: F401
from exchange.cooperation.models import CooperationProfile, CooperationText, Twinning  # noqa: F401
from exchange.api.models import ApiToken  # noqa: F401
from exchange.notifications.models import Follow, Notification, NotificationPreference  # noqa: F401
from exchange.calls.models import CallRevision, CallText, CallTheme, FundingCall, ProjectCall  # noqa: F401

from exchange.db import Base, index_foreign_keys  # noqa: E402 (after every model: it reads the registry)

index_foreign_keys(Base.metadata)
