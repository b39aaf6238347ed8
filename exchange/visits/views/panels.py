"""The visits' panels on the dashboard: overdue follow-up actions (coordinators) and upcoming visits."""
from __future__ import annotations

from functools import partial

from exchange.dashboard import dashboard_panel, panel_cap
from exchange.visits import permissions, queries
from exchange.visits.display import today
from exchange.visits.models import FollowUp


@dashboard_panel
def _overdue_panel(user):
    if not permissions.can_see_overdue_follow_ups(user):
        return None
    cap = panel_cap()
    readable = partial(permissions.details_visit_clause, user, FollowUp.visit_id)
    rows, total = queries.overdue_follow_ups(readable, today(), cap=cap)
    return "visits/panel_overdue.html", {"rows": rows, "total": total, "cap": cap}


@dashboard_panel
def _upcoming_panel(user):
    """The next visits; for coordinators also the visits that are over but still planned or confirmed
    (issue 14: flagged so that someone says whether they took place). One query for both."""
    if not permissions.can_view_visits(user):
        return None
    closing_readable = permissions.details_clause(user) if permissions.can_see_overdue_follow_ups(user) else None
    visits, to_close = queries.dashboard_visits(today(), closing_readable)
    return "visits/panel_upcoming.html", {"visits": visits, "to_close": to_close}
