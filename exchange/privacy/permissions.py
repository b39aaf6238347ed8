"""Who may handle a data subject's request."""
from __future__ import annotations

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in


def can_manage_personal_data(user) -> bool:
    """Find, export and erase one person's data: the municipality's coordinators and admins."""
    return is_signed_in(user) and user.has_role(Role.COORDINATOR, Role.ADMIN)


def can_close_accounts(user) -> bool:
    """Accounts themselves are closed by an admin on the accounts page, not by the erasure."""
    return is_signed_in(user) and user.has_role(Role.ADMIN)
