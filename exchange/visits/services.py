"""Visit workflows: log and edit visits, their programme, participants, costs, lessons and follow-ups;
calendar feeds; personal data (export, erasure, retention).

Services take objects and plain data, check the invariants (whatever the form already checked: the CLI
and the demo loader call them too), flush and write the audit log. The caller commits. Audit details
never hold participants' names: the audit log outlives an erasure.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_name
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from exchange.audit.services import record
from exchange.errors import Refusal
from exchange.db import utcnow
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.municipalities.models import Municipality
from exchange.security import new_token, token_hash
from exchange.visits.models import (DEFAULT_RETENTION_YEARS, AgendaItem, CalendarFeed, Cost, CostCategory, FollowUp,
                                    FollowUpStatus, Participant, Visit, VisitMunicipality, VisitProject,
                                    VisitSettings, VisitStatus, VisitTheme, person_key)

# Limits shared with the forms (the database columns are sized to match).
PURPOSE_MAX = 5000
LESSONS_MAX = 10000
TITLE_MAX = 200
LOCATION_MAX = 200
NAME_MAX = 120
ORGANISATION_MAX = 200
ROLE_MAX = 120
NOTE_MAX = 200
ACTION_MAX = 500
OWNER_MAX = 120
AMOUNT_MAX = Decimal("9999999999.99")  # Numeric(12, 2)
MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_VISIT_DAYS = 366
RETENTION_RANGE = (1, 30)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A participant whose name has been erased (by request or by the retention rule).
ANONYMISED = None


class VisitError(ValueError):
    """A refused visit operation. ``code`` names the rule, ``field`` the form field it belongs to;
    the view translates both into an error beside the field."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{code} ({field})" if field else code)
        self.code = code
        self.field = field


class VisitConflict(VisitError):
    """Someone else saved the visit since the form was opened (version mismatch)."""

    def __init__(self):
        super().__init__("conflict")


@dataclass
class VisitData:
    """What the visit form (or the demo loader) provides."""

    host_id: int
    visiting_ids: set[int]
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    status: str = VisitStatus.PLANNED.value
    purpose: str = ""
    purpose_locale: str = "sv"
    theme_ids: set[int] = field(default_factory=set)
    project_ids: set[int] = field(default_factory=set)


# --- checks shared by the services ------------------------------------------------------------

def _text(value: str | None, limit: int, field_name: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise VisitError("required", field_name)
    if len(text) > limit:
        raise VisitError("too_long", field_name)
    if _CONTROL.search(text):
        raise VisitError("control_characters", field_name)
    return text


def _check_date(value: dt.date | None, field_name: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise VisitError("required", field_name)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise VisitError("date_out_of_range", field_name)
    return value


def _municipalities(ids: set[int]) -> dict[int, Municipality]:
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Municipality).where(Municipality.id.in_(ids)))}


def _check_schedule(data: VisitData) -> None:
    _check_date(data.start_date, "start_date")
    _check_date(data.end_date, "end_date")
    if data.end_time is not None and data.start_time is None:
        raise VisitError("end_time_without_start", "start_time")
    if data.end_date < data.start_date:
        raise VisitError("end_before_start", "end_date")
    if (data.end_date == data.start_date and data.start_time and data.end_time
            and data.end_time < data.start_time):
        raise VisitError("end_before_start", "end_time")
    if (data.end_date - data.start_date).days >= MAX_VISIT_DAYS:
        raise VisitError("too_long_visit", "end_date")


def _apply(visit: Visit, data: VisitData, actor) -> list[str]:
    """Write the form data onto the visit (new or existing); returns the names of changed texts."""
    try:
        status = VisitStatus(data.status)
    except ValueError:
        raise VisitError("invalid_choice", "status") from None
    visiting_ids = {int(i) for i in data.visiting_ids}
    host_id = int(data.host_id)
    if host_id in visiting_ids:
        raise VisitError("host_is_visitor", "visiting_ids")
    if not visiting_ids:
        raise VisitError("no_visitors", "visiting_ids")
    found = _municipalities(visiting_ids | {host_id})
    if host_id not in found:
        raise VisitError("invalid_choice", "host_id")
    if len(found) != len(visiting_ids | {host_id}):
        raise VisitError("invalid_choice", "visiting_ids")
    # The person logging or editing the visit must stay able to see and edit it.
    if actor is not None and actor.municipality_id not in visiting_ids | {host_id}:
        raise VisitError("own_municipality_missing", "host_id")
    _check_schedule(data)
    purpose = _text(data.purpose, PURPOSE_MAX, "purpose", required=True)
    themes = _themes(data.theme_ids)
    projects = _projects(data.project_ids)

    # Participants must come from a municipality of the visit: refuse a change that would orphan them.
    stranded = [p for p in visit.participants if p.municipality_id not in visiting_ids | {host_id}]
    if stranded:
        raise VisitError("participants_outside", "visiting_ids")

    visit.host_municipality_id = host_id
    visit.timezone = found[host_id].timezone
    visit.start_date, visit.end_date = data.start_date, data.end_date
    visit.start_time, visit.end_time = data.start_time, data.end_time
    visit.status = status.value
    # Replace link rows only where they changed, so unchanged rows are not deleted and re-inserted.
    current = {link.municipality_id: link for link in visit.visiting_links}
    visit.visiting_links = [current.get(i) or VisitMunicipality(municipality_id=i) for i in sorted(visiting_ids)]
    current_themes = {link.theme_id: link for link in visit.theme_links}
    visit.theme_links = [current_themes.get(t.id) or VisitTheme(theme_id=t.id) for t in themes]
    current_projects = {link.project_id: link for link in visit.project_links}
    visit.project_links = [current_projects.get(p.id) or VisitProject(project_id=p.id) for p in projects]
    # Bump the row even when only links or texts changed, so the version column catches a concurrent save.
    visit.updated_at = utcnow()
    db.session.flush()
    return content.write_fields(visit, {"purpose": purpose}, data.purpose_locale, actor)


def _themes(ids: set[int]):
    from exchange.themes.queries import by_ids
    try:
        themes = by_ids(ids or ())
    except (TypeError, ValueError):
        raise VisitError("invalid_choice", "theme_ids") from None
    if len(themes) != len(set(ids or ())):
        raise VisitError("invalid_choice", "theme_ids")
    return themes


def _projects(ids: set[int]):
    """Projects the actor can see (the scope hides other municipalities' drafts)."""
    from exchange.projects.models import Project
    ids = {int(i) for i in ids or ()}
    if not ids:
        return []
    projects = list(db.session.scalars(select(Project).where(Project.id.in_(ids)).order_by(Project.id)))
    if len(projects) != len(ids):
        raise VisitError("invalid_choice", "project_ids")
    return projects


def _check_version(visit: Visit, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != visit.version:
        raise VisitConflict()


@contextlib.contextmanager
def _versioned() -> Iterator[None]:
    """Flushes inside become a VisitConflict when a concurrent save got there first (the UPDATE matched
    no row at the version we loaded: SQLAlchemy's version_id_col check)."""
    try:
        yield
        db.session.flush()
    except StaleDataError:
        raise VisitConflict() from None


# --- the visit itself -------------------------------------------------------------------------

def create_visit(data: VisitData, actor) -> Visit:
    """Log a new visit. The actor's municipality must be the host or a visitor."""
    visit = Visit(host_municipality_id=int(data.host_id), start_date=data.start_date, end_date=data.end_date,
                  timezone="UTC")
    try:
        _apply(visit, data, actor)
    except VisitError:
        # Nothing half-made may stay in the session (the caller may render the form and go on).
        if visit in db.session:
            db.session.expunge(visit)
        raise
    db.session.add(visit)
    db.session.flush()
    record(actor, "visit.create", visit, host=visit.host_municipality_id,
           visiting=sorted(visit.visiting_ids), start=visit.start_date.isoformat(), status=visit.status)
    return visit


def update_visit(visit: Visit, data: VisitData, expected_version: int | None, actor) -> list[str]:
    """Save the edit form. ``expected_version`` is the version the form was opened with."""
    _check_version(visit, expected_version)
    before = {"host": visit.host_municipality_id, "visiting": sorted(visit.visiting_ids),
              "start": visit.start_date.isoformat(), "end": visit.end_date.isoformat(), "status": visit.status}
    with _versioned():
        changed = _apply(visit, data, actor)
    after = {"host": visit.host_municipality_id, "visiting": sorted(visit.visiting_ids),
             "start": visit.start_date.isoformat(), "end": visit.end_date.isoformat(), "status": visit.status}
    record(actor, "visit.update", visit, changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
           texts=changed)
    return changed


def set_lessons(visit: Visit, text: str, locale: str, expected_version: int | None, actor) -> bool:
    """Write the lessons learned (translatable; other language versions become outdated)."""
    _check_version(visit, expected_version)
    text = _text(text, LESSONS_MAX, "lessons")
    if not text and visit.source_row("lessons") is None:
        return False  # nothing written, nothing to store
    with _versioned():
        try:
            changed = content.set_source(visit, "lessons", text, locale, actor)
        except Refusal as exc:
            raise VisitError(exc.code, "language") from None
        if changed:
            visit.updated_at = utcnow()  # the row changes, so the version column moves on
    if changed:
        record(actor, "visit.lessons", visit, locale=locale)
    return changed


def delete_visit(visit: Visit, actor) -> None:
    """Delete a visit logged by mistake, with everything hanging off it."""
    record(actor, "visit.delete", visit, start=visit.start_date.isoformat(), host=visit.host_municipality_id)
    with _versioned():
        db.session.delete(visit)


# --- programme --------------------------------------------------------------------------------

def _agenda_values(visit: Visit, day: dt.date, title: str, location: str, start_time: dt.time | None,
                   end_time: dt.time | None) -> tuple[str, str]:
    """The checks of a programme item (adding and editing): returns the cleaned title and location."""
    title = _text(title, TITLE_MAX, "title", required=True)
    location = _text(location, LOCATION_MAX, "location")
    _check_date(day, "day")
    if not visit.start_date <= day <= visit.end_date:
        raise VisitError("day_outside_visit", "day")
    if end_time is not None and start_time is not None and end_time < start_time:
        raise VisitError("end_before_start", "end_time")
    return title, location


def add_agenda_item(visit: Visit, day: dt.date, title: str, location: str, lang: str, actor,
                    start_time: dt.time | None = None, end_time: dt.time | None = None) -> AgendaItem:
    """Add an item to the programme; its day must be one of the visit's days."""
    title, location = _agenda_values(visit, day, title, location, start_time, end_time)
    item = AgendaItem(day=day, start_time=start_time, end_time=end_time, title=title, location=location,
                      lang=lang)
    visit.agenda_items.append(item)
    db.session.flush()
    record(actor, "visit.agenda_add", visit, item=item.id)
    return item


def update_agenda_item(item: AgendaItem, day: dt.date, title: str, location: str, lang: str, actor,
                       start_time: dt.time | None = None, end_time: dt.time | None = None) -> AgendaItem:
    """Change a programme item, with the checks of adding one. The language mark follows the texts:
    it changes only when the title or the place was rewritten."""
    title, location = _agenda_values(item.visit, day, title, location, start_time, end_time)
    if (title, location) != (item.title, item.location):
        item.lang = lang
    item.day, item.start_time, item.end_time = day, start_time, end_time
    item.title, item.location = title, location
    db.session.flush()
    record(actor, "visit.agenda_update", item.visit, item=item.id)
    return item


def remove_agenda_item(item: AgendaItem, actor) -> None:
    record(actor, "visit.agenda_remove", item.visit, item=item.id)
    item.visit.agenda_items.remove(item)
    db.session.flush()


# --- participants -----------------------------------------------------------------------------

def _participant_values(visit: Visit, municipality_id, name: str, organisation: str,
                        role: str) -> tuple[int, str, str, str]:
    """The checks of a participant (adding and editing): returns (municipality id, name, organisation, role)."""
    name = _text(name, NAME_MAX, "name", required=True)
    organisation = _text(organisation, ORGANISATION_MAX, "organisation")
    role = _text(role, ROLE_MAX, "role")
    try:
        municipality_id = int(municipality_id)
    except (TypeError, ValueError):
        raise VisitError("invalid_choice", "municipality_id") from None
    if municipality_id not in visit.municipality_ids:
        raise VisitError("participant_municipality", "municipality_id")
    return municipality_id, name, organisation, role


def add_participant(visit: Visit, municipality_id: int, name: str, organisation: str, role: str,
                    actor) -> Participant:
    """Add a participant; they must come from the host or a visiting municipality."""
    municipality_id, name, organisation, role = _participant_values(visit, municipality_id, name, organisation,
                                                                    role)
    participant = Participant(municipality_id=municipality_id, name=name, name_key=person_key(name),
                              organisation=organisation, role=role)
    visit.participants.append(participant)
    db.session.flush()
    # No name in the audit log: it would survive an erasure.
    record(actor, "visit.participant_add", visit, participant=participant.id)
    return participant


def update_participant(participant: Participant, municipality_id: int, name: str, organisation: str, role: str,
                       actor) -> Participant:
    """Change a participant, with the checks of adding one. Giving an anonymised participant a name
    again records a person again (the name is required, as when adding)."""
    municipality_id, name, organisation, role = _participant_values(participant.visit, municipality_id, name,
                                                                    organisation, role)
    participant.municipality_id = municipality_id
    participant.name, participant.name_key = name, person_key(name)
    participant.organisation, participant.role = organisation, role
    participant.anonymised_at = None
    db.session.flush()
    # No name in the audit log: it would survive an erasure.
    record(actor, "visit.participant_update", participant.visit, participant=participant.id)
    return participant


def remove_participant(participant: Participant, actor) -> None:
    record(actor, "visit.participant_remove", participant.visit, participant=participant.id)
    participant.visit.participants.remove(participant)
    db.session.flush()


# --- costs ------------------------------------------------------------------------------------

def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise VisitError("invalid_amount", "amount") from None
    if not amount.is_finite():
        raise VisitError("invalid_amount", "amount")
    if amount < 0:
        raise VisitError("negative_amount", "amount")
    if amount > AMOUNT_MAX:
        raise VisitError("amount_too_large", "amount")
    return amount.quantize(Decimal("0.01"))


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or get_currency_name(code, locale="en") == code:
        raise VisitError("invalid_choice", "currency")
    return code


def _cost_values(visit: Visit, municipality_id, category: str, amount, currency: str, note: str,
                 funding_line_id) -> tuple[int, str, Decimal, str, str, int | None]:
    """The checks of a cost (adding and editing): returns the cleaned
    (municipality id, category, amount, currency, note, funding line id)."""
    try:
        category = CostCategory(category).value
    except ValueError:
        raise VisitError("invalid_choice", "category") from None
    try:
        municipality_id = int(municipality_id)
    except (TypeError, ValueError):
        raise VisitError("invalid_choice", "municipality_id") from None
    if municipality_id not in visit.municipality_ids:
        raise VisitError("payer_municipality", "municipality_id")
    amount = _amount(amount)
    currency = _currency(currency)
    note = _text(note, NOTE_MAX, "note")
    if funding_line_id is not None:
        line = _funding_line(visit, funding_line_id)
        if line.currency != currency:
            raise VisitError("funding_currency", "funding_line_id")
        funding_line_id = line.id
    return municipality_id, category, amount, currency, note, funding_line_id


def add_cost(visit: Visit, municipality_id: int, category: str, amount, currency: str, note: str, actor,
             funding_line_id: int | None = None) -> Cost:
    """Add a cost in its own currency, paid by a municipality of the visit, optionally from a funding
    line of a project linked to the visit."""
    municipality_id, category, amount, currency, note, funding_line_id = _cost_values(
        visit, municipality_id, category, amount, currency, note, funding_line_id)
    cost = Cost(municipality_id=municipality_id, category=category, amount=amount, currency=currency, note=note,
                funding_line_id=funding_line_id)
    visit.costs.append(cost)
    db.session.flush()
    record(actor, "visit.cost_add", visit, cost=cost.id, amount=str(amount), currency=currency, category=category)
    return cost


def _funding_line(visit: Visit, funding_line_id):
    from exchange.projects.models import FundingLine
    try:
        funding_line_id = int(funding_line_id)
    except (TypeError, ValueError):
        raise VisitError("invalid_choice", "funding_line_id") from None
    line = db.session.get(FundingLine, funding_line_id)
    if line is None or line.project_id not in {link.project_id for link in visit.project_links}:
        raise VisitError("invalid_choice", "funding_line_id")
    return line


def update_cost(cost: Cost, municipality_id: int, category: str, amount, currency: str, note: str, actor,
                funding_line_id: int | None = None) -> Cost:
    """Change a cost, with the checks of adding one."""
    municipality_id, category, amount, currency, note, funding_line_id = _cost_values(
        cost.visit, municipality_id, category, amount, currency, note, funding_line_id)
    cost.municipality_id, cost.category, cost.amount = municipality_id, category, amount
    cost.currency, cost.note, cost.funding_line_id = currency, note, funding_line_id
    db.session.flush()
    record(actor, "visit.cost_update", cost.visit, cost=cost.id, amount=str(amount), currency=currency,
           category=category)
    return cost


def remove_cost(cost: Cost, actor) -> None:
    record(actor, "visit.cost_remove", cost.visit, cost=cost.id)
    cost.visit.costs.remove(cost)
    db.session.flush()


# --- follow-up actions ------------------------------------------------------------------------

def _follow_up_values(action: str, owner: str, due_date: dt.date | None) -> tuple[str, str]:
    """The checks of a follow-up action (adding and editing): returns the cleaned action and owner."""
    action = _text(action, ACTION_MAX, "action", required=True)
    owner = _text(owner, OWNER_MAX, "owner")
    if due_date is not None:
        _check_date(due_date, "due_date")
    return action, owner


def add_follow_up(visit: Visit, action: str, owner: str, due_date: dt.date | None, lang: str,
                  actor) -> FollowUp:
    """Add a follow-up action (open)."""
    action, owner = _follow_up_values(action, owner, due_date)
    follow_up = FollowUp(action=action, owner=owner, owner_key=person_key(owner), due_date=due_date,
                         status=FollowUpStatus.OPEN.value, lang=lang)
    visit.follow_ups.append(follow_up)
    db.session.flush()
    record(actor, "visit.follow_up_add", visit, follow_up=follow_up.id,
           due=due_date.isoformat() if due_date else None)
    return follow_up


def update_follow_up(follow_up: FollowUp, action: str, owner: str, due_date: dt.date | None, lang: str,
                     actor) -> FollowUp:
    """Change what, who and by when, with the checks of adding one (the status is changed by
    set_follow_up_done). The language mark changes only when the action was rewritten."""
    action, owner = _follow_up_values(action, owner, due_date)
    if action != follow_up.action:
        follow_up.lang = lang
    follow_up.action, follow_up.owner, follow_up.owner_key = action, owner, person_key(owner)
    follow_up.due_date = due_date
    db.session.flush()
    record(actor, "visit.follow_up_update", follow_up.visit, follow_up=follow_up.id,
           due=due_date.isoformat() if due_date else None)
    return follow_up


def set_follow_up_done(follow_up: FollowUp, done: bool, actor) -> None:
    """Mark a follow-up action done, or open it again."""
    follow_up.status = (FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value
    follow_up.done_at = utcnow() if done else None
    db.session.flush()
    record(actor, "visit.follow_up_done" if done else "visit.follow_up_reopen", follow_up.visit,
           follow_up=follow_up.id)


def remove_follow_up(follow_up: FollowUp, actor) -> None:
    record(actor, "visit.follow_up_remove", follow_up.visit, follow_up=follow_up.id)
    follow_up.visit.follow_ups.remove(follow_up)
    db.session.flush()


# --- calendar feeds ---------------------------------------------------------------------------

def create_feed(actor) -> tuple[CalendarFeed, str]:
    """A new secret subscription URL for the current municipality; the earlier one stops working.
    Returns the feed and the token, which is shown once and never stored."""
    for feed in active_feeds():
        feed.revoked_at = utcnow()
    token, hashed = new_token()
    feed = CalendarFeed(token_hash=hashed, created_by_id=getattr(actor, "id", None))
    db.session.add(feed)
    db.session.flush()
    record(actor, "visit.feed_create", feed)
    return feed, token


def revoke_feed(feed: CalendarFeed, actor) -> None:
    """The URL answers 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        db.session.flush()
        record(actor, "visit.feed_revoke", feed)


def active_feeds() -> list[CalendarFeed]:
    return list(db.session.scalars(select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None))))


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of the current municipality with this token, or None (wrong, revoked, or another
    municipality's token: the scope hides it)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))
    return feed if feed is not None and feed.is_active else None


# --- settings, personal data, retention -------------------------------------------------------

def settings() -> VisitSettings:
    """The current municipality's visit settings (defaults when none were saved; not added to the session)."""
    row = db.session.scalar(select(VisitSettings))
    return row if row is not None else VisitSettings(retention_years=DEFAULT_RETENTION_YEARS)


def set_retention(years: int, actor) -> VisitSettings:
    """Change how many years after a visit participants' names are kept."""
    try:
        years = int(years)
    except (TypeError, ValueError):
        raise VisitError("invalid_retention", "retention_years") from None
    if not RETENTION_RANGE[0] <= years <= RETENTION_RANGE[1]:
        raise VisitError("invalid_retention", "retention_years")
    row = db.session.scalar(select(VisitSettings))
    if row is None:
        row = VisitSettings()
        db.session.add(row)
    before = row.retention_years
    row.retention_years = years
    db.session.flush()
    record(actor, "visit.retention", row, before=before, after=years)
    return row


def _anonymise(participant: Participant, when: dt.datetime) -> None:
    participant.name = ANONYMISED
    participant.name_key = None
    participant.anonymised_at = when


def erase_person(name: str, readable, actor) -> dict[str, int]:
    """Erase one person's name from every participant row and follow-up owner the actor's municipality
    can read (``readable``: permissions.details_clause). Rows stay (counts and organisations stay
    right); the name becomes "anonymised participant". Returns what was changed."""
    from exchange.visits import queries
    key = person_key(name)
    if not key:
        raise VisitError("required", "name")
    participants, follow_ups = queries.person_records(key, readable)
    now = utcnow()
    for participant in participants:
        _anonymise(participant, now)
    for follow_up in follow_ups:
        follow_up.owner = ""
        follow_up.owner_key = ""
    db.session.flush()
    # The audit entry counts what was erased; it does not repeat the name.
    record(actor, "visit.person_erased", None, participants=len(participants), follow_ups=len(follow_ups))
    return {"participants": len(participants), "follow_ups": len(follow_ups)}


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """Visits that ended before this date are past the retention period."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def anonymise_expired(today: dt.date | None = None) -> int:
    """Anonymise the names of the current municipality's participants whose visit ended longer ago than
    the municipality's retention period. Idempotent: safe to run daily (already anonymised rows are
    skipped). Returns the number of names anonymised."""
    from exchange.tenancy import current_municipality_id
    from exchange.visits import queries
    today = today or dt.date.today()
    cutoff = retention_cutoff(today, settings().retention_years)
    rows = queries.expired_participants(current_municipality_id(), cutoff)
    now = utcnow()
    for participant in rows:
        _anonymise(participant, now)
    db.session.flush()
    if rows:
        record(None, "visit.retention_anonymised", None, participants=len(rows), cutoff=cutoff.isoformat())
    return len(rows)
