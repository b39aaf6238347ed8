"""Project forms. Labels and messages are lazy-translated; choices are filled in ``__init__`` from the
enums and scoped queries, never at import.

Choice fields keep their values as strings and check them with our own translated message (WTForms'
built-in "not a valid choice" is neither ours nor translated into our catalogs).
"""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Optional, StopValidation, ValidationError

from exchange.auth.forms import MultiCheckboxField
from exchange.forms import max_length, no_control_characters
from exchange.rules import parse_amount
from exchange.i18n.formatting import language_name
from exchange.projects.models import TRANSITIONS, FundingSource, PriorityArea, ProjectStatus
from exchange.projects.services import LIMITS, MAX_AMOUNT, MAX_HOURS


def _required():
    return InputRequired(message=_l("This field is required."))


def _text_validators(limit_key: str, required: bool = False) -> list:
    return ([_required()] if required else [Optional()]) + [max_length(LIMITS[limit_key]), no_control_characters]


def in_choices(form, field) -> None:
    """The submitted value(s) must be among the offered choices (an unknown id, a tampered form)."""
    offered = {str(value) for value, _label in field.choices or []}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(str(v) not in offered for v in values if v not in (None, "")):
        raise ValidationError(_l("Choose one of the offered options."))


def _date(label, description=None):
    return DateField(label, validators=[Optional()], description=description,
                     invalid_value_message=_l("Enter a date such as 2025-03-31."))


def amount_field(label, maximum: Decimal = MAX_AMOUNT, required: bool = True, description=None):
    """A money or hours amount typed in the reader's own number format (1 234,50 or 1.234,50 or 1234.50)."""

    def parse(form, field) -> None:
        raw = (field.data or "").strip()
        if not raw:
            field.parsed = None
            if required:
                raise StopValidation(_l("This field is required."))
            return
        field.parsed = parse_amount(raw)
        if field.parsed is None:
            raise ValidationError(_l("Enter a number, such as 1250.50."))
        if field.parsed < 0:
            raise ValidationError(_l("Enter zero or a positive amount."))
        if field.parsed > maximum:
            raise ValidationError(_l("This amount is too large."))

    return StringField(label, validators=[max_length(30), no_control_characters, parse], description=description,
                       render_kw={"inputmode": "decimal"})


def language_choices_named() -> list[tuple[str, str]]:
    """(code, name in the viewer's language) for the configured content languages."""
    return [(code, language_name(code).capitalize()) for code in current_app.config["LANGUAGES"]]


# --- the project form ----------------------------------------------------------------------------

class ProjectForm(FlaskForm):
    """The project itself. The title/summary/description fields exist once per configured language
    (``title_sv``, ``title_de``, …; added in ``__init_subclass__`` by ``project_form``), so a new
    language needs no code: the author's language is the source, the others are optional translations."""

    version = HiddenField()
    locale = SelectField(_l("Language you write in"), validate_choice=False, validators=[_required(), in_choices],
                         description=_l("The title in this language is required. You may add the other "
                                        "languages now or later."))
    priority_areas = MultiCheckboxField(_l("Priority areas"), validate_choice=False, validators=[
        InputRequired(message=_l("Choose at least one priority area.")), in_choices])
    themes = MultiCheckboxField(_l("Themes"), validate_choice=False, validators=[in_choices])
    rationale_ecological = TextAreaField(_l("Ecological sustainability"), validators=_text_validators("rationale"),
                                         description=_l("How the project serves it, in a few sentences. "
                                                        "Leave empty if it does not apply."))
    rationale_social = TextAreaField(_l("Social sustainability"), validators=_text_validators("rationale"))
    rationale_economic = TextAreaField(_l("Economic sustainability"), validators=_text_validators("rationale"))
    start_date = _date(_l("Start date"))
    end_date = _date(_l("End date"))

    def __init__(self, *args, themes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices_named()
        self.priority_areas.choices = [(a.value, a.label) for a in PriorityArea]
        self.themes.choices = list(themes)

    @property
    def languages(self) -> list[str]:
        return [code for code, _name in self.locale.choices]

    def text_field(self, name: str, locale: str):
        return self[f"{name}_{locale}"]

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # The title is required in the language the author writes in (the source).
        if self.locale.data in self.languages:
            title = self.text_field("title", self.locale.data)
            if not (title.data or "").strip() and not title.errors:
                title.errors.append(_l("Write the title in the language you chose to write in."))
                ok = False
        return ok


def project_form_class() -> type[ProjectForm]:
    """The project form with text fields for each configured language."""
    languages = tuple(current_app.config["LANGUAGES"])
    cached = _FORM_CLASSES.get(languages)
    if cached:
        return cached
    attrs = {}
    for code in languages:
        attrs[f"title_{code}"] = StringField(_l("Title"), validators=_text_validators("title"),
                                             render_kw={"lang": code})
        attrs[f"summary_{code}"] = TextAreaField(_l("Summary"), validators=_text_validators("summary"),
                                                 render_kw={"lang": code, "rows": 3},
                                                 description=_l("Two or three sentences for the list of projects."))
        attrs[f"description_{code}"] = TextAreaField(_l("Description"), validators=_text_validators("description"),
                                                     render_kw={"lang": code, "rows": 8})
    cls = type("LocalisedProjectForm", (ProjectForm,), attrs)
    _FORM_CLASSES[languages] = cls
    return cls


_FORM_CLASSES: dict[tuple[str, ...], type[ProjectForm]] = {}


# --- lifecycle and joining -------------------------------------------------------------------------

class StatusForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("New status"), validate_choice=False, validators=[_required(), in_choices])
    reason = TextAreaField(_l("Reason"), validators=_text_validators("reason"),
                           description=_l("Required when the project is withdrawn; shown in the history."))

    def __init__(self, *args, current: ProjectStatus, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, s.label) for s in TRANSITIONS[current]]

    def validate_reason(self, field) -> None:
        if self.status.data == ProjectStatus.WITHDRAWN.value and not (field.data or "").strip():
            raise ValidationError(_l("Say why the project is withdrawn."))


class InviteForm(FlaskForm):
    municipality = SelectField(_l("Municipality to invite"), validate_choice=False,
                               validators=[_required(), in_choices])
    message = TextAreaField(_l("Message (optional)"), validators=_text_validators("message"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality.choices = [(str(m.id), m.name) for m in municipalities]


class JoinForm(FlaskForm):
    message = TextAreaField(_l("What your municipality would contribute (optional)"),
                            validators=_text_validators("message"))


class DecisionForm(FlaskForm):
    """Accept or decline: two submit buttons named ``decision``."""

    version = HiddenField()
    decision = SelectField(_l("Decision"), validate_choice=False, validators=[_required(), in_choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("accept", _l("Accept")), ("decline", _l("Decline"))]


class ContributionForm(FlaskForm):
    version = HiddenField()
    locale = SelectField(_l("Language you write in"), validate_choice=False, validators=[_required(), in_choices])
    contribution = TextAreaField(_l("Your municipality's contribution"), validators=_text_validators("contribution"),
                                 render_kw={"rows": 8},
                                 description=_l("What your municipality brings to the project and does in it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices_named()


# --- funding, contacts, milestones, comments -------------------------------------------------------

class FundingLineForm(FlaskForm):
    source = SelectField(_l("Source"), validate_choice=False, validators=[_required(), in_choices])
    amount = amount_field(_l("Amount"), required=False,
                          description=_l("For voluntary work, leave empty and give hours and an hourly value."))
    currency = SelectField(_l("Currency"), validate_choice=False, validators=[_required(), in_choices])
    hours = amount_field(_l("Hours of voluntary work"), maximum=MAX_HOURS, required=False)
    hourly_value = amount_field(_l("Value of one hour"), required=False)
    note = StringField(_l("Note (optional)"), validators=_text_validators("note"))

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [(s.value, s.label) for s in FundingSource]
        self.currency.choices = [(c, c) for c in currencies]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        voluntary = self.source.data == FundingSource.VOLUNTARY_WORK.value
        needed = (self.hours, self.hourly_value) if voluntary else (self.amount,)
        for f in needed:
            if not f.errors and getattr(f, "parsed", None) is None:
                f.errors.append(_l("This field is required."))
                ok = False
        return ok


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=_text_validators("name", required=True))
    role = StringField(_l("Role or title (optional)"), validators=_text_validators("role"))
    email = EmailField(_l("E-mail address (optional)"), validators=_text_validators("email") + [
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])
    phone = StringField(_l("Telephone (optional)"), validators=_text_validators("phone"))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=_text_validators("milestone", required=True))
    due_date = DateField(_l("Due date"), validators=[_required()],
                         invalid_value_message=_l("Enter a date such as 2025-03-31."))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=_text_validators("comment", required=True),
                         render_kw={"rows": 4}, description=_l("Plain text. Everyone who can see the project "
                                                               "can read it."))


# --- the list's filters (GET, no CSRF) -------------------------------------------------------------

class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), max_length(200), no_control_characters],
                    description=_l("Words from the title, summary or description, in any language."))
    status = SelectField(_l("Status"), validate_choice=False, validators=[Optional(), in_choices])
    municipality = SelectField(_l("Municipality (lead or participant)"), validate_choice=False,
                               validators=[Optional(), in_choices])
    theme = SelectField(_l("Theme"), validate_choice=False, validators=[Optional(), in_choices])
    area = SelectField(_l("Priority area"), validate_choice=False, validators=[Optional(), in_choices])
    source = SelectField(_l("Funding source"), validate_choice=False, validators=[Optional(), in_choices])
    sort = SelectField(_l("Sort by"), validate_choice=False, validators=[Optional(), in_choices])

    def __init__(self, *args, municipalities=(), themes=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _l("All"))
        self.status.choices = [everything] + [(s.value, s.label) for s in statuses]
        self.municipality.choices = [everything] + [(str(m.id), m.name) for m in municipalities]
        self.theme.choices = [everything] + list(themes)
        self.area.choices = [everything] + [(a.value, a.label) for a in PriorityArea]
        self.source.choices = [everything] + [(s.value, s.label) for s in FundingSource]
        self.sort.choices = [("updated", _l("Recently changed")), ("title", _l("Title")),
                             ("start", _l("Start date")), ("status", _l("Status"))]

