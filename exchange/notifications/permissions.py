"""Who may do what with notifications. Used by views (403) and templates (``can.notifications.…``).

Everyone signed in has a notification centre and e-mail preferences of their own; nobody sees anyone
else's (the queries take the person, the scope keeps them in their municipality). Following needs only
what the object's page needs: whoever may open a project or a visit may follow it.
"""
from __future__ import annotations

from exchange.auth.permissions import is_signed_in


def can_view_notifications(user) -> bool:
    return is_signed_in(user)


def can_set_preferences(user) -> bool:
    return is_signed_in(user)


def can_follow(user, subject) -> bool:
    """Follow a project or a visit the user can open (the scope already decided that it is visible)."""
    from exchange.projects.models import Project
    from exchange.projects.permissions import can_view_projects
    from exchange.visits.permissions import can_view_visits
    if isinstance(subject, Project):
        return can_view_projects(user)
    return can_view_visits(user)
