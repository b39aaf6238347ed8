"""Knowledge-exchange visits: the blueprint and what its templates may call.

Each view: load (scoped, 404) → permission (403) → ``exchange.views.submit`` (validate → one service call
→ commit → flash → redirect; a refusal is shown beside its field with 422, a stale save with 409).

* ``pages``: the list, the calendar month, a visit's page, logging and editing a visit, lessons, deletion;
* ``children``: adding, editing and removing a visit's programme items, participants, costs, follow-ups;
* ``feeds``: .ics files and the secret subscription feed;
* ``reports``: what we learned, the reports and their CSV exports;
* ``personal``: participants' personal data and the retention setting;
* ``panels``: the dashboard panels.

Templates call ``can.visits.<verb_thing>(…)`` (permissions.py) and ``h.visits.title/when/time/today``
(display.py).
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from exchange import templating
from exchange.dashboard import nav_item
from exchange.visits import display, permissions

bp = Blueprint("visits", __name__, url_prefix="/visits")

nav_item("tenant.visits.index", _l("Visits"), permissions.can_view_visits)
templating.expose_permissions("visits", permissions)
templating.expose_helpers("visits", **display.HELPERS)
templating.expose_helpers("visits", why_not_create=lambda: permissions.why_not_create_visit(current_user),
                          why_not_edit=lambda visit: permissions.why_not_edit_visit(current_user, visit))

from exchange.visits.views import children, feeds, pages, panels, personal, reports  # noqa: E402,F401
