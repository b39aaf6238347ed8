"""Partner forms. Labels, choices and messages are lazy-translated; choices are filled in ``__init__``
from the taxonomy, the configuration and scoped queries (never at import).

Every form turns into service input one way, ``to_input()``; an edit form fills itself from the saved
object one way, ``data_of(obj)`` (the same mapping the request kit shows beside the user's input on a
conflict). Ids are read through the kit's fields (``.ids``, ``.id_value``), never with ``int()``.
"""
from __future__ import annotations

from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SearchField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Optional, StopValidation, ValidationError

from exchange.db import Len
from exchange.errors import message_for
from exchange.forms import (AmountField, ChoiceField, ConfirmForm, FilterForm, MultiCheckboxField, VersionField, max_length,
                            no_control_characters, one_of, required, search_term, text_validators)
from exchange.i18n.formatting import country_name, language_name
from exchange.i18n.locale import language_choices
from exchange.municipalities import queries as municipality_queries
from exchange.partners.models import (INDIVIDUAL_CODES, OFFERS, SEEKS, ContributionKind, OrganisationType, Origin,
                                      PartnerRole)
from exchange.partners.queries import DirectoryFilters
from exchange.partners.services import ContactInput, ContributionInput, NeedInput, OrganisationInput, working_languages
from exchange.rules import MAX_HOURS, parse_id
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries

CHOOSE = ("", _l("Choose…"))


# --- validators and choices ----------------------------------------------------------------------

def required_with(message):
    """Required, with a message that says what to choose."""
    return InputRequired(message=message)


def chosen(message):
    """At least one box ticked (blank members of a multiple choice are no choice)."""
    def check(form, field) -> None:
        if not field.data:
            raise StopValidation(message)
    return check


def _check_type_value(value: str) -> None:
    if (value or "").strip().lower() in INDIVIDUAL_CODES:
        raise ValidationError(message_for("individual"))
    if value not in {t.value for t in OrganisationType}:
        raise ValidationError(message_for("unknown_choice"))


def organisation_type(form, field) -> None:
    _check_type_value(field.data)


def organisation_types(form, field) -> None:
    for value in field.data or []:
        _check_type_value(value)


def theme_choices():
    return theme_queries.choices(str(get_locale()))


def working_language_choices():
    """(code, name in the reader's language) for every working language, sorted by that name."""
    choices = [(code, language_name(code).capitalize()) for code in working_languages()]
    return sorted(choices, key=lambda c: theme_queries.name_sort_key(c[1], str(get_locale())))


def need_choices(needs) -> list:
    return [("", _l("None in particular"))] + [(str(n.id), n.role_enum.label) for n in needs]


def _chosen_need(needs, field):
    return next((n for n in needs if n.id == field.id_value), None)


def currencies() -> list[str]:
    """The reader's municipality's currency first, then the other municipalities' currencies."""
    own = current_municipality().currency
    return [own] + sorted({m.currency for m in municipality_queries.all_ordered()} - {own})


def filled(form_class, data: dict, **kwargs):
    """An edit form: filled from the saved object (``data``) on GET, from the submitted data on POST."""
    return form_class(data=data if request.method == "GET" else None, **kwargs)


# --- organisations -------------------------------------------------------------------------------

class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=text_validators(Len.TITLE, is_required=True))
    type = ChoiceField(_l("Type of organisation"), validators=[
        required_with(_l("Choose the type of organisation.")), organisation_type],
        description=_l("Private persons cannot be registered: LEADER support cannot go to individuals."))
    description_locale = ChoiceField(_l("Language of the description"), validators=[required(), one_of])
    description = TextAreaField(_l("Description"), validators=text_validators(Len.TEXT),
                                description=_l("What the organisation does and what it could bring to a "
                                               "joint project."))
    website = StringField(_l("Website"), validators=text_validators(Len.URL),
                          description=_l("A full address starting with https://"))
    offers = MultiCheckboxField(_l("Themes it can offer"), validators=[
        chosen(_l("Choose at least one theme the organisation can offer.")), one_of])
    seeks = MultiCheckboxField(_l("Themes it wants to learn about"), validators=[one_of])
    languages = MultiCheckboxField(_l("Languages it works in"), validators=[
        chosen(_l("Choose at least one language.")), one_of])
    contact_name = StringField(_l("Contact person"), validators=text_validators(Len.NAME), description=_l(
        "Personal data: shown only to signed-in users, never exported to other municipalities."))
    contact_role = StringField(_l("Contact person's role"), validators=text_validators(Len.NAME))
    contact_email = StringField(_l("Contact person's e-mail address"), validators=[
        *text_validators(Len.EMAIL),
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])
    contact_phone = StringField(_l("Contact person's phone number"), validators=text_validators(Len.PHONE))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [CHOOSE] + OrganisationType.choices()
        self.description_locale.choices = language_choices()
        themes = theme_choices()
        self.offers.choices = themes
        self.seeks.choices = themes
        self.languages.choices = working_language_choices()

    @staticmethod
    def new_data(locale: str, municipality) -> dict:
        """A new profile: described in the reader's language, working in the municipality's."""
        return {"description_locale": locale, "languages": [municipality.default_locale]}

    @staticmethod
    def data_of(org) -> dict:
        source = org.source_row("description")
        contact = org.contacts[0] if org.contacts else None
        return {"name": org.name, "type": org.type, "website": org.website,
                "description_locale": source.locale if source else str(get_locale()),
                "description": source.text if source else "",
                "offers": [str(t.id) for t in org.offered_themes], "seeks": [str(t.id) for t in org.sought_themes],
                "languages": org.languages, "version": org.version,
                "contact_name": contact.name if contact else "", "contact_role": contact.role if contact else "",
                "contact_email": contact.email if contact else "", "contact_phone": contact.phone if contact else ""}

    def to_input(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.data or "", type=self.type.data or "", locale=self.description_locale.data,
            description=self.description.data or "", website=self.website.data or "",
            offers=self.offers.ids, seeks=self.seeks.ids, languages=list(self.languages.data),
            contact=ContactInput(self.contact_name.data or "", self.contact_role.data or "",
                                 self.contact_email.data or "", self.contact_phone.data or ""))

    def validate_website(self, field) -> None:
        value = (field.data or "").strip()
        if value and not (value.lower().startswith(("http://", "https://")) and " " not in value and "." in value):
            raise ValidationError(_l("Enter a full web address, such as https://example.org."))

    def validate_contact_name(self, field) -> None:
        others = (self.contact_role.data, self.contact_email.data, self.contact_phone.data)
        if not (field.data or "").strip() and any((v or "").strip() for v in others):
            raise ValidationError(_l("Give the contact person's name, or leave all contact fields empty."))


class DirectoryForm(FilterForm):
    """The directory's search (GET, no CSRF: it changes nothing). Blank or whitespace-only choices are no
    filter; an invented one is refused (422) so that a tampered link does not silently show everything."""

    q = SearchField(_l("Search"), validators=[Optional(), max_length(100), no_control_characters],
                    description=_l("Name or description, in any language."))
    theme = ChoiceField(_l("Theme"), validators=[Optional(), one_of])
    theme_kind = ChoiceField(_l("Offered or sought"), validators=[Optional(), one_of])
    type = ChoiceField(_l("Type of organisation"), validators=[Optional(), one_of])
    municipality = ChoiceField(_l("Municipality"), validators=[Optional(), one_of])
    language = ChoiceField(_l("Works in"), validators=[Optional(), one_of])
    retired = BooleanField(_l("Include retired organisations"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _l("All"))
        self.theme.choices = [everything] + theme_choices()
        self.theme_kind.choices = [("", _l("Offered or sought")), (OFFERS, _l("Offered")), (SEEKS, _l("Sought"))]
        self.type.choices = [everything] + OrganisationType.choices()
        self.municipality.choices = [everything] + [(str(m.id), m.name) for m in municipalities]
        self.language.choices = [everything] + working_language_choices()

    def to_input(self) -> DirectoryFilters:
        return DirectoryFilters(q=search_term(self.q.data), theme_id=self.id_value("theme"),
                                theme_kind=self.value("theme_kind") or "", type=self.value("type") or "",
                                municipality_id=self.id_value("municipality"), language=self.value("language") or "",
                                include_retired=bool(self.retired.data))


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
        self.origin_country.choices = [CHOOSE] + [(c, country_name(c)) for c in sorted({m.country
                                                                                       for m in municipalities})]

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


class StatusForm(ConfirmForm):
    """Confirm or retire a profile (from the profile or the dashboard, where ``back`` leads)."""

    back = HiddenField()

    @property
    def from_dashboard(self) -> bool:
        return self.back.data == "dashboard"


# --- interest, invitations, answers --------------------------------------------------------------

class FundingForm(FlaskForm):
    """Put an accepted contribution into the funding plan (voluntary hours need their value per hour)."""

    hourly_value = AmountField(_l("Value of one voluntary hour"))

    def to_input(self) -> dict:
        return {"hourly_value": self.hourly_value.parsed}


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
                "message": self.message.data or "", "need": _chosen_need(self.needs, self.need)}


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
                "need": _chosen_need(self.needs, self.need)}


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
        return {"version": link.version, "contribution_currency": current_municipality().currency}

    @property
    def accepted(self) -> bool:
        return self.decision.data == "accept"

    def to_input(self) -> dict:
        return {"accept": self.accepted, "reason": self.reason.data or "", "contribution": self.contribution()}

    def validate_reason(self, field) -> None:
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason when you decline."))
