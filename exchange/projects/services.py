"""Project workflows: drafting and editing, the lifecycle, joining, contributions, discussion.

Services take objects and plain data, check the invariants, flush and write the audit log and the
project's own history; the caller (a view, the CLI or the demo loader) checks permissions and commits.
Refusals raise ProjectError with a code (and the form field it concerns) for the view to translate.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_name
from flask import current_app

from exchange.audit.services import record
from exchange.db import utcnow
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.projects.models import (CLOSED, OPEN_FOR_PARTNERS, TRANSITIONS, Dimension, FundingLine,
                                      FundingSource, Milestone, ParticipationStatus, PriorityArea, Project,
                                      ProjectComment, ProjectContact, ProjectEvent, ProjectParticipation,
                                      ProjectPriorityArea, ProjectStatus, ProjectSustainability, ProjectTheme)
from exchange.themes import queries as theme_queries

# Length limits, shared with the forms (the forms give the friendly error; these are the last line).
LIMITS = {"title": 200, "summary": 1000, "description": 20000, "rationale": 1000, "reason": 2000,
          "comment": 5000, "message": 2000, "contribution": 10000, "milestone": 200, "note": 200,
          "name": 120, "role": 120, "email": 255, "phone": 40}
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_HOURS = Decimal("99999999.99")       # Numeric(10, 2)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ProjectError(ValueError):
    """A refused project operation: ``code`` names the rule, ``field`` the form field it concerns."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


class ConflictError(ProjectError):
    """Someone else saved the object since the form was opened (a stale version)."""

    def __init__(self):
        super().__init__("conflict")


@dataclass
class ProjectInput:
    """What the project form says, as plain data.

    ``texts`` holds the author's language (``locale``, the source) and any translations written at once:
    ``{"sv": {"title": …, "summary": …, "description": …}, "it": {…}}``.
    """

    locale: str
    texts: dict[str, dict[str, str]]
    priority_areas: list[str] = field(default_factory=list)
    sustainability: dict[str, str] = field(default_factory=dict)
    theme_ids: list[int] = field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


# --- helpers -----------------------------------------------------------------------------------

def _text(value: str | None, key: str, field_name: str | None = None, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ProjectError("required", field_name or key)
    if len(value) > LIMITS[key]:
        raise ProjectError("too_long", field_name or key)
    if _CONTROL.search(value):
        raise ProjectError("control_characters", field_name or key)
    return value


def _check_locale(locale: str, field_name: str = "locale") -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise ProjectError("unknown_locale", field_name)


def _event(project: Project, user, kind: str, **values) -> ProjectEvent:
    event = ProjectEvent(kind=kind, actor_name=getattr(user, "name", None),
                         actor_municipality_id=getattr(user, "municipality_id", None), **values)
    project.events.append(event)
    return event


def _check_version(obj, expected_version: int | None) -> None:
    # The form carries the version it was opened with; an older one means someone saved in between.
    # (A save racing this check is caught by the version column itself: StaleDataError at flush.)
    if expected_version is not None and expected_version != obj.version:
        raise ConflictError()


def check_currency(code: str, field_name: str = "currency") -> str:
    """An ISO 4217 code Babel knows (SEK, EUR, …)."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or get_currency_name(code, locale="en") == code:
        raise ProjectError("unknown_currency", field_name)
    return code


def _amount(value, field_name: str, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ProjectError("not_a_number", field_name) from None
    if not amount.is_finite():
        raise ProjectError("not_a_number", field_name)
    if amount < 0:
        raise ProjectError("negative", field_name)
    if amount > maximum:
        raise ProjectError("too_large", field_name)
    return amount.quantize(Decimal("0.01"))


# --- drafting and editing ----------------------------------------------------------------------

def _validate(data: ProjectInput) -> None:
    _check_locale(data.locale)
    # Text errors name the per-language form field (title_sv, summary_it, …).
    source = data.texts.get(data.locale, {})
    _text(source.get("title"), "title", f"title_{data.locale}", required=True)
    for other, texts in data.texts.items():
        _check_locale(other)
        for name in Project.TRANSLATABLE_FIELDS:
            _text(texts.get(name), name, f"{name}_{other}")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ProjectError("end_before_start", "end_date")
    if not data.priority_areas:
        raise ProjectError("no_priority_area", "priority_areas")
    known_areas = {a.value for a in PriorityArea}
    if any(a not in known_areas for a in data.priority_areas):
        raise ProjectError("unknown_choice", "priority_areas")
    known_dimensions = {d.value for d in Dimension}
    for dimension, rationale in data.sustainability.items():
        if dimension not in known_dimensions:
            raise ProjectError("unknown_choice", "sustainability")
        _text(rationale, "rationale", f"rationale_{dimension}")
    if len(theme_queries.by_ids(data.theme_ids)) != len(set(data.theme_ids)):
        raise ProjectError("unknown_theme", "themes")


def _write_texts(project: Project, data: ProjectInput, user) -> list[str]:
    """The author's language becomes the source; other languages are stored as translations only when
    they were written or changed in this save, so an untouched outdated translation stays marked."""
    source = {name: (data.texts.get(data.locale, {}).get(name) or "").strip()
              for name in Project.TRANSLATABLE_FIELDS}
    changed = []
    for name, text in source.items():
        has_source = project.source_row(name) is not None
        if text or has_source:
            if content.set_source(project, name, text, data.locale, user):
                changed.append(name)
    for other, texts in data.texts.items():
        if other == data.locale:
            continue
        for name in Project.TRANSLATABLE_FIELDS:
            text = (texts.get(name) or "").strip()
            row = project.text_rows(name).get(other)
            if not text or project.source_row(name) is None or (row is not None and row.text == text):
                continue
            content.set_translation(project, name, other, text, user)
            changed.append(f"{name}_{other}")
    return changed


def _write_structure(project: Project, data: ProjectInput) -> None:
    project.start_date = data.start_date
    project.end_date = data.end_date
    # Diff the link rows rather than replacing the lists: re-inserting the same composite key in
    # one flush would collide with the row being deleted.
    wanted_areas = set(data.priority_areas)
    for row in list(project.area_rows):
        if row.area not in wanted_areas:
            project.area_rows.remove(row)
    present = {r.area for r in project.area_rows}
    project.area_rows.extend(ProjectPriorityArea(area=a) for a in sorted(wanted_areas - present))

    wanted_themes = {int(t) for t in data.theme_ids}
    for link in list(project.theme_links):
        if link.theme_id not in wanted_themes:
            project.theme_links.remove(link)
    present = {link.theme_id for link in project.theme_links}
    project.theme_links.extend(ProjectTheme(theme_id=t) for t in sorted(wanted_themes - present))

    rationales = {d: (r or "").strip() for d, r in data.sustainability.items() if r and r.strip()}
    for row in list(project.sustainability):
        if row.dimension not in rationales:
            project.sustainability.remove(row)
        elif row.rationale != rationales[row.dimension]:
            row.rationale, row.locale = rationales[row.dimension], data.locale
    present = {row.dimension for row in project.sustainability}
    project.sustainability.extend(ProjectSustainability(dimension=d, rationale=r, locale=data.locale)
                                  for d, r in sorted(rationales.items()) if d not in present)


def create_project(user, data: ProjectInput) -> Project:
    """Draft a new project led by the user's municipality (stamped by the tenancy flush hook)."""
    _validate(data)
    project = Project(status=ProjectStatus.DRAFT.value, created_by_name=getattr(user, "name", None))
    db.session.add(project)
    _write_structure(project, data)
    db.session.flush()
    _write_texts(project, data, user)
    _event(project, user, "created", to_status=ProjectStatus.DRAFT.value)
    db.session.flush()
    record(user, "project.create", project, locale=data.locale)
    return project


def update_project(project: Project, user, data: ProjectInput, expected_version: int | None) -> list[str]:
    """Save the project form. Refuses a stale version (ConflictError) instead of overwriting someone
    else's save. Returns the names of the texts that changed."""
    _check_version(project, expected_version)
    _validate(data)
    # Touch the project row so every save bumps the version, even one that changes only child rows.
    project.updated_at = utcnow()
    _write_structure(project, data)
    changed = _write_texts(project, data, user)
    _event(project, user, "edited")
    db.session.flush()
    record(user, "project.update", project, changed=changed)
    return changed


# --- the lifecycle -----------------------------------------------------------------------------

def change_status(project: Project, user, target: ProjectStatus | str, reason: str = "",
                  locale: str | None = None, expected_version: int | None = None) -> None:
    """Move the project one step along its lifecycle; withdrawing needs a reason. Proposing publishes
    the project to the whole network, for good."""
    _check_version(project, expected_version)
    try:
        target = ProjectStatus(target)
    except ValueError:
        raise ProjectError("unknown_status", "status") from None
    current = ProjectStatus(project.status)
    if target not in TRANSITIONS[current]:
        raise ProjectError("invalid_transition", "status")
    reason = _text(reason, "reason", required=target == ProjectStatus.WITHDRAWN)
    if locale is not None:
        _check_locale(locale)
    project.status = target.value
    project.updated_at = utcnow()
    if target == ProjectStatus.PROPOSED and project.published_at is None:
        project.published_at = utcnow()
    _event(project, user, "status", from_status=current.value, to_status=target.value, reason=reason,
           reason_locale=locale if reason else None)
    db.session.flush()
    record(user, "project.status", project, before=current.value, after=target.value)


# --- joining -----------------------------------------------------------------------------------

def _open_participation(project: Project, municipality_id: int, status: ParticipationStatus, user,
                        message: str, locale: str | None) -> ProjectParticipation:
    if ProjectStatus(project.status) not in OPEN_FOR_PARTNERS:
        raise ProjectError("not_open", "municipality")
    if municipality_id == project.lead_municipality_id:
        raise ProjectError("own_municipality", "municipality")
    message = _text(message, "message")
    if locale is not None:
        _check_locale(locale)
    participation = project.participation_of(municipality_id)
    if participation is not None and participation.status != ParticipationStatus.DECLINED.value:
        raise ProjectError("already_involved", "municipality")
    if participation is None:
        participation = ProjectParticipation(municipality_id=municipality_id)
        project.participations.append(participation)
    participation.status = status.value
    participation.message = message
    participation.message_locale = locale if message else None
    participation.decided_at = None
    return participation


def invite(project: Project, municipality, user, message: str = "", locale: str | None = None) -> ProjectParticipation:
    """The lead invites another municipality of the network (again, after an earlier decline)."""
    participation = _open_participation(project, municipality.id, ParticipationStatus.INVITED, user, message,
                                        locale)
    _event(project, user, "invited", subject_municipality_id=municipality.id)
    db.session.flush()
    record(user, "project.invite", project, municipality=municipality.slug)
    return participation


def request_to_join(project: Project, user, message: str = "", locale: str | None = None) -> ProjectParticipation:
    """The user's municipality asks to take part in an open project."""
    participation = _open_participation(project, user.municipality_id, ParticipationStatus.REQUESTED, user,
                                        message, locale)
    _event(project, user, "requested", subject_municipality_id=user.municipality_id)
    db.session.flush()
    record(user, "project.request", project)
    return participation


def decide(participation: ProjectParticipation, user, accept: bool, expected_version: int | None = None) -> None:
    """Answer an invitation (by the invited municipality) or a request (by the lead): accept or decline."""
    _check_version(participation, expected_version)
    if participation.status not in (ParticipationStatus.INVITED.value, ParticipationStatus.REQUESTED.value):
        raise ProjectError("already_decided")
    if ProjectStatus(participation.project.status) in CLOSED:
        raise ProjectError("not_open")
    before = participation.status
    participation.status = (ParticipationStatus.ACCEPTED if accept else ParticipationStatus.DECLINED).value
    participation.decided_at = utcnow()
    _event(participation.project, user, "joined" if accept else "declined",
           subject_municipality_id=participation.municipality_id)
    db.session.flush()
    record(user, "project.accept" if accept else "project.decline", participation.project,
           municipality_id=participation.municipality_id, was=before)


# --- contributions: the participant's text, funding lines, contacts, milestones ----------------

def _check_contributor(project: Project, municipality_id: int) -> None:
    # A line or contact belongs to the lead or to an accepted participant; any other id (another
    # municipality's, a stale form) is refused rather than silently attached.
    if not project.involves(municipality_id):
        raise ProjectError("not_involved", "municipality")


def set_contribution(participation: ProjectParticipation, user, text: str, locale: str,
                     expected_version: int | None = None) -> bool:
    """Write the participating municipality's own part of the description (source text in ``locale``).
    Translations of it become outdated when it changes."""
    _check_version(participation, expected_version)
    _check_locale(locale)
    text = _text(text, "contribution", "contribution")
    if participation.status != ParticipationStatus.ACCEPTED.value:
        raise ProjectError("not_involved")
    changed = content.set_source(participation, "contribution", text, locale, user)
    if changed:
        # Touch the participation row so the version column moves even though only text rows changed.
        participation.contribution_updated_at = utcnow()
        _event(participation.project, user, "contribution", subject_municipality_id=participation.municipality_id)
        db.session.flush()
        record(user, "project.contribution", participation.project, municipality_id=participation.municipality_id)
    return changed


def add_funding_line(project: Project, user, municipality_id: int, source: str, currency: str,
                     amount=None, hours=None, hourly_value=None, note: str = "",
                     locale: str | None = None) -> FundingLine:
    """Add a line to the funding plan of ``municipality_id``'s contribution. Voluntary work is entered as
    hours × hourly value (the amount is their product); every other source as an amount."""
    _check_contributor(project, municipality_id)
    try:
        source_enum = FundingSource(source)
    except ValueError:
        raise ProjectError("unknown_choice", "source") from None
    currency = check_currency(currency)
    note = _text(note, "note")
    line = FundingLine(municipality_id=municipality_id, source=source_enum.value, currency=currency, note=note,
                       note_locale=locale if note else None)
    if source_enum == FundingSource.VOLUNTARY_WORK:
        if hours in (None, ""):
            raise ProjectError("required", "hours")
        if hourly_value in (None, ""):
            raise ProjectError("required", "hourly_value")
        line.hours = _amount(hours, "hours", MAX_HOURS)
        line.hourly_value = _amount(hourly_value, "hourly_value")
        total = (line.hours * line.hourly_value).quantize(Decimal("0.01"))
        if total > MAX_AMOUNT:
            raise ProjectError("too_large", "hours")
        line.amount = total
    else:
        if amount in (None, ""):
            raise ProjectError("required", "amount")
        line.amount = _amount(amount, "amount")
    project.funding_lines.append(line)
    db.session.flush()
    record(user, "project.funding_add", project, line_id=line.id, source=line.source,
           amount=str(line.amount), currency=currency)
    return line


def delete_funding_line(line: FundingLine, user) -> None:
    """Remove a funding line."""
    project = line.project
    details = {"line_id": line.id, "source": line.source, "amount": str(line.amount), "currency": line.currency}
    project.funding_lines.remove(line)
    db.session.flush()
    record(user, "project.funding_delete", project, **details)


def add_contact(project: Project, user, municipality_id: int, name: str, role: str = "", email: str = "",
                phone: str = "") -> ProjectContact:
    """Add a contact person of ``municipality_id`` (the lead or a participant) to the project."""
    _check_contributor(project, municipality_id)
    contact = ProjectContact(municipality_id=municipality_id, name=_text(name, "name", required=True),
                             role=_text(role, "role"), email=_text(email, "email").lower(),
                             phone=_text(phone, "phone"))
    project.contacts.append(contact)
    db.session.flush()
    # No personal data in the audit details: the contact's id is enough to trace the change.
    record(user, "project.contact_add", project, contact_id=contact.id)
    return contact


def delete_contact(contact: ProjectContact, user) -> None:
    """Remove a contact person (their personal data goes with the row)."""
    project = contact.project
    contact_id = contact.id
    project.contacts.remove(contact)
    db.session.flush()
    record(user, "project.contact_delete", project, contact_id=contact_id)


def add_milestone(project: Project, user, title: str, due_date: dt.date, locale: str) -> Milestone:
    """Add a milestone to the project's plan (due inside the project's dates when those are set)."""
    _check_locale(locale)
    title = _text(title, "milestone", "title", required=True)
    if due_date is None:
        raise ProjectError("required", "due_date")
    if project.start_date and due_date < project.start_date:
        raise ProjectError("before_start", "due_date")
    if project.end_date and due_date > project.end_date:
        raise ProjectError("after_end", "due_date")
    milestone = Milestone(title=title, due_date=due_date, locale=locale)
    project.milestones.append(milestone)
    db.session.flush()
    record(user, "project.milestone_add", project, milestone_id=milestone.id)
    return milestone


def set_milestone_done(milestone: Milestone, user, done: bool) -> None:
    """Mark a milestone reached, or not."""
    milestone.done = done
    db.session.flush()
    record(user, "project.milestone_done" if done else "project.milestone_open", milestone.project,
           milestone_id=milestone.id)


def delete_milestone(milestone: Milestone, user) -> None:
    project = milestone.project
    milestone_id = milestone.id
    project.milestones.remove(milestone)
    db.session.flush()
    record(user, "project.milestone_delete", project, milestone_id=milestone_id)


# --- discussion --------------------------------------------------------------------------------

def add_comment(project: Project, user, body: str, locale: str) -> ProjectComment:
    """A plain-text comment in the language it is written in (stored as typed, escaped on output)."""
    _check_locale(locale)
    comment = ProjectComment(author_id=user.id, author_name=user.name, author_municipality_id=user.municipality_id,
                             locale=locale, body=_text(body, "comment", "body", required=True))
    project.comments.append(comment)
    db.session.flush()
    record(user, "project.comment", project, comment_id=comment.id)
    return comment
