"""The organisation forms: the profile, the directory's search, and confirming or retiring a profile."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SearchField, StringField, TextAreaField
from wtforms.validators import Email, Optional, ValidationError

from exchange.db import Len
from exchange.forms import (ChoiceField, ConfirmForm, FilterForm, MultiCheckboxField, VersionField, max_length,
                            no_control_characters, one_of, required, search_term, text_validators)
from exchange.i18n.locale import language_choices
from exchange.partners.forms.common import (CHOOSE, chosen, organisation_type, required_with, theme_choices,
                                            working_language_choices)
from exchange.partners.models import OFFERS, SEEKS, OrganisationType
from exchange.partners.queries import DirectoryFilters
from exchange.partners.services import ContactInput, OrganisationInput


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=text_validators(Len.TITLE, is_required=True))
    type = ChoiceField(_l("Type of organisation"), validators=[
        required_with(_l("Choose the type of organisation.")), organisation_type],
        description=_l("Private persons cannot be registered: LEADER support cannot go to individuals."))
    description_locale = ChoiceField(_l("Language of the description"), validators=[required(), one_of])
    description = TextAreaField(_l("Description"), validators=text_validators(Len.TEXT),
                                description=_l("What the organisation does and what it could bring to a "
                                               "joint project."))
    funder = BooleanField(_l("It funds projects (for example a LEADER local action group)"),
                          description=_l("An organisation that funds projects is never suggested or accepted as "
                                         "a co-applicant."))
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
        return {"name": org.name, "type": org.type, "website": org.website, "funder": bool(org.funder),
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
            funder=bool(self.funder.data),
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

    q = SearchField(lazy_pgettext("search field", "Search"), validators=[Optional(), max_length(100), no_control_characters],
                    description=_l("Name or description, in any language."))
    theme = ChoiceField(_l("Theme"), validators=[Optional(), one_of])
    theme_kind = ChoiceField(_l("Offered or sought"), validators=[Optional(), one_of])
    type = ChoiceField(_l("Type of organisation"), validators=[Optional(), one_of])
    municipality = ChoiceField(_l("Municipality"), validators=[Optional(), one_of])
    language = ChoiceField(_l("Works in"), validators=[Optional(), one_of])
    retired = BooleanField(_l("Include retired organisations"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [("", lazy_pgettext("any theme", "All"))] + theme_choices()
        self.theme_kind.choices = [("", _l("Offered or sought")), (OFFERS, _l("Offered")), (SEEKS, _l("Sought"))]
        self.type.choices = [("", lazy_pgettext("any type of organisation", "All"))] + OrganisationType.choices()
        self.municipality.choices = [("", lazy_pgettext("any municipality", "All"))] + [
            (str(m.id), m.name) for m in municipalities]
        self.language.choices = [("", lazy_pgettext("any language", "All"))] + working_language_choices()

    def to_input(self) -> DirectoryFilters:
        return DirectoryFilters(q=search_term(self.q.data), theme_id=self.id_value("theme"),
                                theme_kind=self.value("theme_kind") or "", type=self.value("type") or "",
                                municipality_id=self.id_value("municipality"), language=self.value("language") or "",
                                include_retired=bool(self.retired.data))


class StatusForm(ConfirmForm):
    """Confirm or retire a profile (from the profile or the dashboard, where ``back`` leads)."""

    back = HiddenField()

    @property
    def from_dashboard(self) -> bool:
        return self.back.data == "dashboard"

