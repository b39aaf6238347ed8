"""Erasing one person's data consistently in every store, and noting exports, in the audit log (counts
only: the log never repeats the name)."""
from __future__ import annotations

from exchange.audit.services import record
from exchange.db import person_key
from exchange.errors import Refusal
from exchange.partners import services as partners
from exchange.privacy import queries
from exchange.projects import services as projects
from exchange.visits import services as visits


def _counts(found: queries.PersonRecords) -> dict[str, int]:
    return {"participants": len(found.participants), "follow_ups": len(found.follow_ups),
            "project_contacts": len(found.project_contacts),
            "organisation_contacts": len(found.organisation_contacts), "comments": len(found.comments)}


def erase_person(name: str, email: str, actor) -> dict[str, int]:
    """Erase one person from everything the actor's municipality answers for: participants become
    "anonymised participant" (counts and organisations stay), follow-up owners and comment authors are
    blanked, contact people are deleted. Accounts are left to an admin (closing an account is a decision
    of its own). Returns what was changed, by store."""
    if not person_key(name):
        raise Refusal("required", "name")
    found = queries.find(name, email, actor)
    visits.forget_person(found.participants, found.follow_ups)
    projects.forget_comment_authors(found.comments)
    for contact in found.project_contacts:
        projects.delete_contact(contact, actor)
    for contact in found.organisation_contacts:
        partners.delete_contact(contact, actor)
    counts = _counts(found)
    record(actor, "person.erased", None, **counts)
    return counts


def record_export(actor, found: queries.PersonRecords) -> None:
    """Note in the audit log that one person's data was exported (counts only, never the name)."""
    record(actor, "person.exported", None, accounts=len(found.accounts), **_counts(found))
