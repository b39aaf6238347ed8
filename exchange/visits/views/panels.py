"""The visits' panels on the dashboard: overdue follow-up actions (coordinators) and upcoming visits."""
from __future__ import annotations

from exchange.dashboard import dashboard_panel
from exchange.visits import permissions, queries
from exchange.visits.display import today


@dashboard_panel
def _overdue_panel(user):
    if not permissions.can_see_overdue_follow_ups(user):
        return None
    rows, total = queries.overdue_follow_ups(permissions.details_clause(user), today())
    return "visits/panel_overdue.html", {"rows": rows, "total": total}


@dashboard_panel
def _upcoming_panel(user):
    if not permissions.can_view_visits(user):
        return None
    return "visits/panel_upcoming.html", {"visits": queries.upcoming(today())}
