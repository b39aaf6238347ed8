"""The visit itself: log, edit, lessons learned, delete.

Links to projects: an editor adds or removes only links to projects they can see. A link to a project
hidden from them (another municipality's draft, which the tenancy scope hides) is kept as it is: a form
never drops what its user could not see (DESIGN.md §4).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Conflict, Refusal
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.municipalities.models import Municipality
from exchange.notifications.events import notify
from exchange.rules import check_date, check_locale, check_version, clean_text
from exchange.visits import tallies
from exchange.visits.models import Visit, VisitMunicipality, VisitProject, VisitStatus, VisitTheme

MAX_VISIT_DAYS = 366


@dataclass
class VisitData:
    """What the visit form (or the demo loader) provides. Ids the form could not read are None (host)
    or left out (the sets)."""

    host_id: int | None
    visiting_ids: set[int]
    start_date: dt.date | None
    end_date: dt.date | None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    status: str = VisitStatus.PLANNED.value
    purpose: str = ""
    purpose_locale: str = "sv"
    theme_ids: set[int] = field(default_factory=set)
    project_ids: set[int] = field(default_factory=set)


@contextlib.contextmanager
def _versioned() -> Iterator[None]:
    """Flushes inside become a Conflict when a concurrent save got there first (the UPDATE matched no
    row at the version we loaded: SQLAlchemy's version_id_col check)."""
    try:
        yield
        db.session.flush()
    except StaleDataError:
        raise Conflict() from None


# --- checks -----------------------------------------------------------------------------------

def _check_schedule(data: VisitData) -> None:
    check_date(data.start_date, "start_date")
    check_date(data.end_date, "end_date")
    if data.end_time is not None and data.start_time is None:
        raise Refusal("end_time_without_start", "start_time")
    if data.end_date < data.start_date:
        raise Refusal("end_before_start", "end_date")
    if (data.end_date == data.start_date and data.start_time and data.end_time
            and data.end_time < data.start_time):
        raise Refusal("visit_ends_before_start", "end_time")
    if (data.end_date - data.start_date).days >= MAX_VISIT_DAYS:
        raise Refusal("too_long_visit", "end_date", days=MAX_VISIT_DAYS)


def _municipalities(data: VisitData, actor) -> dict[int, Municipality]:
    """The host and the visitors (global records), checked: host given and not a visitor, at least one
    visitor, every id known, and the actor's own municipality among them."""
    visiting_ids, host_id = set(data.visiting_ids), data.host_id
    if host_id in visiting_ids:
        raise Refusal("host_is_visitor", "visiting_ids")
    if not visiting_ids:
        raise Refusal("no_visitors", "visiting_ids")
    wanted = visiting_ids | {host_id}
    found = {m.id: m for m in db.session.scalars(
        select(Municipality).where(Municipality.id.in_(wanted - {None})))}
    if host_id not in found:
        raise Refusal("unknown_choice", "host_id")
    if len(found) != len(wanted):
        raise Refusal("unknown_choice", "visiting_ids")
    # The person logging or editing the visit must stay able to see and edit it.
    if actor is not None and actor.municipality_id not in wanted:
        raise Refusal("own_municipality_missing", "host_id")
    return found


def _themes(ids: set[int]):
    from exchange.themes.queries import by_ids
    themes = by_ids(ids or ())
    if len(themes) != len(set(ids or ())):
        raise Refusal("unknown_choice", "theme_ids")
    return themes


def _project_ids(visit: Visit, requested: set[int]) -> list[int]:
    """The project links after the save: the requested projects (each one the actor can see), plus every
    current link to a project the actor cannot see. The tenancy scope decides what the actor sees."""
    from exchange.projects.models import Project
    current = {link.project_id for link in visit.project_links}
    asked = current | set(requested)
    visible = set(db.session.scalars(select(Project.id).where(Project.id.in_(asked)))) if asked else set()
    if set(requested) - visible:
        raise Refusal("unknown_choice", "project_ids")
    return sorted(set(requested) | (current - visible))


def _apply(visit: Visit, data: VisitData, actor) -> list[str]:
    """Write the form data onto the visit (new or existing); returns the names of changed texts."""
    if data.status not in {s.value for s in VisitStatus}:
        raise Refusal("unknown_choice", "status")
    found = _municipalities(data, actor)
    _check_schedule(data)
    # Completed means it took place: not before its first day has come in the host's own time zone
    # (issue 14: a visit dated next year was "completed" and counted in the reports).
    host_today = dt.datetime.now(zoneinfo.ZoneInfo(found[data.host_id].timezone)).date()
    if data.status == VisitStatus.COMPLETED.value and data.start_date > host_today:
        raise Refusal("completed_in_future", "status")
    purpose = clean_text(data.purpose, Len.TEXT, "purpose", required=True)
    check_locale(data.purpose_locale, "purpose_locale")
    themes = _themes(data.theme_ids)
    project_ids = _project_ids(visit, data.project_ids)

    # Participants must come from a municipality of the visit: refuse a change that would orphan them.
    if any(p.municipality_id not in found for p in visit.participants):
        raise Refusal("participants_outside", "visiting_ids")

    visit.host_municipality_id = data.host_id
    visit.timezone = found[data.host_id].timezone
    visit.start_date, visit.end_date = data.start_date, data.end_date
    visit.start_time, visit.end_time = data.start_time, data.end_time
    visit.status = data.status
    # Replace link rows only where they changed, so unchanged rows are not deleted and re-inserted.
    current = {link.municipality_id: link for link in visit.visiting_links}
    visit.visiting_links = [current.get(i) or VisitMunicipality(municipality_id=i) for i in sorted(data.visiting_ids)]
    current_themes = {link.theme_id: link for link in visit.theme_links}
    visit.theme_links = [current_themes.get(t.id) or VisitTheme(theme_id=t.id) for t in themes]
    current_projects = {link.project_id: link for link in visit.project_links}
    visit.project_links = [current_projects.get(i) or VisitProject(project_id=i) for i in project_ids]
    # Bump the row even when only links or texts changed, so the version column catches a concurrent save.
    visit.updated_at = utcnow()
    db.session.flush()
    return content.write_fields(visit, {"purpose": purpose}, data.purpose_locale, actor)


def _summary(visit: Visit) -> dict:
    return {"host": visit.host_municipality_id, "visiting": sorted(visit.visiting_ids),
            "start": visit.start_date.isoformat(), "end": visit.end_date.isoformat(), "status": visit.status}


# --- the visit itself -------------------------------------------------------------------------

def create_visit(data: VisitData, actor) -> Visit:
    """Log a new visit. The actor's municipality must be the host or a visitor."""
    visit = Visit(host_municipality_id=data.host_id, start_date=data.start_date, end_date=data.end_date,
                  timezone="UTC")
    with tallies.tracked(visit):
        try:
            _apply(visit, data, actor)
        except Refusal:
            # Nothing half-made may stay in the session (the caller may render the form and go on).
            if visit in db.session:
                db.session.expunge(visit)
            raise
        db.session.add(visit)
        db.session.flush()
    record(actor, "visit.create", visit, host=visit.host_municipality_id,
           visiting=sorted(visit.visiting_ids), start=visit.start_date.isoformat(), status=visit.status)
    notify("visits.visit_changed", actor, visit=visit, logged=True)
    return visit


def update_visit(visit: Visit, data: VisitData, expected_version: int | None, actor) -> list[str]:
    """Save the edit form. ``expected_version`` is the version the form was opened with. Links to
    projects the actor cannot see stay as they are."""
    check_version(visit, expected_version)
    before = _summary(visit)
    with tallies.tracked(visit), _versioned():
        changed = _apply(visit, data, actor)
    after = _summary(visit)
    record(actor, "visit.update", visit, changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
           texts=changed)
    if before != after or changed:
        notify("visits.visit_changed", actor, visit=visit, logged=False)
    return changed


def set_lessons(visit: Visit, text: str, locale: str, expected_version: int | None, actor) -> bool:
    """Write the lessons learned (translatable; other language versions become outdated)."""
    check_version(visit, expected_version)
    text = clean_text(text, Len.LONG_TEXT, "lessons")
    check_locale(locale, "language")
    if not text and visit.source_row("lessons") is None:
        return False  # nothing written, nothing to store
    with _versioned():
        changed = content.set_source(visit, "lessons", text, locale, actor)
        if changed:
            visit.updated_at = utcnow()  # the row changes, so the version column moves on
    if changed:
        record(actor, "visit.lessons", visit, locale=locale)
        if text:
            notify("visits.lessons_published", actor, visit=visit)
    return changed


def set_lessons_public(visit: Visit, public: bool, actor, expected_version: int | None = None) -> None:
    """Show the lessons learned (their approved versions) on the public pages once the visit took place."""
    check_version(visit, expected_version)
    if bool(visit.lessons_public) == public:
        return
    with _versioned():
        visit.lessons_public = public
        visit.updated_at = utcnow()
    record(actor, "visit.lessons_public", visit, public=public)


def delete_visit(visit: Visit, actor, expected_version: int | None = None) -> None:
    """Delete a visit logged by mistake, with everything hanging off it."""
    check_version(visit, expected_version)
    record(actor, "visit.delete", visit, start=visit.start_date.isoformat(), host=visit.host_municipality_id)
    with tallies.tracked(visit), _versioned():
        db.session.delete(visit)
