"""Who may do what with accounts. Used by views (403) and templates (what to show)."""
from __future__ import annotations

from exchange.auth.models import Role


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_manage_users(user) -> bool:
    """Admins manage the accounts of their own municipality (the scope keeps them there)."""
    return is_signed_in(user) and user.has_role(Role.ADMIN)


def can_edit_user(user, target) -> bool:
    return can_manage_users(user) and target.municipality_id == user.municipality_id


def can_view_audit_log(user) -> bool:
    return can_manage_users(user)
