"""Who may see and retry deliveries: the municipality's admins (the scope keeps them to their own)."""
from __future__ import annotations


def can_view_deliveries(user) -> bool:
    from exchange.auth.permissions import can_manage_users
    return can_manage_users(user)


def can_retry_delivery(user, message) -> bool:
    from exchange.jobs.models import DeliveryStatus
    return can_view_deliveries(user) and message.status == DeliveryStatus.FAILED.value
