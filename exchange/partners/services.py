"""Partner workflows: registering and keeping organisation profiles, a project's partner needs,
expressions of interest, invitations and their answers.

Services take objects and plain data, check the invariants (the forms give the friendly error first;
these are the last line, also for the CLI and the demo loader), flush and write the audit log; the caller
checks permissions and commits. Refusals raise PartnerError with a code and the form field it concerns,
for the view to translate.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from babel import Locale
from flask import current_app
from sqlalchemy import select

from exchange.audit.services import record
from exchange.rules import parse_amount
from exchange.db import utcnow
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.municipalities.models import Municipality
from exchange.partners.matching import is_eligible
from exchange.partners.models import (INDIVIDUAL_CODES, PENDING, ContributionKind, Organisation,
                                      OrganisationContact, OrganisationLanguage, OrganisationSortKey,
                                      OrganisationTheme, OrganisationType, Origin, PartnerNeed, PartnerNeedTheme,
                                      PartnerNeedType, PartnerRole, Partnership, PartnershipStatus, OFFERS, SEEKS,
                                      sort_key, sort_locales)
from exchange.projects.models import CLOSED, OPEN_FOR_PARTNERS, FundingSource, Project, ProjectStatus
from exchange.themes import queries as theme_queries

# Length limits, shared with the forms (the forms give the friendly error; these are the last line).
LIMITS = {"name": 200, "description": 5000, "website": 255, "contact_name": 120, "contact_role": 120,
          "contact_email": 255, "contact_phone": 40, "message": 2000, "reason": 2000}
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_HOURS = Decimal("99999999.99")       # Numeric(10, 2)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Working languages offered besides the interface languages: English is the network's common fallback.
EXTRA_WORKING_LANGUAGES = ("en",)


class PartnerError(ValueError):
    """A refused partner operation: ``code`` names the rule, ``field`` the form field it concerns."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


class ConflictError(PartnerError):
    """Someone else saved the object since the form was opened (a stale version)."""

    def __init__(self):
        super().__init__("conflict")


@dataclass
class ContactInput:
    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.name or "").strip() or (v or "").strip() for v in (self.role, self.email, self.phone))


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


@dataclass
class NeedInput:
    role: str
    theme_ids: list[int]
    types: list[str]
    origin: str = Origin.ANY.value
    origin_municipality_id: int | None = None
    origin_country: str | None = None


@dataclass
class ContributionInput:
    kind: str | None = None
    amount: str | Decimal | None = None
    currency: str | None = None
    hours: str | Decimal | None = None


# --- helpers -----------------------------------------------------------------------------------

def _text(value: str | None, key: str, field_name: str | None = None, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PartnerError("required", field_name or key)
    if len(value) > LIMITS[key]:
        raise PartnerError("too_long", field_name or key)
    if _CONTROL.search(value):
        raise PartnerError("control_characters", field_name or key)
    return value


def _check_locale(locale: str | None, field_name: str = "locale") -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise PartnerError("unknown_locale", field_name)


def _check_version(obj, expected_version: int | None) -> None:
    # The form carries the version it was opened with; an older one means someone saved in between.
    # (A save racing this check is caught by the version column itself: StaleDataError at flush.)
    if expected_version is not None and expected_version != obj.version:
        raise ConflictError()


def _themes(ids, field_name: str, required: bool = False) -> set[int]:
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise PartnerError("unknown_theme", field_name) from None
    if required and not wanted:
        raise PartnerError("no_theme", field_name)
    if len(theme_queries.by_ids(wanted)) != len(wanted):
        raise PartnerError("unknown_theme", field_name)
    return wanted


def working_languages() -> list[str]:
    """The languages an organisation can say it works in: the interface languages, plus English."""
    codes = list(current_app.config["LANGUAGES"])
    return codes + [c for c in EXTRA_WORKING_LANGUAGES if c not in codes]


def check_type(value: str | None, field_name: str = "type") -> OrganisationType:
    """The organisation type, refusing a private person with the LEADER explanation."""
    value = (value or "").strip().lower()
    if value in INDIVIDUAL_CODES:
        raise PartnerError("individual", field_name)
    try:
        return OrganisationType(value)
    except ValueError:
        raise PartnerError("unknown_type", field_name) from None


def is_leader_project(project: Project) -> bool:
    """Funded (or to be funded) through LEADER: the eligibility rule applies to every need and partner."""
    return any(line.source == FundingSource.EU_LEADER.value for line in project.funding_lines)


def _today() -> dt.date:
    return utcnow().date()


# --- organisations -------------------------------------------------------------------------------

def _validate_organisation(data: OrganisationInput) -> None:
    _text(data.name, "name", required=True)
    check_type(data.type)
    _check_locale(data.locale, "description_locale")
    _text(data.description, "description")
    website = _text(data.website, "website")
    if website and not _URL.match(website):
        raise PartnerError("invalid_url", "website")
    _themes(data.offers, "offers", required=True)
    _themes(data.seeks, "seeks")
    allowed = set(working_languages())
    if not data.languages:
        raise PartnerError("no_language", "languages")
    if any(code not in allowed for code in data.languages):
        raise PartnerError("unknown_language", "languages")
    contact = data.contact
    if contact is not None and not contact.empty:
        _text(contact.name, "contact_name", required=True)
        _text(contact.role, "contact_role")
        email = _text(contact.email, "contact_email")
        if email and not _EMAIL.match(email):
            raise PartnerError("invalid_email", "contact_email")
        _text(contact.phone, "contact_phone")


def _write_name(org: Organisation, name: str) -> None:
    org.name = name.strip()
    org.sort_name = sort_key(org.name)
    # Only alphabets that order this name differently from the neutral key get their own row.
    wanted = {loc: key for loc in sort_locales() if loc in current_app.config["LANGUAGES"]
              if (key := sort_key(org.name, loc)) != org.sort_name}
    for row in list(org.sort_keys):
        if row.locale not in wanted:
            org.sort_keys.remove(row)
        else:
            row.key = wanted.pop(row.locale)
    org.sort_keys.extend(OrganisationSortKey(locale=loc, key=key) for loc, key in sorted(wanted.items()))


def _write_links(org: Organisation, data: OrganisationInput) -> None:
    # Diff the link rows rather than replacing the lists: re-inserting the same composite key in one
    # flush would collide with the row being deleted.
    wanted = {(OFFERS, int(t)) for t in data.offers} | {(SEEKS, int(t)) for t in data.seeks}
    for link in list(org.theme_links):
        if (link.kind, link.theme_id) not in wanted:
            org.theme_links.remove(link)
    present = {(link.kind, link.theme_id) for link in org.theme_links}
    org.theme_links.extend(OrganisationTheme(kind=k, theme_id=t) for k, t in sorted(wanted - present))
    languages = set(data.languages)
    for row in list(org.language_rows):
        if row.language not in languages:
            org.language_rows.remove(row)
    present_languages = {row.language for row in org.language_rows}
    org.language_rows.extend(OrganisationLanguage(language=c) for c in sorted(languages - present_languages))


def _write_contact(org: Organisation, contact: ContactInput | None) -> None:
    """The form manages one contact person (the first); an empty contact removes it."""
    if contact is None:
        return
    current = org.contacts[0] if org.contacts else None
    if contact.empty:
        if current is not None:
            org.contacts.remove(current)
        return
    if current is None:
        current = OrganisationContact()
        org.contacts.append(current)
    current.name = contact.name.strip()
    current.role = (contact.role or "").strip()
    current.email = (contact.email or "").strip().lower()
    current.phone = (contact.phone or "").strip()


def create_organisation(user, data: OrganisationInput) -> Organisation:
    """Register an organisation of the user's municipality (stamped by the tenancy flush hook)."""
    _validate_organisation(data)
    org = Organisation(type=check_type(data.type).value, website=(data.website or "").strip(), active=True,
                       last_confirmed_on=_today(), created_by_name=getattr(user, "name", None))
    _write_name(org, data.name)
    db.session.add(org)
    _write_links(org, data)
    _write_contact(org, data.contact)
    db.session.flush()
    if (data.description or "").strip():
        content.set_source(org, "description", data.description, data.locale, user)
    record(user, "organisation.create", org, type=org.type)
    return org


def update_organisation(org: Organisation, user, data: OrganisationInput,
                        expected_version: int | None = None) -> None:
    """Save the organisation form; saving also confirms the profile is up to date. Refuses a stale
    version (ConflictError) instead of overwriting someone else's save."""
    _check_version(org, expected_version)
    _validate_organisation(data)
    # One save, one flush, one new version: no autoflush while child collections are loaded.
    with db.session.no_autoflush:
        _write_name(org, data.name)
        org.type = check_type(data.type).value
        org.website = (data.website or "").strip()
        _write_links(org, data)
        _write_contact(org, data.contact)
        # Touch the row so every save bumps the version, even one that changes only child rows.
        org.updated_at = utcnow()
        org.last_confirmed_on = _today()
        description = (data.description or "").strip()
        if description or org.source_row("description") is not None:
            content.set_source(org, "description", description, data.locale, user)
    db.session.flush()
    record(user, "organisation.update", org)


def set_description_translation(org: Organisation, user, locale: str, text: str) -> None:
    """A translation of the description (demo loader, translators), through the shared mechanism."""
    _text(text, "description")
    content.set_translation(org, "description", locale, text, user)
    record(user, "organisation.translate", org, locale=locale)


def confirm_organisation(org: Organisation, user, expected_version: int | None = None) -> None:
    """Confirm the profile is still right (and active): it stops being flagged for another 12 months."""
    _check_version(org, expected_version)
    org.last_confirmed_on = _today()
    org.active = True
    org.updated_at = utcnow()
    db.session.flush()
    record(user, "organisation.confirm", org)


def retire_organisation(org: Organisation, user, expected_version: int | None = None) -> None:
    """Retire an organisation: its profile stays readable (past partnerships refer to it) but it is no
    longer suggested, nor offered in new interests or invitations."""
    _check_version(org, expected_version)
    org.active = False
    org.updated_at = utcnow()
    db.session.flush()
    record(user, "organisation.retire", org)


def delete_contact(contact: OrganisationContact, user) -> None:
    """Erase a contact person (personal data goes with the row)."""
    org = contact.organisation
    contact_id = contact.id
    org.contacts.remove(contact)
    org.updated_at = utcnow()
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


# --- a project's partner needs -------------------------------------------------------------------

def _check_open(project: Project) -> None:
    if ProjectStatus(project.status) in CLOSED:
        raise PartnerError("project_closed")


def _validate_need(project: Project, data: NeedInput) -> tuple[PartnerRole, Origin, set[int], set[str]]:
    try:
        role = PartnerRole(data.role)
    except ValueError:
        raise PartnerError("unknown_choice", "role") from None
    themes = _themes(data.theme_ids, "themes", required=True)
    if not data.types:
        raise PartnerError("no_type", "types")
    types = {check_type(t, "types").value for t in data.types}
    leader = is_leader_project(project)
    if any(not is_eligible(t, leader) for t in types):
        raise PartnerError("not_eligible", "types")
    try:
        origin = Origin(data.origin)
    except ValueError:
        raise PartnerError("unknown_choice", "origin") from None
    if origin == Origin.MUNICIPALITY:
        if not data.origin_municipality_id or db.session.get(Municipality, data.origin_municipality_id) is None:
            raise PartnerError("required", "origin_municipality")
    if origin == Origin.COUNTRY:
        code = (data.origin_country or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code) or code not in Locale("en").territories:
            raise PartnerError("unknown_country", "origin_country")
    return role, origin, themes, types


def _write_need(need: PartnerNeed, data: NeedInput, role, origin, themes: set[int], types: set[str]) -> None:
    need.role = role.value
    need.origin = origin.value
    need.origin_municipality_id = data.origin_municipality_id if origin == Origin.MUNICIPALITY else None
    need.origin_country = (data.origin_country or "").strip().upper() if origin == Origin.COUNTRY else None
    for link in list(need.theme_links):
        if link.theme_id not in themes:
            need.theme_links.remove(link)
    present = {link.theme_id for link in need.theme_links}
    need.theme_links.extend(PartnerNeedTheme(theme_id=t) for t in sorted(themes - present))
    for row in list(need.type_rows):
        if row.type not in types:
            need.type_rows.remove(row)
    present_types = {row.type for row in need.type_rows}
    need.type_rows.extend(PartnerNeedType(type=t) for t in sorted(types - present_types))


def add_need(project: Project, user, data: NeedInput) -> PartnerNeed:
    """Say what kind of partner the project is looking for."""
    _check_open(project)
    role, origin, themes, types = _validate_need(project, data)
    need = PartnerNeed(project_id=project.id)
    _write_need(need, data, role, origin, themes, types)
    db.session.add(need)
    db.session.flush()
    record(user, "project.partner_need_add", project, need_id=need.id, role=need.role)
    return need


def update_need(need: PartnerNeed, user, data: NeedInput, expected_version: int | None = None) -> None:
    _check_version(need, expected_version)
    _check_open(need.project)
    role, origin, themes, types = _validate_need(need.project, data)
    _write_need(need, data, role, origin, themes, types)
    # Touch the row so every save bumps the version, even one that changes only child rows.
    need.updated_at = utcnow()
    db.session.flush()
    record(user, "project.partner_need_update", need.project, need_id=need.id)


def delete_need(need: PartnerNeed, user) -> None:
    project = need.project
    need_id = need.id
    db.session.delete(need)
    db.session.flush()
    record(user, "project.partner_need_delete", project, need_id=need_id)


# --- interest, invitations, answers --------------------------------------------------------------

def _amount(value, field_name: str, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    amount = value if isinstance(value, Decimal) else parse_amount(str(value))
    if amount is None or not amount.is_finite():
        raise PartnerError("not_a_number", field_name)
    if amount < 0:
        raise PartnerError("negative", field_name)
    if amount > maximum:
        raise PartnerError("too_large", field_name)
    return amount.quantize(Decimal("0.01"))


def _contribution(contribution: ContributionInput | None, required: bool) -> dict | None:
    """The contribution's column values, validated (before anything is written), or None when not given."""
    if contribution is None or not contribution.kind:
        if required:
            raise PartnerError("required", "contribution_kind")
        return None
    try:
        kind = ContributionKind(contribution.kind)
    except ValueError:
        raise PartnerError("unknown_choice", "contribution_kind") from None
    values = {"contribution_kind": kind.value, "contribution_amount": None, "contribution_currency": None,
              "contribution_hours": None}
    if kind == ContributionKind.VOLUNTARY_WORK:
        if contribution.hours in (None, ""):
            raise PartnerError("required", "contribution_hours")
        values["contribution_hours"] = _amount(contribution.hours, "contribution_hours", MAX_HOURS)
    elif contribution.amount not in (None, ""):
        values["contribution_amount"] = _amount(contribution.amount, "contribution_amount")
        from exchange.projects.services import Refusal, check_currency
        try:
            values["contribution_currency"] = check_currency(contribution.currency or "")
        except Refusal:
            raise PartnerError("unknown_currency", "contribution_currency") from None
    return values


def _write_contribution(link: Partnership, values: dict | None) -> None:
    for name, value in (values or {}).items():
        setattr(link, name, value)


def _check_partner(project: Project, org: Organisation) -> None:
    if ProjectStatus(project.status) not in OPEN_FOR_PARTNERS:
        raise PartnerError("not_open")
    if not org.active:
        raise PartnerError("inactive")
    if not is_eligible(org.type, is_leader_project(project)):
        raise PartnerError("not_eligible")


def _open_link(project: Project, org: Organisation, need: PartnerNeed | None, role: str, status: PartnershipStatus,
               user, message: str, locale: str | None) -> Partnership:
    _check_partner(project, org)
    try:
        role = PartnerRole(role).value
    except ValueError:
        raise PartnerError("unknown_choice", "role") from None
    if need is not None and need.project_id != project.id:
        raise PartnerError("unknown_choice", "need")
    message = _text(message, "message")
    if message:
        _check_locale(locale)
    link = db.session.scalar(select(Partnership).where(Partnership.project_id == project.id,
                                                       Partnership.organisation_id == org.id))
    if link is not None and link.status != PartnershipStatus.DECLINED.value:
        raise PartnerError("already_linked")
    if link is None:
        link = Partnership(project_id=project.id, organisation=org)
        db.session.add(link)
    link.status = status.value
    link.role = role
    link.need_id = need.id if need is not None else None
    link.message = message
    link.message_locale = locale if message else None
    link.requested_by_name = getattr(user, "name", None)
    link.requested_by_municipality_id = getattr(user, "municipality_id", None)
    link.decision_reason, link.decision_locale, link.decided_by_name, link.decided_at = "", None, None, None
    return link


def express_interest(project: Project, org: Organisation, user, role: str, contribution: ContributionInput,
                     message: str = "", locale: str | None = None, need: PartnerNeed | None = None) -> Partnership:
    """The organisation's municipality says, on its behalf, that it would like to be a partner, with the
    intended role and contribution. The project's lead coordinators answer."""
    values = _contribution(contribution, required=True)
    link = _open_link(project, org, need, role, PartnershipStatus.INTERESTED, user, message, locale)
    _write_contribution(link, values)
    db.session.flush()
    record(user, "partnership.interest", link, project_id=project.id, organisation_id=org.id)
    return link


def invite_organisation(project: Project, org: Organisation, user, role: str, message: str = "",
                        locale: str | None = None, need: PartnerNeed | None = None) -> Partnership:
    """The lead invites an organisation; the coordinators of its municipality answer."""
    link = _open_link(project, org, need, role, PartnershipStatus.INVITED, user, message, locale)
    link.contribution_kind = link.contribution_amount = link.contribution_currency = None
    link.contribution_hours = None
    db.session.flush()
    record(user, "partnership.invite", link, project_id=project.id, organisation_id=org.id)
    return link


def answer(link: Partnership, user, accept: bool, reason: str = "", locale: str | None = None,
           contribution: ContributionInput | None = None, expected_version: int | None = None) -> None:
    """Accept or decline an interest (the lead) or an invitation (the organisation's municipality, which
    may state its contribution when accepting). Declining needs a reason."""
    _check_version(link, expected_version)
    if link.status not in PENDING:
        raise PartnerError("already_decided")
    if ProjectStatus(link.project.status) in CLOSED:
        raise PartnerError("not_open")
    reason = _text(reason, "reason", required=not accept)
    if reason:
        _check_locale(locale)
    values = None
    if accept:
        if not link.organisation.active:
            raise PartnerError("inactive")
        if link.status == PartnershipStatus.INVITED.value:
            values = _contribution(contribution, required=False)
    _write_contribution(link, values)
    before = link.status
    link.status = (PartnershipStatus.ACCEPTED if accept else PartnershipStatus.DECLINED).value
    link.decision_reason = reason
    link.decision_locale = locale if reason else None
    link.decided_by_name = getattr(user, "name", None)
    link.decided_at = utcnow()
    db.session.flush()
    record(user, "partnership.accept" if accept else "partnership.decline", link, project_id=link.project_id,
           organisation_id=link.organisation_id, was=before)


# --- an accepted contribution in the project's funding plan ---------------------------------------

# Which funding source an accepted money contribution is, by the kind of organisation giving it.
MONEY_SOURCE = {
    OrganisationType.MUNICIPAL_DEPARTMENT: FundingSource.MUNICIPAL,
    OrganisationType.MUNICIPAL_COMPANY: FundingSource.MUNICIPAL,
    OrganisationType.PUBLIC_AUTHORITY: FundingSource.NATIONAL,
    OrganisationType.OTHER_PUBLIC: FundingSource.NATIONAL,
    OrganisationType.EDUCATION: FundingSource.NATIONAL,
    OrganisationType.ASSOCIATION: FundingSource.PRIVATE_MONEY,
    OrganisationType.BUSINESS: FundingSource.PRIVATE_MONEY,
}


def is_fundable(link: Partnership) -> bool:
    """An accepted contribution of money or voluntary hours, not yet in the funding plan."""
    return (link.status == PartnershipStatus.ACCEPTED.value and link.funding_line_id is None
            and ((link.contribution_kind == ContributionKind.MONEY.value and link.contribution_amount)
                 or (link.contribution_kind == ContributionKind.VOLUNTARY_WORK.value and link.contribution_hours)))


def add_to_funding_plan(link: Partnership, user, hourly_value=None, locale: str | None = None):
    """Turn an accepted partner's contribution into a line of the project's funding plan (on the lead's
    side, noted with the organisation's name), once. Voluntary hours need an hourly value; money keeps
    its currency. Uses the projects domain's own service, so its rules and history apply."""
    from exchange.projects import services as project_services
    if not is_fundable(link):
        raise PartnerError("not_fundable")
    project = link.project
    org = link.organisation
    try:
        if link.contribution_kind == ContributionKind.VOLUNTARY_WORK.value:
            if hourly_value in (None, ""):
                raise PartnerError("required", "hourly_value")
            line = project_services.add_funding_line(
                project, user, project.lead_municipality_id, FundingSource.VOLUNTARY_WORK.value,
                project.lead.currency, hours=link.contribution_hours, hourly_value=hourly_value,
                note=org.name[:200], locale=locale)
        else:
            line = project_services.add_funding_line(
                project, user, project.lead_municipality_id, MONEY_SOURCE[org.type_enum].value,
                link.contribution_currency or project.lead.currency, amount=link.contribution_amount,
                note=org.name[:200], locale=locale)
    except project_services.Refusal as exc:
        raise PartnerError(exc.code if exc.code in ("not_a_number", "negative", "too_large") else "not_fundable",
                           "hourly_value" if exc.field in ("hourly_value", "hours") else None) from None
    link.funding_line_id = line.id
    db.session.flush()
    record(user, "partnership.funding", link, project_id=project.id, funding_line_id=line.id)
    return line
