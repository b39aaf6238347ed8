"""Registering and keeping organisation profiles: create, update, confirm, retire, erase a contact person."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm.attributes import flag_modified

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.i18n.sorting import keyed_locales, write_keys
from exchange.partners.models import (OFFERS, SEEKS, Organisation, OrganisationContact, OrganisationLanguage,
                                      OrganisationSortKey, OrganisationTheme, sort_key)
from exchange.partners.services.checks import check_themes, check_type, today, working_languages
from exchange.rules import check_locale, check_version, clean_text

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ContactInput:
    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""

    @property
    def empty(self) -> bool:
        return not any((v or "").strip() for v in (self.name, self.role, self.email, self.phone))


@dataclass
class OrganisationInput:
    """What the organisation form says, as plain data. ``locale`` is the language of the description."""

    name: str
    type: str
    locale: str
    description: str = ""
    website: str = ""
    offers: list[int] = field(default_factory=list)
    seeks: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    contact: ContactInput | None = None
    funder: bool = False  # it funds projects: never a co-applicant


def _validate_organisation(data: OrganisationInput) -> tuple[set[int], set[int]]:
    """Refuse what breaks a rule; the offered and sought theme ids."""
    clean_text(data.name, Len.TITLE, "name", required=True)
    check_type(data.type)
    check_locale(data.locale, "description_locale")
    clean_text(data.description, Len.TEXT, "description")
    website = clean_text(data.website, Len.URL, "website")
    if website and not _URL.match(website):
        raise Refusal("invalid_url", "website")
    offers = check_themes(data.offers, "offers", required=True)
    seeks = check_themes(data.seeks, "seeks")
    if not data.languages:
        raise Refusal("no_language", "languages")
    if not set(data.languages) <= set(working_languages()):
        raise Refusal("unknown_language", "languages")
    contact = data.contact
    if contact is not None and not contact.empty:
        clean_text(contact.name, Len.NAME, "contact_name", required=True)
        clean_text(contact.role, Len.NAME, "contact_role")
        email = clean_text(contact.email, Len.EMAIL, "contact_email")
        if email and not _EMAIL.match(email):
            raise Refusal("invalid_email", "contact_email")
        clean_text(contact.phone, Len.PHONE, "contact_phone")
    return offers, seeks


def _write_name(org: Organisation, name: str) -> None:
    org.name = name.strip()
    org.sort_name = sort_key(org.name)
    # One key per configured language, so the directory reads its order from an index (issue 12).
    write_keys(org.sort_keys, lambda locale, key: OrganisationSortKey(locale=locale, key=key),
               {locale: sort_key(org.name, locale) for locale in keyed_locales()})


def _write_links(org: Organisation, offers: set[int], seeks: set[int], languages: list[str]) -> None:
    # Diff the link rows rather than replacing the lists: re-inserting the same composite key in one
    # flush would collide with the row being deleted.
    wanted = {(OFFERS, t) for t in offers} | {(SEEKS, t) for t in seeks}
    for link in list(org.theme_links):
        if (link.kind, link.theme_id) not in wanted:
            org.theme_links.remove(link)
    present = {(link.kind, link.theme_id) for link in org.theme_links}
    org.theme_links.extend(OrganisationTheme(kind=k, theme_id=t) for k, t in sorted(wanted - present))
    for row in list(org.language_rows):
        if row.language not in languages:
            org.language_rows.remove(row)
    present_languages = {row.language for row in org.language_rows}
    org.language_rows.extend(OrganisationLanguage(language=c) for c in sorted(set(languages) - present_languages))


def _write_contact(org: Organisation, contact: ContactInput | None, locale: str, user) -> None:
    """The form manages one contact person (the first); an empty contact removes it. The role is a text
    in ``locale``, the language the form is written in."""
    if contact is None:
        return
    current = org.contacts[0] if org.contacts else None
    if contact.empty:
        if current is not None:
            org.contacts.remove(current)
        return
    existed = current is not None
    if current is None:
        current = OrganisationContact()
        org.contacts.append(current)
    current.name = contact.name.strip()
    current.email = (contact.email or "").strip().lower()
    current.phone = (contact.phone or "").strip()
    if content.write_source(current, "role", contact.role, locale, user) and existed:
        # Only the text rows may have changed: put the contact's row in the UPDATE so its version moves.
        flag_modified(current, "organisation_id")


def create_organisation(user, data: OrganisationInput) -> Organisation:
    """Register an organisation of the user's municipality (stamped by the tenancy flush hook)."""
    offers, seeks = _validate_organisation(data)
    org = Organisation(type=check_type(data.type).value, website=(data.website or "").strip(), active=True,
                       funder=bool(data.funder),
                       last_confirmed_on=today(), created_by_name=getattr(user, "name", None))
    _write_name(org, data.name)
    db.session.add(org)
    _write_links(org, offers, seeks, data.languages)
    _write_contact(org, data.contact, data.locale, user)
    db.session.flush()
    if (data.description or "").strip():
        content.set_source(org, "description", data.description, data.locale, user)
    record(user, "organisation.create", org, type=org.type)
    return org


def update_organisation(org: Organisation, user, data: OrganisationInput,
                        expected_version: int | None = None) -> None:
    """Save the organisation form; saving also confirms the profile is up to date. Refuses a stale
    version (Conflict) instead of overwriting someone else's save."""
    check_version(org, expected_version)
    offers, seeks = _validate_organisation(data)
    # One save, one flush, one new version: no autoflush while child collections are loaded.
    with db.session.no_autoflush:
        _write_name(org, data.name)
        org.type = check_type(data.type).value
        org.funder = bool(data.funder)
        org.website = (data.website or "").strip()
        _write_links(org, offers, seeks, data.languages)
        _touch(org)
        org.last_confirmed_on = today()
        # After every change to the organisation's own row: writing a text flushes, and a change made
        # after that flush would be a second UPDATE, a second new version.
        _write_contact(org, data.contact, data.locale, user)
        description = (data.description or "").strip()
        if description or org.source_row("description") is not None:
            content.set_source(org, "description", description, data.locale, user)
    db.session.flush()
    record(user, "organisation.update", org)


def _touch(org: Organisation) -> None:
    # Touch the row so every save bumps the version, even one that changes only child rows.
    org.updated_at = utcnow()


def set_description_translation(org: Organisation, user, locale: str, text: str) -> None:
    """A translation of the description (demo loader, translators), through the shared mechanism."""
    clean_text(text, Len.TEXT, "description")
    content.set_translation(org, "description", locale, text, user)
    record(user, "organisation.translate", org, locale=locale)


def confirm_organisation(org: Organisation, user, expected_version: int | None = None) -> None:
    """Confirm the profile is still right (and active): it stops being flagged for another 12 months."""
    check_version(org, expected_version)
    org.last_confirmed_on = today()
    org.active = True
    _touch(org)
    db.session.flush()
    record(user, "organisation.confirm", org)


def retire_organisation(org: Organisation, user, expected_version: int | None = None) -> None:
    """Retire an organisation: its profile stays readable (past partnerships refer to it) but it is no
    longer suggested, nor offered in new interests or invitations."""
    check_version(org, expected_version)
    org.active = False
    _touch(org)
    db.session.flush()
    record(user, "organisation.retire", org)


def delete_contact(contact: OrganisationContact, user, expected_version: int | None = None) -> None:
    """Erase a contact person (personal data goes with the row). ``expected_version`` is the contact's
    version the page showed: a contact changed since (through the organisation form) is a Conflict."""
    org = contact.organisation
    check_version(contact, expected_version)
    contact_id = contact.id
    org.contacts.remove(contact)
    _touch(org)
    db.session.flush()
    # No personal data in the audit details: the id is enough to trace the change.
    record(user, "organisation.contact_delete", org, contact_id=contact_id)


def refresh_sort_keys(organisations) -> int:
    """Recompute the stored sort keys (after a language is added to the configuration)."""
    n = 0
    for org in organisations:
        _write_name(org, org.name)
        n += 1
    db.session.flush()
    return n
