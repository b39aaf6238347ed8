"""The demo data behind `make run`. Idempotent: running it again changes nothing that exists."""
from __future__ import annotations

from collections.abc import Iterator

from exchange.auth.models import Role
from exchange.auth.services import create_user, find_by_email
from exchange.municipalities.services import create_or_update
from exchange.tenancy import municipality_scope

MUNICIPALITIES = [
    # slug, name, country, locale, currency, time zone (DESIGN.md §1)
    ("kungalv", "Kungälv", "SE", "sv", "SEK", "Europe/Stockholm"),
    ("hiddenhausen", "Hiddenhausen", "DE", "de", "EUR", "Europe/Berlin"),
    ("perano", "Perano", "IT", "it", "EUR", "Europe/Rome"),
]

PEOPLE = {
    "kungalv": {Role.STAFF: "Sara Lindqvist", Role.COORDINATOR: "Johan Berg", Role.TRANSLATOR: "Elin Åkesson",
                Role.ADMIN: "Anders Nilsson"},
    "hiddenhausen": {Role.STAFF: "Lena Schröder", Role.COORDINATOR: "Markus Becker",
                     Role.TRANSLATOR: "Julia Hoffmann", Role.ADMIN: "Thomas Krüger"},
    "perano": {Role.STAFF: "Giulia Russo", Role.COORDINATOR: "Marco Di Santo", Role.TRANSLATOR: "Chiara Ferri",
               Role.ADMIN: "Luca Marchetti"},
}


def load(password: str) -> Iterator[str]:
    """Create the three twin towns and one account per role in each: <role>@<slug>.example."""
    for slug, name, country, locale, currency, timezone in MUNICIPALITIES:
        municipality, created = create_or_update(slug, name, country, locale, currency, timezone)
        yield f"{'created' if created else 'kept'} municipality {slug}"
        with municipality_scope(municipality):
            for role, person in PEOPLE[slug].items():
                email = f"{role.value}@{slug}.example"
                if find_by_email(email) is None:
                    create_user(email, person, {role}, password=password, preferred_locale=None)
                    yield f"  created {email}"
