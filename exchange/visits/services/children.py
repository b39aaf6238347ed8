"""A visit's programme, participants, costs and follow-up actions: add, change, remove.

Adding and changing a child run the same checks (``_<child>_values``). Changing, removing and marking
done take the version the form or button was opened with (``expected_version``): a stale one is refused
(Conflict) before anything is written, and a save racing this one fails at the version column. Audit
details never hold participants' names: the audit log outlives an erasure.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm.attributes import flag_modified

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.notifications.events import notify
from exchange.rules import amount as checked_amount
from exchange.rules import check_currency, check_date, check_version, clean_text, parse_id
from exchange.visits import tallies
from exchange.visits.models import (COST_MAX, AgendaItem, Cost, CostCategory, FollowUp, FollowUpStatus, Participant,
                                    Visit, person_key)


def _remove(child, actor, action: str, expected_version: int | None, **details) -> None:
    """Remove a child row from its visit (the audit entry names it by id only)."""
    check_version(child, expected_version)
    record(actor, action, child.visit, **details)
    db.session.delete(child)
    db.session.flush()


def _write_texts(child, texts: dict[str, str], lang: str | None, actor) -> bool:
    """The child's texts (shared content mechanism): each one new or rewritten becomes the original in
    ``lang``, the author's language, and its translations outdated. True when any changed."""
    changed = [content.write_source(child, field, text, lang, actor) for field, text in texts.items()]
    return any(changed)


def _touch(child) -> None:
    # Only the text rows changed: include the child's own row in the UPDATE so its version moves, and a
    # form opened before this save is refused as stale.
    flag_modified(child, "visit_id")


def _municipality_of(visit: Visit, municipality_id, code: str) -> int:
    """A municipality of the visit (host or visitor), else ``code`` beside ``municipality_id``."""
    value = parse_id(municipality_id)
    if value is None:
        raise Refusal("unknown_choice", "municipality_id")
    if value not in visit.municipality_ids:
        raise Refusal(code, "municipality_id")
    return value


# --- programme --------------------------------------------------------------------------------

def _agenda_values(visit: Visit, day: dt.date, title: str, location: str, start_time: dt.time | None,
                   end_time: dt.time | None) -> tuple[str, str]:
    """The checks of a programme item (adding and editing): returns the cleaned title and location."""
    title = clean_text(title, Len.TITLE, "title", required=True)
    location = clean_text(location, Len.TITLE, "location")
    check_date(day, "day")
    if not visit.start_date <= day <= visit.end_date:
        raise Refusal("day_outside_visit", "day")
    if end_time is not None and start_time is not None and end_time < start_time:
        raise Refusal("item_ends_before_start", "end_time")
    return title, location


def add_agenda_item(visit: Visit, day: dt.date, title: str, location: str, lang: str, actor,
                    start_time: dt.time | None = None, end_time: dt.time | None = None) -> AgendaItem:
    """Add an item to the programme; its day must be one of the visit's days."""
    title, location = _agenda_values(visit, day, title, location, start_time, end_time)
    item = AgendaItem(day=day, start_time=start_time, end_time=end_time)
    visit.agenda_items.append(item)
    _write_texts(item, {"title": title, "location": location}, lang, actor)
    record(actor, "visit.agenda_add", visit, item=item.id)
    return item


def update_agenda_item(item: AgendaItem, day: dt.date, title: str, location: str, lang: str, actor,
                       start_time: dt.time | None = None, end_time: dt.time | None = None,
                       expected_version: int | None = None) -> AgendaItem:
    """Change a programme item, with the checks of adding one. A text rewritten becomes the original in
    the editor's language (its translations outdated); one left as it was keeps its language."""
    check_version(item, expected_version)
    title, location = _agenda_values(item.visit, day, title, location, start_time, end_time)
    item.day, item.start_time, item.end_time = day, start_time, end_time
    if _write_texts(item, {"title": title, "location": location}, lang, actor):
        _touch(item)
    db.session.flush()
    record(actor, "visit.agenda_update", item.visit, item=item.id)
    return item


def remove_agenda_item(item: AgendaItem, actor, expected_version: int | None = None) -> None:
    _remove(item, actor, "visit.agenda_remove", expected_version, item=item.id)


# --- participants -----------------------------------------------------------------------------

def _participant_values(visit: Visit, municipality_id, name: str, organisation: str,
                        role: str) -> tuple[int, str, str, str]:
    """The checks of a participant (adding and editing): returns (municipality id, name, organisation, role)."""
    name = clean_text(name, Len.NAME, "name", required=True)
    organisation = clean_text(organisation, Len.TITLE, "organisation")
    role = clean_text(role, Len.NAME, "role")
    municipality_id = _municipality_of(visit, municipality_id, "participant_municipality")
    return municipality_id, name, organisation, role


def add_participant(visit: Visit, municipality_id: int, name: str, organisation: str, role: str,
                    actor, lang: str | None = None) -> Participant:
    """Add a participant; they must come from the host or a visiting municipality. The organisation and
    the role are texts in ``lang`` (the author's language)."""
    with tallies.tracked(visit):
        municipality_id, name, organisation, role = _participant_values(visit, municipality_id, name, organisation,
                                                                        role)
        participant = Participant(municipality_id=municipality_id, name=name, name_key=person_key(name))
        visit.participants.append(participant)
        _write_texts(participant, {"organisation": organisation, "role": role}, lang, actor)
        # No name in the audit log: it would survive an erasure.
        record(actor, "visit.participant_add", visit, participant=participant.id)
        return participant


def update_participant(participant: Participant, municipality_id: int, name: str, organisation: str, role: str,
                       actor, expected_version: int | None = None, lang: str | None = None) -> Participant:
    """Change a participant, with the checks of adding one. Giving an anonymised participant a name
    again records a person again (the name is required, as when adding)."""
    with tallies.tracked(participant.visit):
        check_version(participant, expected_version)
        municipality_id, name, organisation, role = _participant_values(participant.visit, municipality_id, name,
                                                                        organisation, role)
        participant.municipality_id = municipality_id
        participant.name, participant.name_key = name, person_key(name)
        if _write_texts(participant, {"organisation": organisation, "role": role}, lang, actor):
            _touch(participant)
        participant.anonymised_at = None
        db.session.flush()
        # No name in the audit log: it would survive an erasure.
        record(actor, "visit.participant_update", participant.visit, participant=participant.id)
        return participant


def remove_participant(participant: Participant, actor, expected_version: int | None = None) -> None:
    with tallies.tracked(participant.visit):
        _remove(participant, actor, "visit.participant_remove", expected_version, participant=participant.id)


# --- costs ------------------------------------------------------------------------------------

def _funding_line(visit: Visit, funding_line_id):
    """A funding line of a project linked to the visit (and visible to the actor)."""
    from exchange.projects.models import FundingLine
    line_id = parse_id(funding_line_id)
    line = db.session.get(FundingLine, line_id) if line_id is not None else None
    if line is None or line.project_id not in {link.project_id for link in visit.project_links}:
        raise Refusal("unknown_choice", "funding_line_id")
    return line


def _cost_values(visit: Visit, municipality_id, category: str, amount, currency: str, note: str,
                 funding_line_id) -> tuple[int, str, Decimal, str, str, int | None]:
    """The checks of a cost (adding and editing): returns the cleaned
    (municipality id, category, amount, currency, note, funding line id)."""
    if category not in {c.value for c in CostCategory}:
        raise Refusal("unknown_choice", "category")
    municipality_id = _municipality_of(visit, municipality_id, "payer_municipality")
    amount = checked_amount(amount, "amount", maximum=COST_MAX)
    currency = check_currency(currency, "currency")
    note = clean_text(note, Len.TITLE, "note")
    if funding_line_id is not None:
        line = _funding_line(visit, funding_line_id)
        if line.currency != currency:
            raise Refusal("funding_currency", "funding_line_id")
        funding_line_id = line.id
    return municipality_id, category, amount, currency, note, funding_line_id


def add_cost(visit: Visit, municipality_id: int, category: str, amount, currency: str, note: str, actor,
             funding_line_id: int | None = None, lang: str | None = None) -> Cost:
    """Add a cost in its own currency, paid by a municipality of the visit, optionally from a funding
    line of a project linked to the visit. The note is a text in ``lang`` (the author's language)."""
    municipality_id, category, amount, currency, note, funding_line_id = _cost_values(
        visit, municipality_id, category, amount, currency, note, funding_line_id)
    cost = Cost(municipality_id=municipality_id, category=category, amount=amount, currency=currency,
                funding_line_id=funding_line_id)
    visit.costs.append(cost)
    db.session.flush()
    _write_texts(cost, {"note": note}, lang, actor)
    record(actor, "visit.cost_add", visit, cost=cost.id, amount=str(amount), currency=currency, category=category)
    return cost


def update_cost(cost: Cost, municipality_id: int, category: str, amount, currency: str, note: str, actor,
                funding_line_id: int | None = None, expected_version: int | None = None,
                lang: str | None = None) -> Cost:
    """Change a cost, with the checks of adding one. A rewritten note becomes the original in the editor's
    language (its translations outdated); one left as it was keeps its language."""
    check_version(cost, expected_version)
    municipality_id, category, amount, currency, note, funding_line_id = _cost_values(
        cost.visit, municipality_id, category, amount, currency, note, funding_line_id)
    cost.municipality_id, cost.category, cost.amount = municipality_id, category, amount
    cost.currency, cost.funding_line_id = currency, funding_line_id
    if _write_texts(cost, {"note": note}, lang, actor):
        _touch(cost)
    db.session.flush()
    record(actor, "visit.cost_update", cost.visit, cost=cost.id, amount=str(amount), currency=currency,
           category=category)
    return cost


def remove_cost(cost: Cost, actor, expected_version: int | None = None) -> None:
    _remove(cost, actor, "visit.cost_remove", expected_version, cost=cost.id)


# --- follow-up actions ------------------------------------------------------------------------

def _follow_up_values(action: str, owner: str, due_date: dt.date | None, owner_user_id: int | None,
                      current: FollowUp | None = None) -> tuple[str, str, int | None]:
    """The checks of a follow-up action (adding and editing): returns the cleaned action, the owner's name
    and the owner's account. The account is one of the actor's municipality (the scope finds it), or the
    one the action already had (an owner of the other municipality, kept by a co-editor's save); its
    name becomes the owner's name."""
    from exchange.auth.models import User
    action = clean_text(action, Len.ACTION, "action", required=True)
    owner = clean_text(owner, Len.NAME, "owner")
    check_date(due_date, "due_date", required=False)
    if owner_user_id is not None:
        if current is not None and owner_user_id == current.owner_user_id:
            return action, current.owner, owner_user_id
        account = db.session.get(User, owner_user_id)
        if account is None or not account.active:
            raise Refusal("unknown_owner", "owner_account")
        owner = account.name
    return action, owner, owner_user_id


def add_follow_up(visit: Visit, action: str, owner: str, due_date: dt.date | None, lang: str,
                  actor, owner_user_id: int | None = None) -> FollowUp:
    """Add a follow-up action (open), owned by an account or by a name."""
    with tallies.tracked(visit):
        action, owner, owner_user_id = _follow_up_values(action, owner, due_date, owner_user_id)
        follow_up = FollowUp(owner=owner, owner_key=person_key(owner), owner_user_id=owner_user_id,
                             due_date=due_date, status=FollowUpStatus.OPEN.value)
        visit.follow_ups.append(follow_up)
        _write_texts(follow_up, {"action": action}, lang, actor)
        record(actor, "visit.follow_up_add", visit, follow_up=follow_up.id,
               due=due_date.isoformat() if due_date else None)
        notify("visits.follow_up_assigned", actor, visit=visit, follow_up_id=follow_up.id)
        return follow_up


def update_follow_up(follow_up: FollowUp, action: str, owner: str, due_date: dt.date | None, lang: str,
                     actor, expected_version: int | None = None, owner_user_id: int | None = None) -> FollowUp:
    """Change what, who and by when, with the checks of adding one (the status is changed by
    set_follow_up_done). A rewritten action becomes the original in the editor's language (its
    translations outdated)."""
    with tallies.tracked(follow_up.visit):
        check_version(follow_up, expected_version)
        action, owner, owner_user_id = _follow_up_values(action, owner, due_date, owner_user_id, follow_up)
        reassigned = person_key(owner) != follow_up.owner_key or owner_user_id != follow_up.owner_user_id
        if _write_texts(follow_up, {"action": action}, lang, actor):
            _touch(follow_up)
        follow_up.owner, follow_up.owner_key, follow_up.owner_user_id = owner, person_key(owner), owner_user_id
        follow_up.due_date = due_date
        db.session.flush()
        record(actor, "visit.follow_up_update", follow_up.visit, follow_up=follow_up.id,
               due=due_date.isoformat() if due_date else None)
        if reassigned:
            notify("visits.follow_up_assigned", actor, visit=follow_up.visit, follow_up_id=follow_up.id)
        return follow_up


def set_follow_up_done(follow_up: FollowUp, done: bool, actor, expected_version: int | None = None) -> None:
    """Mark a follow-up action done, or open it again (from the version the button was shown with)."""
    with tallies.tracked(follow_up.visit):
        check_version(follow_up, expected_version)
        follow_up.status = (FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value
        follow_up.done_at = utcnow() if done else None
        db.session.flush()
        record(actor, "visit.follow_up_done" if done else "visit.follow_up_reopen", follow_up.visit,
               follow_up=follow_up.id)


def remove_follow_up(follow_up: FollowUp, actor, expected_version: int | None = None) -> None:
    with tallies.tracked(follow_up.visit):
        _remove(follow_up, actor, "visit.follow_up_remove", expected_version, follow_up=follow_up.id)
