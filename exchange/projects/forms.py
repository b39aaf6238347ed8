"""Project forms. Labels and messages are lazy-translated; choices are filled in ``__init__`` from the
enums and scoped queries, never at import.

Every form is built from the shared fields (``exchange.forms``): choices are checked by ``one_of`` with
our own translated message, ids are read with ``.ids`` / ``.id_value`` and versions with
``.expected``, so no raw request value reaches ``int()``. Each form turns itself into the service's
input with ``to_input()``; an edit form fills itself from its object with ``data_of(obj)``, the same
mapping the request kit shows beside the user's input on a conflict.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, Optional, ValidationError

from exchange.db import Len
from exchange.forms import (AmountField, ChoiceField, FilterForm, LocalDateField, LongSelect, MultiCheckboxField,
                            VersionField, max_length, no_control_characters, one_of, required, search_term,
                            text_validators)
from exchange.i18n.formatting import language_name
from exchange.municipalities.queries import by_ids
from exchange.projects.models import TRANSITIONS, Dimension, FundingSource, PriorityArea, Project, ProjectStatus
from exchange.projects.queries import ProjectFilters
from exchange.projects.services import TEXT_LIMITS, ProjectInput
from exchange.rules import MAX_HOURS


def _choice(label, **kwargs) -> ChoiceField:
    """A required choice among the offered options."""
    return ChoiceField(label, validators=[required(), one_of], **kwargs)


def _filter(label) -> ChoiceField:
    """A list filter: blank means all, an unknown value is shown as an error and ignored."""
    return ChoiceField(label, validators=[Optional(), one_of])


def _version() -> VersionField:
    """The version the form was opened with. Missing: an unversioned save; present but not a plain number
    (``²``, ``1²``, 5 000 digits: a tampered form): refused with our message, never ``int()``-ed."""

    def well_formed(form, field) -> None:
        if str(field.data or "").strip() and field.expected is None:
            raise ValidationError(_l("This could not be saved. Check your input and try again."))

    return VersionField(validators=[well_formed])


def _reader_locale() -> str:
    return str(get_locale())


def language_choices_named() -> list[tuple[str, str]]:
    """(code, name in the viewer's language) for the configured content languages."""
    return [(code, language_name(code).capitalize()) for code in current_app.config["LANGUAGES"]]


# --- the project form ----------------------------------------------------------------------------

class ProjectForm(FlaskForm):
    """The project itself. The title/summary/description fields exist once per configured language
    (``title_sv``, ``title_de``, …; added by ``project_form_class``), so a new language needs no code:
    the author's language is the source, the others are optional translations."""

    version = _version()
    locale = _choice(_l("Language you write in"),
                     description=_l("The title in this language is required. You may add the other "
                                    "languages now or later."))
    priority_areas = MultiCheckboxField(_l("Priority areas"), validators=[
        required(_l("Choose at least one priority area.")), one_of])
    themes = MultiCheckboxField(_l("Themes"), validators=[one_of])
    rationale_ecological = TextAreaField(_l("Ecological sustainability"), validators=text_validators(Len.SUMMARY),
                                         description=_l("How the project serves it, in a few sentences. "
                                                        "Leave empty if it does not apply."))
    rationale_social = TextAreaField(_l("Social sustainability"), validators=text_validators(Len.SUMMARY))
    rationale_economic = TextAreaField(_l("Economic sustainability"), validators=text_validators(Len.SUMMARY))
    start_date = LocalDateField(_l("Start date"), validators=[Optional()])
    end_date = LocalDateField(_l("End date"), validators=[Optional()])

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

    @staticmethod
    def data_of(project: Project) -> dict:
        """The saved project as form data: fills the edit form, and is shown beside the user's input
        on a conflict."""
        data = {"version": project.version, "locale": project.source_locale() or _reader_locale(),
                "priority_areas": [a.value for a in project.priority_areas],
                "themes": [str(link.theme_id) for link in project.theme_links],
                "start_date": project.start_date, "end_date": project.end_date}
        data.update({f"rationale_{d.value}": "" for d in Dimension})
        data.update({f"rationale_{row.dimension}": row.rationale for row in project.sustainability})
        data.update({f"{name}_{code}": "" for name in Project.TRANSLATABLE_FIELDS
                     for code in current_app.config["LANGUAGES"]})
        data.update({f"{row.field}_{row.locale}": row.text for row in project.texts})
        return data

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            locale=self.locale.data,
            texts={code: {name: self.text_field(name, code).data or "" for name in Project.TRANSLATABLE_FIELDS}
                   for code in self.languages},
            priority_areas=list(self.priority_areas.data),
            sustainability={d.value: self[f"rationale_{d.value}"].data or "" for d in Dimension},
            theme_ids=self.themes.ids,
            start_date=self.start_date.data, end_date=self.end_date.data)


def project_form_class() -> type[ProjectForm]:
    """The project form with text fields for each configured language."""
    languages = tuple(current_app.config["LANGUAGES"])
    cached = _FORM_CLASSES.get(languages)
    if cached:
        return cached
    attrs = {}
    for code in languages:
        attrs[f"title_{code}"] = StringField(_l("Title"), validators=text_validators(TEXT_LIMITS["title"]),
                                             render_kw={"lang": code})
        attrs[f"summary_{code}"] = TextAreaField(_l("Summary"), validators=text_validators(TEXT_LIMITS["summary"]),
                                                 render_kw={"lang": code, "rows": 3},
                                                 description=_l("Two or three sentences for the list of projects."))
        attrs[f"description_{code}"] = TextAreaField(_l("Description"),
                                                     validators=text_validators(TEXT_LIMITS["description"]),
                                                     render_kw={"lang": code, "rows": 8})
    cls = type("LocalisedProjectForm", (ProjectForm,), attrs)
    _FORM_CLASSES[languages] = cls
    return cls


_FORM_CLASSES: dict[tuple[str, ...], type[ProjectForm]] = {}


# --- lifecycle and joining -------------------------------------------------------------------------

class StatusForm(FlaskForm):
    version = _version()
    status = _choice(_l("New status"))
    reason = TextAreaField(_l("Reason"), validators=text_validators(Len.MESSAGE),
                           description=_l("Required when the project is withdrawn; shown in the history."))

    def __init__(self, *args, current: ProjectStatus, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, s.label) for s in TRANSITIONS[current]]

    def validate_reason(self, field) -> None:
        if self.status.data == ProjectStatus.WITHDRAWN.value and not (field.data or "").strip():
            raise ValidationError(_l("Say why the project is withdrawn."))

    def to_input(self) -> dict:
        return {"target": ProjectStatus(self.status.data), "reason": self.reason.data or "",
                "expected_version": self.version.expected}


class InviteForm(FlaskForm):
    municipality = _choice(_l("Municipality to invite"), widget=LongSelect())
    message = TextAreaField(_l("Message (optional)"), validators=text_validators(Len.MESSAGE))

    def __init__(self, *args, municipalities=(), **kwargs):
        """``municipalities``: the invitable ones, (id, name) rows or Municipality objects."""
        super().__init__(*args, **kwargs)
        self.municipality.choices = [(str(m.id), m.name) for m in municipalities]

    def to_input(self) -> dict:
        # the chosen one only is loaded (the choices are plain rows): validation checked it was offered
        chosen = by_ids([self.municipality.id_value])[self.municipality.id_value]
        return {"municipality": chosen, "message": self.message.data or ""}


class JoinForm(FlaskForm):
    message = TextAreaField(_l("What your municipality would contribute (optional)"),
                            validators=text_validators(Len.MESSAGE))

    def to_input(self) -> dict:
        return {"message": self.message.data or ""}


class DecisionForm(FlaskForm):
    """Accept or decline: two submit buttons named ``decision``."""

    version = _version()
    decision = _choice(_l("Decision"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("accept", _l("Accept")), ("decline", _l("Decline"))]

    def to_input(self) -> dict:
        return {"accept": self.decision.data == "accept", "expected_version": self.version.expected}


class ContributionForm(FlaskForm):
    version = _version()
    locale = _choice(_l("Language you write in"))
    contribution = TextAreaField(_l("Your municipality's contribution"), validators=text_validators(Len.LONG_TEXT),
                                 render_kw={"rows": 8},
                                 description=_l("What your municipality brings to the project and does in it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices_named()

    @staticmethod
    def data_of(participation) -> dict:
        """The saved contribution: the original text, in its own language (translations are kept and
        marked outdated when it changes)."""
        source = participation.source_row("contribution")
        return {"version": participation.version, "locale": source.locale if source else _reader_locale(),
                "contribution": source.text if source else ""}

    def to_input(self) -> dict:
        return {"text": self.contribution.data or "", "locale": self.locale.data,
                "expected_version": self.version.expected}


# --- funding, contacts, milestones, comments -------------------------------------------------------

class FundingLineForm(FlaskForm):
    source = _choice(_l("Source"))
    amount = AmountField(_l("Amount"),
                         description=_l("For voluntary work, leave empty and give hours and an hourly value."))
    currency = _choice(_l("Currency"))
    hours = AmountField(_l("Hours of voluntary work"), maximum=MAX_HOURS)
    hourly_value = AmountField(_l("Value of one hour"))
    note = StringField(_l("Note (optional)"), validators=text_validators(Len.TITLE))

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [(s.value, s.label) for s in FundingSource]
        self.currency.choices = [(c, c) for c in currencies]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        voluntary = self.source.data == FundingSource.VOLUNTARY_WORK.value
        needed = (self.hours, self.hourly_value) if voluntary else (self.amount,)
        for f in needed:
            if not f.errors and f.parsed is None:
                f.errors.append(_l("This field is required."))
                ok = False
        return ok

    def to_input(self) -> dict:
        return {"source": self.source.data, "currency": self.currency.data, "amount": self.amount.parsed,
                "hours": self.hours.parsed, "hourly_value": self.hourly_value.parsed, "note": self.note.data or ""}


class ContactForm(FlaskForm):
    # Someone else's details: the browser should not offer the user's own name, address or number.
    name = StringField(_l("Name"), validators=text_validators(Len.NAME, is_required=True),
                       render_kw={"autocomplete": "off"})
    role = StringField(_l("Role or title (optional)"), validators=text_validators(Len.NAME))
    email = EmailField(_l("E-mail address (optional)"), validators=text_validators(Len.EMAIL) + [
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)],
                       render_kw={"autocomplete": "off"})
    phone = StringField(_l("Telephone (optional)"), validators=text_validators(Len.PHONE),
                        render_kw={"autocomplete": "off"})

    def to_input(self) -> dict:
        return {"name": self.name.data, "role": self.role.data or "", "email": self.email.data or "",
                "phone": self.phone.data or ""}


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=text_validators(Len.TITLE, is_required=True))
    due_date = LocalDateField(_l("Due date"), validators=[required()])

    def to_input(self) -> dict:
        return {"title": self.title.data, "due_date": self.due_date.data}


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=text_validators(Len.TEXT, is_required=True),
                         render_kw={"rows": 4}, description=_l("Plain text. Everyone who can see the project "
                                                               "can read it."))

    def to_input(self) -> dict:
        return {"body": self.body.data}


# --- the list's filters (GET, no CSRF) -------------------------------------------------------------

class ProjectFilterForm(FilterForm):
    q = StringField(lazy_pgettext("search field", "Search"), validators=[Optional(), max_length(Len.SEARCH), no_control_characters],
                    description=_l("Words from the title, summary or description, in any language."))
    status = _filter(_l("Status"))
    municipality = _filter(_l("Municipality (lead or participant)"))  # a few choices (filter_choices)
    theme = _filter(_l("Theme"))
    area = _filter(_l("Priority area"))
    source = _filter(_l("Funding source"))
    sort = _filter(_l("Sort by"))

    def __init__(self, *args, municipalities=(), themes=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", lazy_pgettext("any status", "All"))] + [(s.value, s.label) for s in statuses]
        self.municipality.choices = [("", lazy_pgettext("any municipality", "All"))] + [
            (str(m.id), m.name) for m in municipalities]
        self.theme.choices = [("", lazy_pgettext("any theme", "All"))] + list(themes)
        self.area.choices = [("", lazy_pgettext("any priority area", "All"))] + [(a.value, a.label) for a in PriorityArea]
        self.source.choices = [("", lazy_pgettext("any funding source", "All"))] + [
            (s.value, s.label) for s in FundingSource]
        self.sort.choices = [("updated", _l("Recently changed")), ("title", _l("Title")),
                             ("start", _l("Start date")), ("status", _l("Status"))]

    def to_filters(self) -> ProjectFilters:
        """The usable filters: a blank, whitespace-only or unknown value is no filter at all, and the search
        term loses its control characters before it reaches the database."""
        return ProjectFilters(
            q=search_term(self.q.data), status=self.value("status") or "",
            municipality_id=self.id_value("municipality"), theme_id=self.id_value("theme"),
            area=self.value("area") or "", source=self.value("source") or "",
            sort=self.value("sort") or "updated")
