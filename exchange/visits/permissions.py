"""Who may see and do what with visits (DESIGN.md §4, issue 5). Used by views (403) and templates.

Every municipality of the network sees *that* a visit took place (the tenancy rule in models.py). On top
of that:

* users of the host and the visiting municipalities read the details: purpose, programme, costs,
  lessons learned, follow-up actions, and the participants as counts and organisations;
* coordinators and admins of those municipalities also see participants' names, and create and edit
  the visit;
* a third municipality sees dates, municipalities, status, themes and linked projects: no purpose,
  programme, participants, costs, lessons or follow-ups.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import false

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in
from exchange.visits import queries

EDITORS = (Role.COORDINATOR, Role.ADMIN)


def is_involved(user, visit) -> bool:
    """The user works for the host or a visiting municipality of the visit."""
    return is_signed_in(user) and visit.involves_id(user.municipality_id)


def can_view_visits(user) -> bool:
    """Every signed-in user sees the network's visits (the fact that they took place)."""
    return is_signed_in(user)


def can_view_details(user, visit) -> bool:
    """Purpose, programme, costs, lessons, follow-ups and participant counts/organisations."""
    return is_involved(user, visit)


def can_view_costs(user, visit) -> bool:
    return can_view_details(user, visit)


def can_view_participant_names(user, visit) -> bool:
    """Names are personal data: coordinators and admins of the municipalities of the visit only."""
    return is_involved(user, visit) and user.has_role(*EDITORS)


def can_create_visit(user) -> bool:
    """Coordinators and admins log visits (their municipality must be host or visitor: the service checks)."""
    return is_signed_in(user) and user.has_role(*EDITORS)


def can_edit_visit(user, visit) -> bool:
    """Coordinators and admins of the host or a visiting municipality edit everything about the visit."""
    return is_involved(user, visit) and user.has_role(*EDITORS)


def can_publish_lessons(user, visit) -> bool:
    """Its editors show the lessons learned of a visit that took place on the public pages (issue 17)."""
    return can_edit_visit(user, visit) and (visit.is_public or bool(visit.lessons_public))


def can_manage_feeds(user) -> bool:
    """Create and revoke the municipality's secret calendar subscription URL."""
    return is_signed_in(user) and user.has_role(*EDITORS)


def can_manage_personal_data(user) -> bool:
    """Export or erase everything stored about one participant (a data subject's request)."""
    return is_signed_in(user) and user.has_role(*EDITORS)


def can_edit_settings(user) -> bool:
    """The retention period is a municipality setting: its admins decide."""
    return is_signed_in(user) and user.has_role(Role.ADMIN)


def can_see_overdue_follow_ups(user) -> bool:
    """Coordinators (and admins) follow up; they get the overdue actions on their dashboard."""
    return is_signed_in(user) and user.has_role(*EDITORS)


def details_clause(user, counting: bool = False):
    """The SQL form of can_view_details(): for reads that gather details across many visits (lessons,
    reports of participants and follow-ups, CSV of follow-ups, the dashboard). Never true for anonymous.
    ``counting``: for a statement that counts what it finds (queries.involving)."""
    if not is_signed_in(user):
        return false()
    return queries.involving(user.municipality_id, counting)


def details_visit_clause(user, visit_id, counting: bool = False):
    """details_clause() for the rows of a visit's children (its follow-up actions): their visit, named by
    the column ``visit_id``, is one whose details the user may read. Never true for anonymous."""
    if not is_signed_in(user):
        return false()
    return queries.involving_visit(visit_id, user.municipality_id, counting)


def details_municipality(user) -> int | None:
    """can_view_details() for the reports' running counts (exchange.visits.tallies), which are kept per
    municipality of the visits: the id of the municipality whose counts the user reads, None for nobody."""
    return user.municipality_id if is_signed_in(user) else None


# --- why not, and who can (issue 14: no dead ends) ----------------------------------------------------

def why_not_create_visit(user) -> str | None:
    if not is_signed_in(user) or can_create_visit(user):
        return None
    return _("Visits are logged by the coordinators of %(municipality)s: ask one of them.",
             municipality=user.municipality.name)


def why_not_edit_visit(user, visit) -> str | None:
    if not is_signed_in(user) or can_edit_visit(user, visit):
        return None
    if not is_involved(user, visit):
        return _("Only the coordinators of the host and the visiting municipalities edit this visit.")
    return _("Visits are edited by the coordinators of %(municipality)s: ask one of them.",
             municipality=user.municipality.name)
