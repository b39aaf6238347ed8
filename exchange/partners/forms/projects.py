"""The forms of a project's partner side: needs, invitations, expressions of interest, answers, and an
accepted contribution in the funding plan."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import Optional, ValidationError

from exchange.db import Len
from exchange.forms import AmountField, ChoiceField, MultiCheckboxField, VersionField, one_of, required, text_validators
from exchange.i18n.formatting import collate, country_name
from exchange.partners.forms.common import (CHOOSE, chosen, chosen_need, currencies, need_choices,
                                            organisation_types, required_with, theme_choices)
from exchange.partners.models import ContributionKind, OrganisationType, Origin, PartnerRole
from exchange.partners.services import ContributionInput, NeedInput
from exchange.rules import MAX_HOURS, parse_id
from exchange.tenancy import current_municipality


# --- needs ---------------------------------------------------------------------------------------

class NeedForm(FlaskForm):
    role = ChoiceField(_l("Role of the partner"), validators=[required(), one_of])
    themes = MultiCheckboxField(_l("Themes the partner should offer"), validators=[
        chosen(_l("Choose at least one theme.")), one_of])
    types = MultiCheckboxField(_l("Acceptable types of organisation"), validators=[
        chosen(_l("Choose at least one type of organisation.")), organisation_types])
    origin = RadioField(_l("Where from"), validate_choice=False, validators=[required(), one_of])
    origin_municipality = ChoiceField(_l("Municipality"), validators=[Optional(), one_of])
    origin_country = ChoiceField(_l("Country"), validators=[Optional(), one_of])
    version = VersionField()

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = PartnerRole.choices()
        self.themes.choices = theme_choices()
        self.types.choices = OrganisationType.choices()
        self.origin.choices = Origin.choices()
        self.origin_municipality.choices = [CHOOSE] + [(str(m.id), m.name) for m in municipalities]
        # countries by their name in the reader's language (Germania, Italia, Svezia), not by code
        self.origin_country.choices = [CHOOSE] + collate([(c, country_name(c)) for c in {m.country for m in municipalities}],
                                                         key=lambda choice: choice[1])

    @staticmethod
    def new_data(project) -> dict:
        """A new need: from anywhere, any type, the project's own themes."""
        return {"origin": Origin.ANY.value, "types": [t.value for t in OrganisationType],
                "themes": [str(link.theme_id) for link in project.theme_links]}

    @staticmethod
    def data_of(need) -> dict:
        return {"role": need.role, "themes": [str(link.theme_id) for link in need.theme_links],
                "types": [r.type for r in need.type_rows], "origin": need.origin,
                "origin_municipality": str(need.origin_municipality_id or ""),
                "origin_country": need.origin_country or "", "version": need.version}

    def to_input(self) -> NeedInput:
        return NeedInput(role=self.role.data, theme_ids=self.themes.ids, types=list(self.types.data),
                         origin=self.origin.data, origin_municipality_id=self.origin_municipality.id_value,
                         origin_country=self.origin_country.data or None)

    def validate_origin_municipality(self, field) -> None:
        if self.origin.data == Origin.MUNICIPALITY.value and not field.data:
            raise ValidationError(_l("Choose the municipality the partner should come from."))

    def validate_origin_country(self, field) -> None:
        if self.origin.data == Origin.COUNTRY.value and not field.data:
            raise ValidationError(_l("Choose the country the partner should come from."))


# --- interest, invitations, answers --------------------------------------------------------------

class FundingForm(FlaskForm):
    """Put an accepted contribution into the funding plan (voluntary hours need their value per hour)."""

    hourly_value = AmountField(_l("Value of one voluntary hour"))
    version = VersionField()  # the partnership's, as the page showed it

    def to_input(self) -> dict:
        return {"hourly_value": self.hourly_value.parsed, "expected_version": self.version.checked}


class _ContributionFields:
    contribution_kind = RadioField(_l("Contribution"), validate_choice=False, validators=[Optional(), one_of])
    contribution_amount = AmountField(_l("Amount (money or value in kind)"))
    contribution_currency = ChoiceField(_l("Currency"), validators=[Optional(), one_of])
    contribution_hours = AmountField(_l("Voluntary hours"), maximum=MAX_HOURS)

    def _contribution_choices(self) -> None:
        self.contribution_kind.choices = ContributionKind.choices()
        self.contribution_currency.choices = [(c, c) for c in currencies()]

    def contribution(self) -> ContributionInput:
        return ContributionInput(self.contribution_kind.data, self.contribution_amount.parsed,
                                 self.contribution_currency.data, self.contribution_hours.parsed)


class InterestForm(_ContributionFields, FlaskForm):
    organisation = ChoiceField(_l("On behalf of"), validators=[
        required_with(_l("Choose the organisation.")), one_of])
    role = ChoiceField(_l("Intended role"), validators=[required(), one_of])
    need = ChoiceField(_l("For the need"), validators=[Optional(), one_of])
    contribution_kind = RadioField(_l("Contribution"), validate_choice=False, validators=[
        required_with(_l("Choose the kind of contribution.")), one_of])
    message = TextAreaField(_l("Message to the project's coordinators"), validators=text_validators(Len.MESSAGE))

    def __init__(self, *args, organisations=(), needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations, self.needs = list(organisations), list(needs)
        self.organisation.choices = [(str(o.id), o.name) for o in self.organisations]
        self.role.choices = PartnerRole.choices()
        self.need.choices = need_choices(self.needs)
        self._contribution_choices()

    @staticmethod
    def new_data(organisation_id: str | None) -> dict:
        return {"organisation": str(parse_id(organisation_id) or ""),
                "contribution_currency": current_municipality().currency}

    @property
    def chosen_organisation(self):
        return next((o for o in self.organisations if o.id == self.organisation.id_value), None)

    def to_input(self) -> dict:
        return {"org": self.chosen_organisation, "role": self.role.data, "contribution": self.contribution(),
                "message": self.message.data or "", "need": chosen_need(self.needs, self.need)}


class InviteForm(FlaskForm):
    role = ChoiceField(_l("Role offered"), validators=[required(), one_of])
    need = ChoiceField(_l("For the need"), validators=[Optional(), one_of])
    message = TextAreaField(_l("Message to the organisation's municipality"),
                            validators=text_validators(Len.MESSAGE))

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = list(needs)
        self.role.choices = PartnerRole.choices()
        self.need.choices = need_choices(self.needs)

    @staticmethod
    def new_data(needs, need_id: str | None) -> dict:
        """An invitation for the need the suggestion named (``?need=``), in that need's role."""
        need = next((n for n in needs if n.id == parse_id(need_id)), None)
        return {"need": str(need.id) if need else "", "role": need.role if need else None}

    def to_input(self) -> dict:
        return {"role": self.role.data, "message": self.message.data or "",
                "need": chosen_need(self.needs, self.need)}


class AnswerForm(_ContributionFields, FlaskForm):
    decision = RadioField(_l("Your answer"), validate_choice=False, validators=[
        required_with(_l("Choose whether to accept or decline.")), one_of])
    reason = TextAreaField(_l("Reason"), validators=text_validators(Len.MESSAGE),
                           description=_l("Required when you decline; the other side sees it."))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("accept", _l("Accept")), ("decline", _l("Decline"))]
        self._contribution_choices()

    @staticmethod
    def data_of(link) -> dict:
        """The form for ``link``; once answered, the answer given (what a conflict shows as saved)."""
        data = {"version": link.version, "contribution_currency": current_municipality().currency}
        if not link.is_pending:
            data.update(decision="accept" if link.status == "accepted" else "decline", reason=link.decision_reason)
        return data

    @property
    def accepted(self) -> bool:
        return self.decision.data == "accept"

    def to_input(self) -> dict:
        return {"accept": self.accepted, "reason": self.reason.data or "", "contribution": self.contribution()}

    def validate_reason(self, field) -> None:
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason when you decline."))
