"""What the visit views share: loading a visit in scope, the reader's language, and how an edit form is
filled."""
from __future__ import annotations

from flask import request
from flask_babel import get_locale

from exchange.views import found_or_404
from exchange.visits import queries
from exchange.visits.models import Visit


def locale() -> str:
    return str(get_locale())


def themes() -> list:
    """The active themes of the taxonomy, in the reader's language (filter and form choices)."""
    from exchange.themes.queries import active_themes
    return active_themes(locale())


def load_visit(visit_id: int) -> Visit:
    """The visit with everything its page shows; 404 for an unknown id."""
    return found_or_404(queries.visit_detail(visit_id))


def opened_with(data: dict) -> dict | None:
    """The saved values fill a form when it is opened (GET); a POST reads only what was sent."""
    return data if request.method == "GET" else None


def expected_version(form) -> int:
    """The version the form was opened with. A missing or tampered one never matches the saved version:
    a conflict, never a silent overwrite."""
    return form.version.checked
