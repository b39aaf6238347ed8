"""The registries of dashboard panels and main-menu entries.

Each domain registers a function ``panel(user) -> (template, context) | None``; the dashboard shows
the panels that answer, in registration order. The dashboard grows with the features without knowing
them, and no domain imports another domain's views.
"""
from __future__ import annotations

from collections.abc import Callable

from exchange.paging import count_cap

# A panel lists at most this many rows (the oldest first), and says when there are more: a to-do list
# of a big municipality in a big network must not put thousands of rows on the dashboard (issue 12).
PANEL_ROWS = 10

# A panel counts up to this many, its list page up to exchange.paging's cap (1 000): "more than 100 follow-up
# actions are overdue" asks for the same action as "more than 1 000", and each panel's count reads up to
# cap + 1 rows on every view of everyone's first page (issue 12: the dashboard's counts were a third of it
# at 100 000 rows).
PANEL_COUNT_CAP = 100


def panel_cap() -> int:
    """What a dashboard panel counts up to: ``PANEL_COUNT_CAP``, or the lists' cap where that is lower."""
    return min(count_cap(), PANEL_COUNT_CAP)


def first_rows(rows: list) -> tuple[list, bool]:
    """Rows fetched with ``limit=PANEL_ROWS + 1``: the ones to show, and whether some were left out."""
    return rows[:PANEL_ROWS], len(rows) > PANEL_ROWS


DashboardPanel = Callable[[object], "tuple[str, dict] | None"]
_panels: list[DashboardPanel] = []


def dashboard_panel(func: DashboardPanel) -> DashboardPanel:
    """Decorator: register a panel function."""
    _panels.append(func)
    return func


def panels_for(user) -> list[tuple[str, dict]]:
    return [panel for func in _panels if (panel := func(user)) is not None]


# Main menu: (endpoint, lazy label, predicate(user)); each domain registers its own entries.
_nav: list[tuple[str, object, Callable[[object], bool]]] = []


def nav_item(endpoint: str, label, allowed: Callable[[object], bool] = lambda user: True) -> None:
    """Register a main-menu entry shown to users for whom ``allowed(user)`` is true."""
    _nav.append((endpoint, label, allowed))


def nav_items_for(user, current_endpoint: str | None) -> list[dict]:
    from flask import url_for
    return [{"url": url_for(endpoint), "label": label, "current": current_endpoint == endpoint}
            for endpoint, label, allowed in _nav if allowed(user)]
