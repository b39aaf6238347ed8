"""The project's plan: funding lines, contact people and milestones (re-exported by
``exchange.projects.services``; same rules: flush, audit, never commit). Removing a row or marking a
milestone takes the version the page showed (``expected_version``): a row changed since is a Conflict."""
from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal, InvalidOperation

from exchange import rules
from exchange.audit.services import record
from exchange.db import Len
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.projects.models import FundingLine, FundingSource, Milestone, Project, ProjectContact
from exchange.rules import MAX_AMOUNT, MAX_HOURS, check_currency, check_date, check_locale, check_version, clean_text


def _number(value):
    """Service input is machine data: Decimals from the forms (already read in the reader's own number
    format), plain strings such as "1250.50" from the CLI, the demo loader and other services."""
    if isinstance(value, str):
        with contextlib.suppress(InvalidOperation):
            return Decimal(value.strip())
    return value


def _check_contributor(project: Project, municipality_id: int) -> None:
    # A line or contact belongs to the lead or to an accepted participant; any other id (another
    # municipality's, a stale form) is refused rather than silently attached.
    if not project.involves(municipality_id):
        raise Refusal("not_involved", "municipality")


def add_funding_line(project: Project, user, municipality_id: int, source: str, currency: str,
                     amount=None, hours=None, hourly_value=None, note: str = "",
                     locale: str | None = None, partner: bool = False) -> FundingLine:
    """Add a line to the funding plan of ``municipality_id``'s contribution. Voluntary work is entered as
    hours × hourly value (the amount is their product); every other source as an amount.

    ``partner``: the contribution of an accepted partner organisation, booked on the organisation's own
    municipality, which need not take part in the project itself (the partners service checked the
    partnership)."""
    if not partner:
        _check_contributor(project, municipality_id)
    try:
        source_enum = FundingSource(source)
    except ValueError:
        raise Refusal("unknown_choice", "source") from None
    currency = check_currency(currency)
    note = clean_text(note, Len.TITLE, "note")
    if locale is not None:
        check_locale(locale)
    line = FundingLine(municipality_id=municipality_id, source=source_enum.value, currency=currency)
    if source_enum == FundingSource.VOLUNTARY_WORK:
        if hours in (None, ""):
            raise Refusal("required", "hours")
        if hourly_value in (None, ""):
            raise Refusal("required", "hourly_value")
        line.hours = rules.amount(_number(hours), "hours", MAX_HOURS)
        line.hourly_value = rules.amount(_number(hourly_value), "hourly_value")
        total = (line.hours * line.hourly_value).quantize(Decimal("0.01"))
        if total > MAX_AMOUNT:
            raise Refusal("too_large", "hours")
        line.amount = total
    else:
        if amount in (None, ""):
            raise Refusal("required", "amount")
        line.amount = rules.amount(_number(amount), "amount")
    project.funding_lines.append(line)
    content.write_source(line, "note", note, locale, user)
    db.session.flush()
    record(user, "project.funding_add", project, line_id=line.id, source=line.source,
           amount=str(line.amount), currency=currency)
    return line


def _remove(rows: list, row, user, action: str, expected_version: int | None, **details) -> None:
    """Take a child row off its project's plan, and say so in the audit log (ids only, no personal data)."""
    check_version(row, expected_version)
    project = row.project
    rows.remove(row)
    db.session.flush()
    record(user, action, project, **details)


def delete_funding_line(line: FundingLine, user, expected_version: int | None = None) -> None:
    """Remove a funding line."""
    _remove(line.project.funding_lines, line, user, "project.funding_delete", expected_version, line_id=line.id,
            source=line.source, amount=str(line.amount), currency=line.currency)


def add_contact(project: Project, user, municipality_id: int, name: str, role: str = "", email: str = "",
                phone: str = "", locale: str | None = None) -> ProjectContact:
    """Add a contact person of ``municipality_id`` (the lead or a participant) to the project; the role
    is a text in ``locale`` (the author's language)."""
    _check_contributor(project, municipality_id)
    if locale is not None:
        check_locale(locale)
    contact = ProjectContact(municipality_id=municipality_id,
                             name=clean_text(name, Len.NAME, "name", required=True),
                             email=clean_text(email, Len.EMAIL, "email").lower(),
                             phone=clean_text(phone, Len.PHONE, "phone"))
    role = clean_text(role, Len.NAME, "role")
    project.contacts.append(contact)
    content.write_source(contact, "role", role, locale, user)
    db.session.flush()
    # No personal data in the audit details: the contact's id is enough to trace the change.
    record(user, "project.contact_add", project, contact_id=contact.id)
    return contact


def delete_contact(contact: ProjectContact, user, expected_version: int | None = None) -> None:
    """Remove a contact person (their personal data goes with the row)."""
    _remove(contact.project.contacts, contact, user, "project.contact_delete", expected_version,
            contact_id=contact.id)


def add_milestone(project: Project, user, title: str, due_date: dt.date, locale: str) -> Milestone:
    """Add a milestone to the project's plan (due inside the project's dates when those are set)."""
    check_locale(locale)
    title = clean_text(title, Len.TITLE, "title", required=True)
    check_date(due_date, "due_date")
    if project.start_date and due_date < project.start_date:
        raise Refusal("before_start", "due_date")
    if project.end_date and due_date > project.end_date:
        raise Refusal("after_end", "due_date")
    milestone = Milestone(due_date=due_date)
    project.milestones.append(milestone)
    content.set_source(milestone, "title", title, locale, user)
    record(user, "project.milestone_add", project, milestone_id=milestone.id)
    return milestone


def set_milestone_done(milestone: Milestone, user, done: bool, expected_version: int | None = None) -> None:
    """Mark a milestone reached, or not."""
    check_version(milestone, expected_version)
    milestone.done = done
    db.session.flush()
    record(user, "project.milestone_done" if done else "project.milestone_open", milestone.project,
           milestone_id=milestone.id)


def delete_milestone(milestone: Milestone, user, expected_version: int | None = None) -> None:
    """Remove a milestone."""
    _remove(milestone.project.milestones, milestone, user, "project.milestone_delete", expected_version,
            milestone_id=milestone.id)
