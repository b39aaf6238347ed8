"""Project workflows: drafting and editing, the lifecycle, joining, contributions, discussion.

Services take objects and plain data, check the invariants, flush and write the audit log and the
project's own history; the caller (a view, the CLI or the demo loader) checks permissions and commits.
A refused operation raises ``Refusal(code, field)`` (the shared rules' codes, or the projects' own codes
registered below); a stale version raises ``Conflict``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.notifications.events import notify
from exchange.projects.models import (CLOSED, OPEN_FOR_PARTNERS, TRANSITIONS, Dimension, ParticipationStatus,
                                      PriorityArea, Project, ProjectComment, ProjectEvent, ProjectParticipation,
                                      ProjectPriorityArea, ProjectStatus, ProjectSustainability, ProjectTheme)
from exchange.projects.services.plan import (add_contact, add_funding_line, add_milestone, delete_contact,
                                             delete_funding_line, delete_milestone, set_milestone_done)
from exchange.rules import (check_currency, check_date, check_date_range, check_locale, check_version,
                            clean_text)
from exchange.themes import queries as theme_queries

__all__ = [
    "ProjectInput", "Refusal", "create_project", "update_project", "change_status", "invite", "request_to_join",
    "decide", "set_contribution", "add_comment", "forget_comment_authors", "add_funding_line", "delete_funding_line", "add_contact",
    "delete_contact", "add_milestone", "set_milestone_done", "delete_milestone", "set_public",
    "check_currency",  # the partners domain still imports it from here
]

register_messages({
    "no_priority_area": _l("Choose at least one priority area."),
    "unknown_status": _l("This status change is not possible. Reload the page and try again."),
    "invalid_transition": _l("This status change is not possible. Reload the page and try again."),
    "not_open": _l("The project is not open for new partners."),
    "own_municipality": _l("The lead municipality takes part already."),
    "already_involved": _l("This municipality has already been invited, has asked to join or takes part."),
    "not_involved": _l("Only the lead municipality and participating municipalities can be chosen."),
    "before_start": _l("A milestone cannot be before the project starts."),
    "after_end": _l("A milestone cannot be after the project ends."),
    "not_publishable": _l("Only a proposed, active or completed project can be shown on the public pages."),
})


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


# Length limit of each translatable text of a project (the forms read the same ones).
TEXT_LIMITS = {"title": Len.TITLE, "summary": Len.SUMMARY, "description": Len.DOCUMENT}


def _event(project: Project, user, kind: str, **values) -> ProjectEvent:
    event = ProjectEvent(kind=kind, actor_name=getattr(user, "name", None),
                         actor_municipality_id=getattr(user, "municipality_id", None), **values)
    project.events.append(event)
    return event


# --- drafting and editing ----------------------------------------------------------------------

def _validate(data: ProjectInput) -> None:
    check_locale(data.locale)
    # Text errors name the per-language form field (title_sv, summary_it, …).
    source = data.texts.get(data.locale, {})
    clean_text(source.get("title"), Len.TITLE, f"title_{data.locale}", required=True)
    for other, texts in data.texts.items():
        check_locale(other)
        for name in Project.TRANSLATABLE_FIELDS:
            clean_text(texts.get(name), TEXT_LIMITS[name], f"{name}_{other}")
    check_date(data.start_date, "start_date", required=False)
    check_date(data.end_date, "end_date", required=False)
    check_date_range(data.start_date, data.end_date)
    if not data.priority_areas:
        raise Refusal("no_priority_area", "priority_areas")
    known_areas = {a.value for a in PriorityArea}
    if any(a not in known_areas for a in data.priority_areas):
        raise Refusal("unknown_choice", "priority_areas")
    known_dimensions = {d.value for d in Dimension}
    for dimension, rationale in data.sustainability.items():
        if dimension not in known_dimensions:
            raise Refusal("unknown_choice", "sustainability")
        clean_text(rationale, Len.SUMMARY, f"rationale_{dimension}")
    if len(theme_queries.by_ids(data.theme_ids)) != len(set(data.theme_ids)):
        raise Refusal("unknown_theme", "themes")


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
    for dimension in Dimension:
        # A rationale is a text of the project in the author's language; a dimension no longer served
        # takes its rationale and that text's translations with it.
        name = f"sustainability_{dimension.value}"
        text = (data.sustainability.get(dimension.value) or "").strip()
        if text:
            if content.set_source(project, name, text, data.locale, user):
                changed.append(name)
        elif project.text_rows(name):
            for row in project.text_rows(name).values():
                project.texts.remove(row)
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


def _sync(rows: list, wanted: dict, key: str, make, update=None) -> None:
    """Make a project's child rows match ``wanted`` ({key: value}). Diff them rather than replacing the
    list: re-inserting the same composite key in one flush would collide with the row being deleted."""
    for row in list(rows):
        if getattr(row, key) not in wanted:
            rows.remove(row)
        elif update is not None:
            update(row, wanted[getattr(row, key)])
    present = {getattr(row, key) for row in rows}
    rows.extend(make(k, value) for k, value in sorted(wanted.items()) if k not in present)


def _write_structure(project: Project, data: ProjectInput) -> None:
    project.start_date = data.start_date
    project.end_date = data.end_date
    _sync(project.area_rows, dict.fromkeys(data.priority_areas), "area",
          lambda area, _: ProjectPriorityArea(area=area))
    _sync(project.theme_links, dict.fromkeys(data.theme_ids), "theme_id",
          lambda theme_id, _: ProjectTheme(theme_id=theme_id))

    # The dimensions served; their rationales are texts of the project (_write_texts).
    rationales = {d: r.strip() for d, r in data.sustainability.items() if r and r.strip()}
    _sync(project.sustainability, rationales, "dimension",
          lambda dimension, rationale: ProjectSustainability(dimension=dimension))


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
    notify("project.created", user, project=project)
    return project


def update_project(project: Project, user, data: ProjectInput, expected_version: int | None) -> list[str]:
    """Save the project form. Refuses a stale version (Conflict) instead of overwriting someone else's
    save. Returns the names of the texts that changed."""
    check_version(project, expected_version)
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
    check_version(project, expected_version)
    try:
        target = ProjectStatus(target)
    except ValueError:
        raise Refusal("unknown_status", "status") from None
    current = ProjectStatus(project.status)
    if target not in TRANSITIONS[current]:
        raise Refusal("invalid_transition", "status")
    reason = clean_text(reason, Len.MESSAGE, "reason", required=target == ProjectStatus.WITHDRAWN)
    if locale is not None:
        check_locale(locale)
    project.status = target.value
    project.updated_at = utcnow()
    if target == ProjectStatus.PROPOSED and project.published_at is None:
        project.published_at = utcnow()
    event = _event(project, user, "status", from_status=current.value, to_status=target.value)
    db.session.flush()
    # The reason is a text of the shared mechanism in the author's language: the partners read it, in
    # their language once translated.
    content.write_source(event, "reason", reason, locale, user)
    record(user, "project.status", project, before=current.value, after=target.value)
    notify("project.status_changed", user, project=project, from_status=current.value, to_status=target.value)


def set_public(project: Project, user, public: bool, expected_version: int | None = None) -> None:
    """Show the project on the public pages and in the open data (its approved texts only), or stop.
    A draft or a withdrawn project cannot be shown."""
    check_version(project, expected_version)
    if public and project.status not in Project.PUBLIC_STATUSES:
        raise Refusal("not_publishable")
    if bool(project.public) == public:
        return
    project.public = public
    if public:
        project.public_at = utcnow()
    project.updated_at = utcnow()
    db.session.flush()
    record(user, "project.public", project, public=public)


# --- joining -----------------------------------------------------------------------------------

def _open_participation(project: Project, municipality_id: int, status: ParticipationStatus, user,
                        message: str, locale: str | None) -> ProjectParticipation:
    if ProjectStatus(project.status) not in OPEN_FOR_PARTNERS:
        raise Refusal("not_open", "municipality")
    if municipality_id == project.lead_municipality_id:
        raise Refusal("own_municipality", "municipality")
    message = clean_text(message, Len.MESSAGE, "message")
    if locale is not None:
        check_locale(locale)
    participation = project.participation_of(municipality_id)
    if participation is not None and participation.status != ParticipationStatus.DECLINED.value:
        raise Refusal("already_involved", "municipality")
    if participation is None:
        participation = ProjectParticipation(municipality_id=municipality_id)
        project.participations.append(participation)
    participation.status = status.value
    participation.decided_at = None
    # A new invitation or request says why in its own words (a text of the shared mechanism): an earlier
    # round's message does not stay behind as if it were this one's.
    content.write_source(participation, "message", message, locale, user)
    return participation


def invite(project: Project, municipality, user, message: str = "", locale: str | None = None) -> ProjectParticipation:
    """The lead invites another municipality of the network (again, after an earlier decline)."""
    participation = _open_participation(project, municipality.id, ParticipationStatus.INVITED, user, message,
                                        locale)
    _event(project, user, "invited", subject_municipality_id=municipality.id)
    db.session.flush()
    record(user, "project.invite", project, municipality=municipality.slug)
    notify("project.invitation_received", user, project=project, participation_id=participation.id,
           municipality_id=municipality.id)
    return participation


def request_to_join(project: Project, user, message: str = "", locale: str | None = None) -> ProjectParticipation:
    """The user's municipality asks to take part in an open project."""
    participation = _open_participation(project, user.municipality_id, ParticipationStatus.REQUESTED, user,
                                        message, locale)
    _event(project, user, "requested", subject_municipality_id=user.municipality_id)
    db.session.flush()
    record(user, "project.request", project)
    notify("project.join_requested", user, project=project, participation_id=participation.id,
           municipality_id=participation.municipality_id)
    return participation


def decide(participation: ProjectParticipation, user, accept: bool, expected_version: int | None = None) -> None:
    """Answer an invitation (by the invited municipality) or a request (by the lead): accept or decline."""
    check_version(participation, expected_version)
    if participation.status not in (ParticipationStatus.INVITED.value, ParticipationStatus.REQUESTED.value):
        raise Refusal("already_decided")
    if ProjectStatus(participation.project.status) in CLOSED:
        raise Refusal("not_open")
    before = participation.status
    participation.status = (ParticipationStatus.ACCEPTED if accept else ParticipationStatus.DECLINED).value
    participation.decided_at = utcnow()
    if accept and before == ParticipationStatus.REQUESTED.value:
        _keep_request_as_contribution(participation)
    _event(participation.project, user, "joined" if accept else "declined",
           subject_municipality_id=participation.municipality_id)
    db.session.flush()
    record(user, "project.accept" if accept else "project.decline", participation.project,
           municipality_id=participation.municipality_id, was=before)
    notify("project.join_decided" if before == ParticipationStatus.REQUESTED.value else "project.invitation_answered",
           user, project=participation.project, participation_id=participation.id,
           municipality_id=participation.municipality_id, accepted=accept)


# --- contributions: the participant's own text (funding lines, contacts, milestones: plan.py) ----

def _keep_request_as_contribution(participation: ProjectParticipation) -> None:
    """What a municipality said it would contribute when it asked to join becomes the first version of
    its contribution text once it is accepted (issue 14: it used to disappear). The text stays credited
    to the person of that municipality who wrote it, not to the coordinator who accepted; an existing
    contribution text is never overwritten."""
    message = (participation.message or "").strip()
    if not message or participation.source_row("contribution") is not None:
        return
    request = next((e for e in reversed(participation.project.events)
                    if e.kind == "requested" and e.subject_municipality_id == participation.municipality_id), None)
    author = SimpleNamespace(name=request.actor_name if request is not None else None,
                             municipality_id=participation.municipality_id)
    locale = participation.source_locale("message") or participation.municipality.default_locale
    content.set_source(participation, "contribution", message[:Len.LONG_TEXT], locale, author)
    participation.contribution_updated_at = utcnow()


def set_contribution(participation: ProjectParticipation, user, text: str, locale: str,
                     expected_version: int | None = None) -> bool:
    """Write the participating municipality's own part of the description (source text in ``locale``).
    Translations of it become outdated when it changes."""
    check_version(participation, expected_version)
    check_locale(locale)
    text = clean_text(text, Len.LONG_TEXT, "contribution")
    if participation.status != ParticipationStatus.ACCEPTED.value:
        raise Refusal("not_involved")
    changed = content.set_source(participation, "contribution", text, locale, user)
    if changed:
        # Touch the participation row so the version column moves even though only text rows changed.
        participation.contribution_updated_at = utcnow()
        _event(participation.project, user, "contribution", subject_municipality_id=participation.municipality_id)
        db.session.flush()
        record(user, "project.contribution", participation.project, municipality_id=participation.municipality_id)
    return changed


# --- discussion --------------------------------------------------------------------------------

def add_comment(project: Project, user, body: str, locale: str) -> ProjectComment:
    """A plain-text comment in the language it is written in (stored as typed, escaped on output)."""
    check_locale(locale)
    body = clean_text(body, Len.TEXT, "body", required=True)
    comment = ProjectComment(author_id=user.id, author_name=user.name, author_municipality_id=user.municipality_id)
    project.comments.append(comment)
    content.set_source(comment, "body", body, locale, user)
    record(user, "project.comment", project, comment_id=comment.id)
    notify("project.commented", user, project=project, comment_id=comment.id)
    return comment


def forget_comment_authors(comments: list[ProjectComment]) -> None:
    """A data subject's erasure: the comments stay (the discussion keeps its sense), their author's name
    and account link go; pages show "anonymised" instead."""
    for comment in comments:
        comment.author_name = ""
        comment.author_id = None
    db.session.flush()
