"""Who may change what the public sees of the municipality's cooperation. Used by views (403) and
templates. Reading the public pages needs no permission: they show only what was published."""
from __future__ import annotations

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in


def can_edit_policy(user) -> bool:
    """Admins and coordinators write the policy priorities of their municipality's public page."""
    return is_signed_in(user) and user.has_role(Role.ADMIN, Role.COORDINATOR)


def can_choose_licence(user) -> bool:
    """The open-data licence is a municipality setting: its admins choose it."""
    return is_signed_in(user) and user.has_role(Role.ADMIN)
