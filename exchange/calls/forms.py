"""The forms of the calls domain: the call form, the list's filters, and linking a project to a call."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from exchange.calls.models import ApplicantType, Programme
from exchange.calls.queries import CLOSED, OPEN, UPCOMING, CallFilters
from exchange.calls.services import CallInput
from exchange.db import Len
from exchange.forms import (AmountField, ChoiceField, FilterForm, LocalDateField, LocalTimeField, MultiCheckboxField,
                            VersionField, max_length, no_control_characters, one_of, required, text_validators)
from exchange.i18n.formatting import language_name

# Where programmes keep their deadlines: Brussels for the EU's own calls, and the network's zones.
BASE_ZONES = ("Europe/Brussels", "Europe/Stockholm", "Europe/Berlin", "Europe/Rome", "Europe/Luxembourg", "UTC")
# The EU member states and the EEA, whose towns the programmes of the network are open to.
EUROPE = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
          "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO")
CLOSING_WITHIN = (7, 14, 30, 90)


def _well_formed_version(form, field) -> None:
    if str(field.data or "").strip() and field.expected is None:
        raise ValidationError(_l("This could not be saved. Check your input and try again."))


def _count_field(label, description=None) -> StringField:
    # Text, not type=number: the service refuses what is not a whole number, with our message.
    return StringField(label, validators=[Optional(), max_length(6), no_control_characters], description=description,
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=text_validators(Len.TITLE, is_required=True))
    description = TextAreaField(_l("Description"), validators=text_validators(Len.TEXT),
                                description=_l("What the call funds, in your own words. Translators translate it."))
    locale = ChoiceField(_l("Language of the title and description"), validators=[required(), one_of])
    programme = ChoiceField(_l("Programme"), validators=[required(), one_of])
    official_url = StringField(_l("Official web page of the call"), validators=text_validators(Len.URL),
                               render_kw={"inputmode": "url", "autocomplete": "off"})
    opens_on = LocalDateField(_l("Opens on"), validators=[required()])
    opens_time = LocalTimeField(_l("Opening time"), validators=[Optional()],
                                description=_l("Leave empty for midnight."))
    closes_on = LocalDateField(_l("Closes on"), validators=[required()])
    closes_time = LocalTimeField(_l("Closing time"), validators=[Optional()],
                                 description=_l("Leave empty for 17:00, the usual deadline of EU calls."))
    timezone = ChoiceField(_l("Time zone of the programme"), validators=[required(), one_of],
                           description=_l("EU calls close at 17:00 Brussels time."))
    applicant_types = MultiCheckboxField(_l("Eligible applicants"), validators=[one_of],
                                         description=_l("Private persons are never eligible. None ticked: not "
                                                        "restricted."))
    countries = MultiCheckboxField(_l("Eligible countries"), validators=[one_of],
                                   description=_l("None ticked: any country."))
    themes = MultiCheckboxField(_l("Themes"), validators=[one_of])
    min_partners = _count_field(_l("Minimum number of partners"),
                                _l("Municipalities and partner organisations, the lead included."))
    min_countries = _count_field(_l("Minimum number of countries"))
    max_aid_intensity = AmountField(_l("Maximum aid intensity (in per cent)"), maximum=100,
                                    description=_l("The largest share of the eligible costs the grant may cover."))
    min_grant = AmountField(_l("Minimum grant"))
    max_grant = AmountField(_l("Maximum grant"))
    voluntary_work_counts = BooleanField(_l("Voluntary work counts as co-financing"))
    voluntary_hourly_value = AmountField(_l("Value of one hour of voluntary work"))
    currency = ChoiceField(_l("Currency"), validators=[required(), one_of],
                           description=_l("Grants and plans are compared in this currency only."))
    version = VersionField(validators=[_well_formed_version])

    def __init__(self, *args, themes=(), currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [(code, language_name(code).capitalize()) for code in current_app.config["LANGUAGES"]]
        self.programme.choices = Programme.choices()
        self.timezone.choices = [(zone, zone) for zone in dict.fromkeys([*BASE_ZONES, *self._zones()])]
        self.applicant_types.choices = ApplicantType.choices()
        territories = get_locale().territories
        self.countries.choices = sorted(((c, territories.get(c, c)) for c in EUROPE), key=lambda p: p[1])
        self.themes.choices = list(themes)
        self.currency.choices = [(c, c) for c in dict.fromkeys(["EUR", *currencies])]

    @staticmethod
    def _zones() -> list[str]:
        from exchange.municipalities.queries import timezones
        return timezones()

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The call must close after it opens."))

    @staticmethod
    def data_of(call, locale: str) -> dict:
        """The form's values for a saved call (GET), or the defaults of a new one."""
        if call is None:
            return {"locale": locale, "timezone": "Europe/Brussels", "closes_time": dt.time(17, 0),
                    "programme": Programme.LEADER.value, "version": ""}
        title = call.source_row("title")
        description = call.source_row("description")
        return {
            "title": title.text if title else "", "description": description.text if description else "",
            "locale": title.locale if title else locale, "programme": call.programme,
            "official_url": call.official_url, "opens_on": call.opens_local.date(),
            "opens_time": call.opens_local.time().replace(tzinfo=None), "closes_on": call.closes_local.date(),
            "closes_time": call.closes_local.time().replace(tzinfo=None), "timezone": call.timezone,
            "applicant_types": list(call.applicant_types or []), "countries": list(call.countries or []),
            "themes": [str(link.theme_id) for link in call.theme_links],
            "min_partners": str(call.min_partners) if call.min_partners else "",
            "min_countries": str(call.min_countries) if call.min_countries else "",
            "max_aid_intensity": call.max_aid_intensity, "min_grant": call.min_grant, "max_grant": call.max_grant,
            "voluntary_work_counts": call.voluntary_work_counts,
            "voluntary_hourly_value": call.voluntary_hourly_value, "currency": call.currency,
            "version": call.version,
        }

    def to_input(self, example: bool = False) -> CallInput:
        return CallInput(
            title=self.title.data or "", description=self.description.data or "", locale=self.locale.data,
            programme=self.programme.data, official_url=self.official_url.data or "",
            opens_on=self.opens_on.data, opens_time=self.opens_time.data, closes_on=self.closes_on.data,
            closes_time=self.closes_time.data, timezone=self.timezone.data,
            applicant_types=list(self.applicant_types.data or []), countries=list(self.countries.data or []),
            theme_ids=self.themes.ids, min_partners=(self.min_partners.data or "").strip(),
            min_countries=(self.min_countries.data or "").strip(), max_aid_intensity=self.max_aid_intensity.parsed,
            min_grant=self.min_grant.parsed, max_grant=self.max_grant.parsed,
            voluntary_work_counts=bool(self.voluntary_work_counts.data),
            voluntary_hourly_value=self.voluntary_hourly_value.parsed, currency=self.currency.data, example=example)


class CallFilterForm(FilterForm):
    programme = ChoiceField(_l("Programme"), validators=[Optional(), one_of])
    theme = ChoiceField(_l("Theme"), validators=[Optional(), one_of])
    state = ChoiceField(_l("Open or closed"), validators=[Optional(), one_of])
    closing_within = ChoiceField(_l("Closes"), validators=[Optional(), one_of])

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _l("All"))
        self.programme.choices = [everything, *Programme.choices()]
        self.theme.choices = [everything, *themes]
        self.state.choices = [("", _l("Open now or opening later")), (OPEN, _l("Open now")),
                              (UPCOMING, _l("Opening later")), (CLOSED, _l("Closed"))]
        self.closing_within.choices = [("", _l("Any time"))] + [
            (str(days), ngettext("within %(num)d day", "within %(num)d days", days)) for days in CLOSING_WITHIN]

    def to_filters(self) -> CallFilters:
        """The usable filters: a blank or unknown value is no filter at all."""
        within = self.value("closing_within")
        return CallFilters(programme=self.value("programme") or "", theme_id=self.id_value("theme"),
                           state=self.value("state") or "", closing_within=int(within) if within else None)


class LinkForm(FlaskForm):
    """Link one of the user's projects to a call."""

    project = ChoiceField(_l("Project"), validators=[required(), one_of])

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project.choices = list(projects)
