"""Visit forms. Labels and messages are lazy-translated; choices are filled in ``__init__`` from scoped
queries (never at import). Built-in WTForms messages are replaced by our own translated ones: date,
time and number parsing, and choice checks (``validate_choice=False`` plus ``one_of``)."""
from __future__ import annotations


from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, Form, HiddenField, IntegerField, SearchField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from exchange.forms import max_length, no_control_characters
from exchange.rules import parse_amount
from exchange.i18n.locale import language_choices
from exchange.visits import services
from exchange.visits.models import COST_CATEGORY_LABELS, STATUS_LABELS

# --- fields with our own messages ------------------------------------------------------------


def _required():
    return InputRequired(message=_l("This field is required."))


def one_of(form, field) -> None:
    """The submitted value(s) must be among the offered choices (foreign or invented ids are refused)."""
    allowed = {str(value) for value, _label in (field.choices or [])}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(v not in (None, "") and str(v) not in allowed for v in values):
        raise ValidationError(_l("Choose one of the offered options."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class ChoiceField(SelectField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _blank(valuelist) -> bool:
    return not valuelist or not "".join(valuelist).strip()


class LocalDateField(DateField):
    """A date with our translated message, and in the years the application accepts."""

    def process_formdata(self, valuelist):
        if _blank(valuelist):
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date in the form YYYY-MM-DD, for example 2025-05-14.")) from None

    def pre_validate(self, form):
        if self.data is not None and not services.MIN_YEAR <= self.data.year <= services.MAX_YEAR:
            raise ValidationError(_l("Enter a date between the years %(first)d and %(last)d.",
                                     first=services.MIN_YEAR, last=services.MAX_YEAR))


class LocalTimeField(TimeField):
    """A time of day (HH:MM, seconds accepted) with our translated message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if _blank(valuelist):
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a time in the form HH:MM, for example 09:30.")) from None


class AmountField(DecimalField):
    """A non-negative amount of money with two decimals."""

    def process_formdata(self, valuelist):
        if _blank(valuelist):
            self.data = None
            return
        self.data = parse_amount(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Enter an amount such as 1250.50."))

    def pre_validate(self, form):
        if self.data is None:
            return
        if not self.data.is_finite():
            raise ValidationError(_l("Enter an amount such as 1250.50."))
        if self.data < 0:
            raise ValidationError(_l("The amount cannot be negative."))
        if self.data > services.AMOUNT_MAX:
            raise ValidationError(_l("The amount is too large."))


# --- the visit -------------------------------------------------------------------------------

def status_choices():
    return [(status.value, label) for status, label in STATUS_LABELS.items()]


def municipality_choices(municipalities):
    return [(str(m.id), m.name) for m in municipalities]


class VisitForm(FlaskForm):
    host_id = ChoiceField(_l("Host municipality"), validators=[_required(), one_of])
    visiting_ids = MultiCheckboxField(_l("Visiting municipalities"), validators=[
        InputRequired(message=_l("Choose at least one visiting municipality.")), one_of])
    start_date = LocalDateField(_l("First day"), validators=[_required()])
    start_time = LocalTimeField(_l("Start time (optional)"), validators=[Optional()],
                                description=_l("Local time of the host municipality. Leave empty for a whole day."))
    end_date = LocalDateField(_l("Last day"), validators=[_required()])
    end_time = LocalTimeField(_l("End time (optional)"), validators=[Optional()])
    status = ChoiceField(_l("Status"), validators=[_required(), one_of])
    purpose_locale = ChoiceField(_l("Language of the purpose"), validators=[_required(), one_of],
                                 description=_l("The language you write the purpose in. Translations can be "
                                                "added later."))
    purpose = TextAreaField(_l("Purpose"), validators=[
        _required(), max_length(services.PURPOSE_MAX), no_control_characters])
    theme_ids = MultiCheckboxField(_l("Themes"), validators=[one_of])
    project_ids = MultiCheckboxField(_l("Linked joint development projects"), validators=[one_of])
    version = HiddenField()

    def __init__(self, municipalities, themes, projects, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.host_id.choices = [("", _l("Choose…"))] + municipality_choices(municipalities)
        self.visiting_ids.choices = municipality_choices(municipalities)
        self.status.choices = status_choices()
        self.purpose_locale.choices = language_choices()
        self.theme_ids.choices = [(str(t.id), t.name(locale)) for t in themes]
        self.project_ids.choices = [(str(p.id), p.plain("title", locale)) for p in projects]

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_end_time(self, field):
        if field.data and not self.start_time.data:
            raise ValidationError(_l("Give a start time too, or leave both times empty."))
        if (field.data and self.start_time.data and self.start_date.data == self.end_date.data
                and field.data < self.start_time.data):
            raise ValidationError(_l("The visit cannot end before it starts."))

    def validate_visiting_ids(self, field):
        if self.host_id.data and self.host_id.data in (field.data or []):
            raise ValidationError(_l("The host cannot also be a visitor."))

    def to_data(self) -> services.VisitData:
        return services.VisitData(
            host_id=int(self.host_id.data), visiting_ids={int(i) for i in self.visiting_ids.data},
            start_date=self.start_date.data, end_date=self.end_date.data, start_time=self.start_time.data,
            end_time=self.end_time.data, status=self.status.data, purpose=self.purpose.data,
            purpose_locale=self.purpose_locale.data, theme_ids={int(i) for i in self.theme_ids.data},
            project_ids={int(i) for i in self.project_ids.data})

    def expected_version(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1  # a tampered or missing version is a conflict, never a silent overwrite


class LessonsForm(FlaskForm):
    language = ChoiceField(_l("Language of the lessons learned"), validators=[_required(), one_of])
    lessons = TextAreaField(_l("Lessons learned"), validators=[
        max_length(services.LESSONS_MAX), no_control_characters],
        description=_l("What did we learn, and what would we do differently?"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()

    expected_version = VisitForm.expected_version


class _Prefixed(FlaskForm):
    """Several forms share the detail page: a prefix keeps their field names and ids apart."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class AgendaItemForm(_Prefixed):
    PREFIX = "agenda"
    day = LocalDateField(_l("Day"), validators=[_required()])
    start_time = LocalTimeField(_l("From (optional)"), validators=[Optional()])
    end_time = LocalTimeField(_l("To (optional)"), validators=[Optional()])
    title = StringField(_l("What"), validators=[_required(), max_length(services.TITLE_MAX),
                                                 no_control_characters])
    location = StringField(_l("Where (optional)"), validators=[max_length(services.LOCATION_MAX),
                                                               no_control_characters])

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data < self.start_time.data:
            raise ValidationError(_l("The item cannot end before it starts."))


class ParticipantForm(_Prefixed):
    PREFIX = "participant"
    name = StringField(_l("Name"), validators=[_required(), max_length(services.NAME_MAX), no_control_characters])
    organisation = StringField(_l("Organisation or department"), validators=[
        max_length(services.ORGANISATION_MAX), no_control_characters])
    role = StringField(_l("Role in the visit (optional)"), validators=[
        max_length(services.ROLE_MAX), no_control_characters])
    municipality_id = ChoiceField(_l("Municipality"), validators=[_required(), one_of])

    def __init__(self, municipalities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality_id.choices = municipality_choices(municipalities)


class CostForm(_Prefixed):
    PREFIX = "cost"
    category = ChoiceField(_l("Category"), validators=[_required(), one_of])
    amount = AmountField(_l("Amount"), validators=[_required()])
    currency = ChoiceField(_l("Currency"), validators=[_required(), one_of])
    municipality_id = ChoiceField(_l("Paid by"), validators=[_required(), one_of])
    funding_line_id = ChoiceField(_l("Paid from a project funding line (optional)"), validators=[one_of])
    note = StringField(_l("Note (optional)"), validators=[max_length(services.NOTE_MAX), no_control_characters])

    def __init__(self, municipalities, currencies, funding_lines, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(c.value, label) for c, label in COST_CATEGORY_LABELS.items()]
        self.currency.choices = [(c, c) for c in currencies]
        self.municipality_id.choices = municipality_choices(municipalities)
        self.funding_line_id.choices = [("", _l("None"))] + [(str(i), label) for i, label in funding_lines]


class FollowUpForm(_Prefixed):
    PREFIX = "follow_up"
    action = TextAreaField(_l("Follow-up action"), validators=[_required(), max_length(services.ACTION_MAX),
                                                     no_control_characters])
    owner = StringField(_l("Owner (optional)"), validators=[max_length(services.OWNER_MAX), no_control_characters])
    due_date = LocalDateField(_l("Due date (optional)"), validators=[Optional()])


class PersonForm(FlaskForm):
    name = StringField(_l("Name of the person"), validators=[
        _required(), max_length(services.NAME_MAX), no_control_characters],
        description=_l("The name exactly as it was entered; upper and lower case do not matter."))


class YearsField(IntegerField):
    """A whole number of years; a parse failure is left to the range check (our own message)."""

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0].strip()) if valuelist and valuelist[0].strip() else None
        except ValueError:
            self.data = None


class RetentionForm(FlaskForm):
    retention_years = YearsField(_l("Keep participants' names for (years after the visit)"),
                                 description=_l("After this period the names are replaced by "
                                                "\"anonymised participant\"; counts and organisations stay."))

    def validate_retention_years(self, field):
        low, high = services.RETENTION_RANGE
        if field.data is None or not low <= field.data <= high:
            raise ValidationError(_l("Enter a whole number of years from %(low)d to %(high)d.", low=low, high=high))


class ConfirmForm(FlaskForm):
    """An empty form: CSRF protection for confirmed POST actions."""


# --- filters (GET, no CSRF) ------------------------------------------------------------------

class FilterForm(Form):
    """The list's filters. Unknown values are ignored rather than refused: a filter link from an old
    bookmark should still show a page."""

    year = ChoiceField(_l("Year"))
    municipality = ChoiceField(_l("Municipality"))
    pair = ChoiceField(_l("Between"))
    theme = ChoiceField(_l("Theme"))
    status = ChoiceField(_l("Status"))
    project = ChoiceField(_l("Linked project"))

    def __init__(self, formdata, years, municipalities, themes, projects, locale: str):
        super().__init__(formdata)
        everything = [("", _l("All"))]
        self.year.choices = everything + [(str(y), str(y)) for y in years]
        self.municipality.choices = everything + municipality_choices(municipalities)
        pairs = [(a, b) for i, a in enumerate(municipalities) for b in municipalities[i + 1:]]
        self.pair.choices = everything + [(f"{min(a.id, b.id)}-{max(a.id, b.id)}",
                                           _l("%(first)s and %(second)s", first=a.name, second=b.name))
                                          for a, b in pairs]
        self.theme.choices = everything + [(str(t.id), t.name(locale)) for t in themes]
        self.status.choices = everything + status_choices()
        self.project.choices = everything + [(str(p.id), p.plain("title", locale)) for p in projects]

    def value(self, name: str) -> str | None:
        field = self[name]
        allowed = {str(v) for v, _label in field.choices}
        return field.data if field.data and str(field.data) in allowed else None


class LessonsSearchForm(Form):
    q = SearchField(_l("Search the lessons learned"), validators=[max_length(200)],
                    description=_l("Finds words in every language version."))
    theme = ChoiceField(_l("Theme"))

    def __init__(self, formdata, themes, locale: str):
        super().__init__(formdata)
        self.theme.choices = [("", _l("All"))] + [(str(t.id), t.name(locale)) for t in themes]


def allowed_currencies(municipalities) -> list[str]:
    """The network's currencies (each municipality's own), in a stable order."""
    return sorted({m.currency for m in municipalities}) or [current_app.config.get("DEFAULT_CURRENCY", "EUR")]
