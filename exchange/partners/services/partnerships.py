"""Expressions of interest, invitations, their answers, and an accepted contribution in the funding plan."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.audit.services import record
from exchange.db import Len, utcnow
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.notifications.events import notify
from exchange.partners.matching import is_eligible
from exchange.partners.models import (PENDING, ContributionKind, Organisation, OrganisationType, PartnerNeed,
                                      PartnerRole, Partnership, PartnershipStatus)
from exchange.partners.services.checks import is_leader_project
from exchange.projects.models import CLOSED, OPEN_FOR_PARTNERS, FundingSource, Project, ProjectStatus
from exchange.rules import MAX_HOURS, amount, check_currency, check_locale, check_version, clean_text


@dataclass
class ContributionInput:
    kind: str | None = None
    amount: str | Decimal | None = None
    currency: str | None = None
    hours: str | Decimal | None = None


def _contribution(contribution: ContributionInput | None, required: bool) -> dict | None:
    """The contribution's column values, validated (before anything is written), or None when not given."""
    if contribution is None or not contribution.kind:
        if required:
            raise Refusal("required", "contribution_kind")
        return None
    try:
        kind = ContributionKind(contribution.kind)
    except ValueError:
        raise Refusal("unknown_choice", "contribution_kind") from None
    values = {"contribution_kind": kind.value, "contribution_amount": None, "contribution_currency": None,
              "contribution_hours": None}
    if kind == ContributionKind.VOLUNTARY_WORK:
        if contribution.hours in (None, ""):
            raise Refusal("required", "contribution_hours")
        values["contribution_hours"] = amount(contribution.hours, "contribution_hours", MAX_HOURS)
    elif contribution.amount not in (None, ""):
        values["contribution_amount"] = amount(contribution.amount, "contribution_amount")
        values["contribution_currency"] = check_currency(contribution.currency, "contribution_currency")
    return values


def _write_contribution(link: Partnership, values: dict | None) -> None:
    for name, value in (values or {}).items():
        setattr(link, name, value)


def _check_partner(project: Project, org: Organisation) -> None:
    if ProjectStatus(project.status) not in OPEN_FOR_PARTNERS:
        raise Refusal("not_open_for_partners")
    if not org.active:
        raise Refusal("inactive")
    if not is_eligible(org.type, is_leader_project(project)):
        raise Refusal("not_eligible")


def _message(text: str | None, locale: str | None, field: str, required: bool = False) -> str:
    """A message or reason to the other side, with the language it is written in."""
    text = clean_text(text, Len.MESSAGE, field, required)
    if text:
        check_locale(locale)
    return text


def _open_link(project: Project, org: Organisation, need: PartnerNeed | None, role: str, status: PartnershipStatus,
               user, message: str, locale: str | None) -> tuple[Partnership, str]:
    """The link opened (or reopened) with its new state, and the message as cleaned (written by the caller
    once the link is flushed)."""
    _check_partner(project, org)
    try:
        role = PartnerRole(role).value
    except ValueError:
        raise Refusal("unknown_choice", "role") from None
    if need is not None and need.project_id != project.id:
        raise Refusal("unknown_choice", "need")
    if org.funder and role == PartnerRole.CO_APPLICANT.value:
        raise Refusal("funder_not_co_applicant", "role")
    message = _message(message, locale, "message")
    link = db.session.scalar(select(Partnership).where(Partnership.project_id == project.id,
                                                       Partnership.organisation_id == org.id))
    if link is not None and link.status != PartnershipStatus.DECLINED.value:
        raise Refusal("already_linked")
    if link is None:
        link = Partnership(project_id=project.id, organisation=org)
        db.session.add(link)
    link.status = status.value
    link.role = role
    link.need_id = need.id if need is not None else None
    link.requested_by_name = getattr(user, "name", None)
    link.requested_by_municipality_id = getattr(user, "municipality_id", None)
    link.decided_by_name, link.decided_at = None, None
    return link, message


def _write_message(link: Partnership, message: str, locale: str | None, user) -> None:
    """The message is a text of the shared mechanism in the author's language (its translation optional);
    a reopened link's new message outdates the translations of the earlier round's, an empty one too.
    The earlier round's decision reason is emptied the same way: the new round has no answer yet. It is
    emptied in its own language, so its translations become outdated as they were rather than one of
    them being overwritten by the empty original. Written once the link's row is flushed (its own race
    refused there): adding text rows leaves the link's version as it is."""
    content.write_source(link, "message", message, locale, user)
    content.write_source(link, "decision_reason", "", link.source_locale("decision_reason") or locale, user)


def _flush_link() -> None:
    """Two people opening the same link at once: the unique (project, organisation) row refuses the second."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Refusal("already_linked") from None


def express_interest(project: Project, org: Organisation, user, role: str, contribution: ContributionInput,
                     message: str = "", locale: str | None = None, need: PartnerNeed | None = None) -> Partnership:
    """The organisation's municipality says, on its behalf, that it would like to be a partner, with the
    intended role and contribution. The project's lead coordinators answer."""
    values = _contribution(contribution, required=True)
    link, message = _open_link(project, org, need, role, PartnershipStatus.INTERESTED, user, message, locale)
    _write_contribution(link, values)
    _flush_link()
    _write_message(link, message, locale, user)
    record(user, "partnership.interest", link, project_id=project.id, organisation_id=org.id)
    notify("partners.interest_expressed", user, project=project, organisation=org, partnership_id=link.id)
    return link


def invite_organisation(project: Project, org: Organisation, user, role: str, message: str = "",
                        locale: str | None = None, need: PartnerNeed | None = None) -> Partnership:
    """The lead invites an organisation; the coordinators of its municipality answer."""
    link, message = _open_link(project, org, need, role, PartnershipStatus.INVITED, user, message, locale)
    link.contribution_kind = link.contribution_amount = link.contribution_currency = None
    link.contribution_hours = None
    _flush_link()
    _write_message(link, message, locale, user)
    record(user, "partnership.invite", link, project_id=project.id, organisation_id=org.id)
    notify("partners.organisation_invited", user, project=project, organisation=org, partnership_id=link.id)
    return link


def answer(link: Partnership, user, accept: bool, reason: str = "", locale: str | None = None,
           contribution: ContributionInput | None = None, expected_version: int | None = None) -> None:
    """Accept or decline an interest (the lead) or an invitation (the organisation's municipality, which
    may state its contribution when accepting). Declining needs a reason."""
    check_version(link, expected_version)
    if link.status not in PENDING:
        raise Refusal("already_decided")
    if ProjectStatus(link.project.status) in CLOSED:
        raise Refusal("not_open_for_partners")
    reason = _message(reason, locale, "reason", required=not accept)
    values = None
    if accept:
        if not link.organisation.active:
            raise Refusal("inactive")
        if link.status == PartnershipStatus.INVITED.value:
            values = _contribution(contribution, required=False)
    _write_contribution(link, values)
    before = link.status
    link.status = (PartnershipStatus.ACCEPTED if accept else PartnershipStatus.DECLINED).value
    link.decided_by_name = getattr(user, "name", None)
    link.decided_at = utcnow()
    db.session.flush()
    # The reason is a text of the shared mechanism in the author's language, read by the other side (in
    # its language once translated); a reason rewritten by a later answer outdates the translations.
    content.write_source(link, "decision_reason", reason, locale, user)
    record(user, "partnership.accept" if accept else "partnership.decline", link, project_id=link.project_id,
           organisation_id=link.organisation_id, was=before)
    notify("partners.partnership_decided", user, project=link.project, organisation=link.organisation,
           partnership_id=link.id, was=before, accepted=accept)


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


def _funding_line(link: Partnership, user, hourly_value, locale: str | None):
    """The line of the organisation's own municipality (issue 14: Pro Loco Perano's hours are Perano's
    contribution, valued in euros at Perano's own hourly rate, not a Kungälv line in kronor)."""
    from exchange.projects import services as project_services
    project, org = link.project, link.organisation
    home = org.municipality
    if link.contribution_kind == ContributionKind.VOLUNTARY_WORK.value:
        return project_services.add_funding_line(
            project, user, home.id, FundingSource.VOLUNTARY_WORK.value, home.currency,
            hours=link.contribution_hours, hourly_value=hourly_value, note=org.name[:Len.TITLE], locale=locale,
            partner=True)
    return project_services.add_funding_line(
        project, user, home.id, MONEY_SOURCE[org.type_enum].value, link.contribution_currency or home.currency,
        amount=link.contribution_amount, note=org.name[:Len.TITLE], locale=locale, partner=True)


def add_to_funding_plan(link: Partnership, user, hourly_value=None, locale: str | None = None,
                        expected_version: int | None = None):
    """Turn an accepted partner's contribution into a line of the project's funding plan, once: a line of
    the organisation's own municipality, noted with the organisation's name. Voluntary hours need an
    hourly value, in that municipality's currency; money keeps its currency. Uses the projects domain's own service, so its rules and history apply.
    ``expected_version``: the partnership's version the page showed (a second click is a Conflict)."""
    check_version(link, expected_version)
    if not is_fundable(link):
        raise Refusal("not_fundable")
    if link.contribution_kind == ContributionKind.VOLUNTARY_WORK.value and hourly_value in (None, ""):
        raise Refusal("required", "hourly_value")
    try:
        line = _funding_line(link, user, hourly_value, locale)
    except ValueError as exc:
        # The projects service refuses with a code and a field (its own error class, or Refusal).
        code, field = getattr(exc, "code", None), getattr(exc, "field", None)
        if code is None:
            raise
        raise Refusal(code if code in ("not_a_number", "negative", "too_large") else "not_fundable",
                      "hourly_value" if field in ("hourly_value", "hours") else None) from None
    link.funding_line_id = line.id
    db.session.flush()
    record(user, "partnership.funding", link, project_id=link.project_id, funding_line_id=line.id)
    return line
