"""Partner forms. Labels, choices and messages are lazy-translated; choices are filled in ``__init__``
from the taxonomy, the configuration and scoped queries (never at import)."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, RadioField, SearchField, SelectField, StringField, TextAreaField)
from wtforms.validators import Email, InputRequired, Optional, ValidationError

from exchange.auth.forms import MultiCheckboxField
from exchange.forms import max_length, no_control_characters
from exchange.i18n.formatting import language_name
from exchange.i18n.locale import language_choices
from exchange.partners.models import (INDIVIDUAL_CODES, ContributionKind, OrganisationType, Origin, PartnerRole,
                                      OFFERS, SEEKS)
from exchange.partners.services import LIMITS, working_languages
from exchange.themes import queries as theme_queries

MESSAGES = {
    "choose": _l("Choose one of the offered options."),
}


def _required(message=None):
    return InputRequired(message=message or _l("This field is required."))


def individual_message():
    return _l("A private person cannot be registered: under the LEADER method individuals cannot be granted "
              "support. Register the association, company or public body the person acts for.")


def _check_type_value(value: str) -> None:
    if (value or "").strip().lower() in INDIVIDUAL_CODES:
        raise ValidationError(individual_message())
    if value not in {t.value for t in OrganisationType}:
        raise ValidationError(MESSAGES["choose"])


def organisation_type(form, field) -> None:
    _check_type_value(field.data)


def organisation_types(form, field) -> None:
    for value in field.data or []:
        _check_type_value(value)


def one_of_choices(form, field) -> None:
    """Our translated message instead of WTForms' own 'Not a valid choice'."""
    allowed = {str(value) for value, _label in field.choices}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(str(v) not in allowed for v in values if v not in (None, "")):
        raise ValidationError(MESSAGES["choose"])


def type_choices():
    return [(t.value, t.label) for t in OrganisationType]


def role_choices():
    return [(r.value, r.label) for r in PartnerRole]


def theme_choices():
    return theme_queries.choices(str(get_locale()))


def working_language_choices():
    """(code, name in the reader's language) for every working language, sorted by that name."""
    choices = [(code, language_name(code).capitalize()) for code in working_languages()]
    return sorted(choices, key=lambda c: theme_queries.name_sort_key(c[1], str(get_locale())))


def version_of(field) -> int | None:
    try:
        return int(field.data) if field.data not in (None, "") else None
    except (TypeError, ValueError):
        return -1  # never equal to a real version: reported as a conflict


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[
        _required(), max_length(LIMITS["name"]), no_control_characters])
    type = SelectField(_l("Type of organisation"), validate_choice=False, validators=[
        _required(_l("Choose the type of organisation.")), organisation_type],
        description=_l("Private persons cannot be registered: LEADER support cannot go to individuals."))
    description_locale = SelectField(_l("Language of the description"), validate_choice=False,
                                     validators=[_required(), one_of_choices])
    description = TextAreaField(_l("Description"), validators=[
        Optional(), max_length(LIMITS["description"]), no_control_characters],
        description=_l("What the organisation does and what it could bring to a joint project."))
    website = StringField(_l("Website"), validators=[Optional(), max_length(LIMITS["website"]),
                                                     no_control_characters],
                          description=_l("A full address starting with https://"))
    offers = MultiCheckboxField(_l("Themes it can offer"), validate_choice=False, validators=[
        _required(_l("Choose at least one theme the organisation can offer.")), one_of_choices])
    seeks = MultiCheckboxField(_l("Themes it wants to learn about"), validate_choice=False,
                               validators=[Optional(), one_of_choices])
    languages = MultiCheckboxField(_l("Languages it works in"), validate_choice=False, validators=[
        _required(_l("Choose at least one language.")), one_of_choices])
    contact_name = StringField(_l("Contact person"), validators=[
        Optional(), max_length(LIMITS["contact_name"]), no_control_characters],
        description=_l("Personal data: shown only to signed-in users, never exported to other municipalities."))
    contact_role = StringField(_l("Contact person's role"), validators=[
        Optional(), max_length(LIMITS["contact_role"]), no_control_characters])
    contact_email = StringField(_l("Contact person's e-mail address"), validators=[
        Optional(), max_length(LIMITS["contact_email"]), no_control_characters,
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])
    contact_phone = StringField(_l("Contact person's phone number"), validators=[
        Optional(), max_length(LIMITS["contact_phone"]), no_control_characters])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [("", _l("Choose…"))] + type_choices()
        self.description_locale.choices = language_choices()
        themes = theme_choices()
        self.offers.choices = themes
        self.seeks.choices = themes
        self.languages.choices = working_language_choices()

    def validate_website(self, field) -> None:
        value = (field.data or "").strip()
        if value and not (value.lower().startswith(("http://", "https://")) and " " not in value and "." in value):
            raise ValidationError(_l("Enter a full web address, such as https://example.org."))

    def validate_contact_name(self, field) -> None:
        others = (self.contact_role.data, self.contact_email.data, self.contact_phone.data)
        if not (field.data or "").strip() and any((v or "").strip() for v in others):
            raise ValidationError(_l("Give the contact person's name, or leave all contact fields empty."))


class NeedForm(FlaskForm):
    role = SelectField(_l("Role of the partner"), validate_choice=False, validators=[_required(), one_of_choices])
    themes = MultiCheckboxField(_l("Themes the partner should offer"), validate_choice=False, validators=[
        _required(_l("Choose at least one theme.")), one_of_choices])
    types = MultiCheckboxField(_l("Acceptable types of organisation"), validate_choice=False, validators=[
        _required(_l("Choose at least one type of organisation.")), organisation_types])
    origin = RadioField(_l("Where from"), validate_choice=False, validators=[_required(), one_of_choices])
    origin_municipality = SelectField(_l("Municipality"), validate_choice=False,
                                      validators=[Optional(), one_of_choices])
    origin_country = SelectField(_l("Country"), validate_choice=False, validators=[Optional(), one_of_choices])
    version = HiddenField()

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.themes.choices = theme_choices()
        self.types.choices = type_choices()
        self.origin.choices = [(o.value, o.label) for o in Origin]
        self.origin_municipality.choices = [("", _l("Choose…"))] + [(str(m.id), m.name) for m in municipalities]
        countries = sorted({m.country for m in municipalities})
        from exchange.i18n.formatting import country_name
        self.origin_country.choices = [("", _l("Choose…"))] + [(c, country_name(c)) for c in countries]

    def validate_origin_municipality(self, field) -> None:
        if self.origin.data == Origin.MUNICIPALITY.value and not field.data:
            raise ValidationError(_l("Choose the municipality the partner should come from."))

    def validate_origin_country(self, field) -> None:
        if self.origin.data == Origin.COUNTRY.value and not field.data:
            raise ValidationError(_l("Choose the country the partner should come from."))


class StatusForm(FlaskForm):
    """Confirm or retire a profile: CSRF protection plus the version the page showed."""

    version = HiddenField()


class FundingForm(FlaskForm):
    """Put an accepted contribution into the funding plan (voluntary hours need their value per hour)."""

    hourly_value = StringField(_l("Value of one voluntary hour"), validators=[
        Optional(), max_length(20), no_control_characters])


def contribution_choices():
    return [(c.value, c.label) for c in ContributionKind]


class _ContributionFields:
    contribution_kind = RadioField(_l("Contribution"), validate_choice=False, validators=[
        _required(_l("Choose the kind of contribution.")), one_of_choices])
    contribution_amount = StringField(_l("Amount (money or value in kind)"), validators=[
        Optional(), max_length(20), no_control_characters])
    contribution_currency = SelectField(_l("Currency"), validate_choice=False, validators=[Optional(), one_of_choices])
    contribution_hours = StringField(_l("Voluntary hours"), validators=[
        Optional(), max_length(20), no_control_characters])


class InterestForm(_ContributionFields, FlaskForm):
    organisation = SelectField(_l("On behalf of"), validate_choice=False, validators=[
        _required(_l("Choose the organisation.")), one_of_choices])
    role = SelectField(_l("Intended role"), validate_choice=False, validators=[_required(), one_of_choices])
    need = SelectField(_l("For the need"), validate_choice=False, validators=[Optional(), one_of_choices])
    message = TextAreaField(_l("Message to the project's coordinators"), validators=[
        Optional(), max_length(LIMITS["message"]), no_control_characters])

    def __init__(self, *args, organisations=(), needs=(), currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [(str(o.id), o.name) for o in organisations]
        self.role.choices = role_choices()
        self.need.choices = [("", _l("None in particular"))] + [(str(n.id), n.role_enum.label) for n in needs]
        self.contribution_kind.choices = contribution_choices()
        self.contribution_currency.choices = [(c, c) for c in currencies]


class InviteForm(FlaskForm):
    role = SelectField(_l("Role offered"), validate_choice=False, validators=[_required(), one_of_choices])
    need = SelectField(_l("For the need"), validate_choice=False, validators=[Optional(), one_of_choices])
    message = TextAreaField(_l("Message to the organisation's municipality"), validators=[
        Optional(), max_length(LIMITS["message"]), no_control_characters])

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.need.choices = [("", _l("None in particular"))] + [(str(n.id), n.role_enum.label) for n in needs]


class AnswerForm(FlaskForm):
    decision = RadioField(_l("Your answer"), validate_choice=False, validators=[
        _required(_l("Choose whether to accept or decline.")), one_of_choices])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), max_length(LIMITS["reason"]), no_control_characters],
                           description=_l("Required when you decline; the other side sees it."))
    contribution_kind = RadioField(_l("Contribution"), validate_choice=False, validators=[Optional(), one_of_choices])
    contribution_amount = _ContributionFields.contribution_amount
    contribution_currency = _ContributionFields.contribution_currency
    contribution_hours = _ContributionFields.contribution_hours
    version = HiddenField()

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("accept", _l("Accept")), ("decline", _l("Decline"))]
        self.contribution_kind.choices = contribution_choices()
        self.contribution_currency.choices = [(c, c) for c in currencies]

    def validate_reason(self, field) -> None:
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason when you decline."))


class DirectoryForm(FlaskForm):
    """The directory's search (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), max_length(100), no_control_characters],
                    description=_l("Name or description, in any language."))
    theme = SelectField(_l("Theme"), validate_choice=False, validators=[Optional(), one_of_choices])
    theme_kind = SelectField(_l("Offered or sought"), validate_choice=False, validators=[Optional(), one_of_choices])
    type = SelectField(_l("Type of organisation"), validate_choice=False, validators=[Optional(), one_of_choices])
    municipality = SelectField(_l("Municipality"), validate_choice=False, validators=[Optional(), one_of_choices])
    language = SelectField(_l("Works in"), validate_choice=False, validators=[Optional(), one_of_choices])
    retired = BooleanField(_l("Include retired organisations"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _l("All"))
        self.theme.choices = [everything] + theme_choices()
        self.theme_kind.choices = [("", _l("Offered or sought")), (OFFERS, _l("Offered")), (SEEKS, _l("Sought"))]
        self.type.choices = [everything] + type_choices()
        self.municipality.choices = [everything] + [(str(m.id), m.name) for m in municipalities]
        self.language.choices = [everything] + working_language_choices()

