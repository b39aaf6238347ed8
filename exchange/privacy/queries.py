"""Finding one person in every store. Visibility is the scope's and each domain's own: visit rows on
visits the reader's municipality takes part in; contact people and comments the municipality itself
entered; its own accounts."""
from __future__ import annotations

from dataclasses import dataclass, field

from exchange.auth import queries as accounts
from exchange.db import person_key
from exchange.partners import queries as partners
from exchange.projects import queries as projects
from exchange.tenancy import current_municipality_id
from exchange.visits import permissions as visit_permissions
from exchange.visits import queries as visits


@dataclass
class PersonRecords:
    """Everything stored about one person that the reader's municipality answers for."""

    accounts: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    project_contacts: list = field(default_factory=list)
    organisation_contacts: list = field(default_factory=list)

    @property
    def erasable(self) -> int:
        """Rows the erasure changes (accounts are closed by an admin, not erased here)."""
        return (len(self.comments) + len(self.participants) + len(self.follow_ups) + len(self.project_contacts)
                + len(self.organisation_contacts))

    def __bool__(self) -> bool:
        return bool(self.erasable or self.accounts)


def find(name: str, email: str, reader) -> PersonRecords:
    """One person's records by name (case and spacing do not matter) or, for accounts, e-mail address."""
    key = person_key(name)
    municipality_id = current_municipality_id()
    found_accounts = accounts.users_matching(key, email)
    participants, follow_ups = visits.person_records(key, visit_permissions.details_clause(reader))
    return PersonRecords(
        accounts=found_accounts,
        comments=projects.comments_by([u.id for u in found_accounts], municipality_id),
        participants=participants, follow_ups=follow_ups,
        project_contacts=projects.person_contacts(key, municipality_id),
        organisation_contacts=partners.person_contacts(key, municipality_id))
