"""Imports every domain's models, so Alembic and the tenancy checks see the whole registry."""
from exchange.audit.models import AuditEntry  # noqa: F401
from exchange.auth.models import LoginSession, PasswordToken, User, UserRole  # noqa: F401
from exchange.municipalities.models import Municipality  # noqa: F401
