"""Who may manage personal access tokens: every signed-in person, for their own account. A token reads
what its owner's municipality may read; it never writes."""
from __future__ import annotations

from exchange.auth.permissions import is_signed_in


def can_manage_tokens(user) -> bool:
    return is_signed_in(user)


def can_revoke_token(user, token) -> bool:
    return is_signed_in(user) and token.user_id == user.id and token.revoked_at is None
