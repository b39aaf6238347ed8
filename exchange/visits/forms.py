"""Visit forms. Labels and messages are lazy-translated; choices are filled in ``__init__`` from scoped
queries (never at import). The fields come from ``exchange.forms`` (our own messages; ids parsed by the
shared rules). Each form fills itself from its object with ``data_of(obj)`` (also the saved version a
conflict shows) and turns into service input with ``to_input()``.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from exchange import rules
from exchange.db import Len
from exchange.forms import (AmountField, ChoiceField, ConfirmForm, FilterForm, LocalDateField, LocalTimeField,
                            MultiCheckboxField, VersionField, max_length, one_of, required, text_validators)
from exchange.i18n.formatting import collate
from exchange.i18n.locale import language_choices
from exchange.municipalities import queries as municipality_queries
from exchange.visits import queries, services
from exchange.visits.display import pair_label
from exchange.visits.models import COST_CATEGORY_LABELS, COST_MAX, STATUS_LABELS


def status_choices():
    return [(status.value, label) for status, label in STATUS_LABELS.items()]


def municipality_choices(municipalities):
    return [(str(m.id), m.name) for m in collate(municipalities, key=lambda m: m.name)]


def _visit_municipalities(visit) -> list:
    """The host and the visitors: who may take part in or pay for something of the visit."""
    return collate([visit.host, *visit.visitors], key=lambda m: m.name)


# --- the visit -------------------------------------------------------------------------------

class VisitForm(FlaskForm):
    host_id = ChoiceField(_l("Host municipality"), validators=[required(), one_of])
    visiting_ids = MultiCheckboxField(_l("Visiting municipalities"), validators=[
        DataRequired(message=_l("Choose at least one visiting municipality.")), one_of])
    start_date = LocalDateField(_l("First day"), validators=[required()])
    start_time = LocalTimeField(_l("Start time (optional)"), validators=[Optional()],
                                description=_l("Local time of the host municipality. Leave empty for a whole day."))
    end_date = LocalDateField(_l("Last day"), validators=[required()])
    end_time = LocalTimeField(_l("End time (optional)"), validators=[Optional()])
    status = ChoiceField(_l("Status"), validators=[required(), one_of])
    purpose_locale = ChoiceField(_l("Language of the purpose"), validators=[required(), one_of],
                                 description=_l("The language you write the purpose in. Translations can be "
                                                "added later."))
    purpose = TextAreaField(_l("Purpose"), validators=text_validators(Len.TEXT, is_required=True))
    theme_ids = MultiCheckboxField(_l("Themes"), validators=[one_of])
    project_ids = MultiCheckboxField(_l("Linked joint development projects"), validators=[one_of])
    version = VersionField()

    def __init__(self, municipalities, themes, projects, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.host_id.choices = [("", _l("Choose…"))] + municipality_choices(municipalities)
        self.visiting_ids.choices = municipality_choices(municipalities)
        self.status.choices = status_choices()
        self.purpose_locale.choices = language_choices()
        self.theme_ids.choices = [(str(t.id), t.name(locale)) for t in themes]
        self.project_ids.choices = collate([(str(p.id), p.plain("title", locale)) for p in projects],
                                           key=lambda choice: choice[1])

    @staticmethod
    def data_of(visit, locale: str | None = None) -> dict:
        """The saved visit as form data. Linked projects the reader cannot see are left out (they are
        not offered, and the service keeps their links)."""
        purpose = visit.source_row("purpose")
        return {"host_id": str(visit.host_municipality_id),
                "visiting_ids": [str(i) for i in sorted(visit.visiting_ids)],
                "start_date": visit.start_date, "start_time": visit.start_time, "end_date": visit.end_date,
                "end_time": visit.end_time, "status": visit.status,
                "purpose_locale": purpose.locale if purpose else locale, "purpose": purpose.text if purpose else "",
                "theme_ids": [str(link.theme_id) for link in visit.theme_links],
                "project_ids": [str(p.id) for p in visit.projects], "version": str(visit.version)}

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

    def to_input(self) -> services.VisitData:
        return services.VisitData(
            host_id=self.host_id.id_value, visiting_ids=set(self.visiting_ids.ids),
            start_date=self.start_date.data, end_date=self.end_date.data, start_time=self.start_time.data,
            end_time=self.end_time.data, status=self.status.data, purpose=self.purpose.data,
            purpose_locale=self.purpose_locale.data, theme_ids=set(self.theme_ids.ids),
            project_ids=set(self.project_ids.ids))


class LessonsForm(FlaskForm):
    language = ChoiceField(_l("Language of the lessons learned"), validators=[required(), one_of])
    lessons = TextAreaField(_l("Lessons learned"), validators=text_validators(Len.LONG_TEXT),
                            description=_l("What did we learn, and what would we do differently?"))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()

    @staticmethod
    def data_of(visit, locale: str | None = None) -> dict:
        row = visit.source_row("lessons")
        return {"language": row.locale if row else locale, "lessons": row.text if row else "",
                "version": str(visit.version)}

    def to_input(self) -> dict:
        return {"text": self.lessons.data, "locale": self.language.data}


# --- the children of a visit -------------------------------------------------------------------

class _ChildForm(FlaskForm):
    """A form of a visit's child. Several share the visit's page: a prefix keeps their names and ids
    apart. ``shown()`` names the fields the page shows, in order; the edit page adds the version the
    form was opened with (``saved(child)`` is the child as form data, version included)."""

    PREFIX = ""
    version = VersionField()

    def __init__(self, visit, *args, **kwargs):
        super().__init__(*args, prefix=self.PREFIX, **kwargs)

    def shown(self) -> list[str]:
        return [name for name in self._fields if name not in ("csrf_token", "version")]

    @classmethod
    def saved(cls, child) -> dict:
        return {**cls.data_of(child), "version": str(child.version)}


class AgendaItemForm(_ChildForm):
    PREFIX = "agenda"
    day = LocalDateField(_l("Day"), validators=[required()])
    start_time = LocalTimeField(_l("From (optional)"), validators=[Optional()])
    end_time = LocalTimeField(_l("To (optional)"), validators=[Optional()])
    title = StringField(_l("What"), validators=text_validators(Len.TITLE, is_required=True))
    location = StringField(_l("Where (optional)"), validators=text_validators(Len.TITLE))

    @staticmethod
    def data_of(item) -> dict:
        return {"day": item.day, "start_time": item.start_time, "end_time": item.end_time, "title": item.title,
                "location": item.location}

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data < self.start_time.data:
            raise ValidationError(_l("The item cannot end before it starts."))

    def to_input(self) -> dict:
        return {"day": self.day.data, "title": self.title.data, "location": self.location.data,
                "start_time": self.start_time.data, "end_time": self.end_time.data, "lang": str(get_locale())}


class ParticipantForm(_ChildForm):
    PREFIX = "participant"
    name = StringField(_l("Name"), validators=text_validators(Len.NAME, is_required=True))
    organisation = StringField(_l("Organisation or department"), validators=text_validators(Len.TITLE))
    role = StringField(_l("Role in the visit (optional)"), validators=text_validators(Len.NAME))
    municipality_id = ChoiceField(_l("Municipality"), validators=[required(), one_of])

    def __init__(self, visit, *args, **kwargs):
        super().__init__(visit, *args, **kwargs)
        self.municipality_id.choices = municipality_choices(_visit_municipalities(visit))

    @staticmethod
    def data_of(person) -> dict:
        return {"name": person.name or "", "organisation": person.organisation, "role": person.role,
                "municipality_id": str(person.municipality_id)}

    def to_input(self) -> dict:
        return {"municipality_id": self.municipality_id.id_value, "name": self.name.data,
                "organisation": self.organisation.data, "role": self.role.data, "lang": str(get_locale())}


def funding_line_choices(projects, locale: str) -> list[tuple[str, str]]:
    """The funding lines a cost may be paid from, each named by its project, municipality, source and
    amount (and its note: the partner organisation), so two lines never read alike; lines that still
    would are told apart by their number in the project's plan."""
    from exchange.i18n.formatting import money
    rows = []
    for project in projects:
        for number, line in enumerate(project.funding_lines, start=1):
            label = str(_l("%(project)s: %(municipality)s, %(source)s, %(amount)s", project=project.plain("title", locale),
                           municipality=line.municipality.name, source=line.source_enum.label,
                           amount=money(line.amount, line.currency)))
            if line.note:
                label = f"{label} ({line.note})"
            rows.append((line, number, label))
    counts: dict[str, int] = {}
    for _line, _number, label in rows:
        counts[label] = counts.get(label, 0) + 1
    return [(str(line.id), label if counts[label] == 1 else str(_l("%(label)s, line %(number)d", label=label,
                                                                         number=number)))
            for line, number, label in rows]


class CostForm(_ChildForm):
    PREFIX = "cost"
    category = ChoiceField(_l("Category"), validators=[required(), one_of])
    amount = AmountField(_l("Amount"), maximum=COST_MAX, is_required=True)
    currency = ChoiceField(_l("Currency"), validators=[required(), one_of])
    municipality_id = ChoiceField(_l("Paid by"), validators=[required(), one_of])
    funding_line_id = ChoiceField(_l("Paid from a project funding line (optional)"), validators=[one_of])
    note = StringField(_l("Note (optional)"), validators=text_validators(Len.TITLE))

    def __init__(self, visit, *args, **kwargs):
        super().__init__(visit, *args, **kwargs)
        self.category.choices = [(c.value, label) for c, label in COST_CATEGORY_LABELS.items()]
        self.currency.choices = [(c, c) for c in allowed_currencies(municipality_queries.currencies())]
        self.municipality_id.choices = municipality_choices(_visit_municipalities(visit))
        self.funding_line_id.choices = [("", _l("None"))] + funding_line_choices(visit.projects, str(get_locale()))

    @staticmethod
    def data_of(cost) -> dict:
        return {"category": cost.category, "amount": cost.amount, "currency": cost.currency,
                "municipality_id": str(cost.municipality_id), "funding_line_id": str(cost.funding_line_id or ""),
                "note": cost.note}

    def shown(self) -> list[str]:
        """The funding line field only when the visit's projects have funding lines."""
        lines = len(self.funding_line_id.choices) > 1 or bool(self.funding_line_id.errors)
        return [name for name in super().shown() if lines or name != "funding_line_id"]

    def to_input(self) -> dict:
        return {"municipality_id": self.municipality_id.id_value, "category": self.category.data,
                "amount": self.amount.parsed, "currency": self.currency.data, "note": self.note.data,
                "funding_line_id": self.funding_line_id.id_value, "lang": str(get_locale())}


class FollowUpForm(_ChildForm):
    PREFIX = "follow_up"
    action = TextAreaField(_l("Follow-up action"), validators=text_validators(Len.ACTION, is_required=True))
    owner_account = ChoiceField(_l("Owner (optional)"), validators=[Optional(), one_of],
                                description=_l("A person with an account is reminded before the due date."))
    owner = StringField(_l("Or the name of someone without an account (optional)"),
                        validators=text_validators(Len.NAME))
    due_date = LocalDateField(_l("Due date (optional)"), validators=[Optional()])

    def __init__(self, visit, *args, **kwargs):
        from exchange.auth.queries import active_accounts
        super().__init__(visit, *args, **kwargs)
        choices = [("", _l("Nobody with an account"))] + [(str(u.id), u.name) for u in active_accounts()]
        # An owner of the other municipality stays a choice (shown by the name the page already shows),
        # so a co-editor's unchanged save never drops what they cannot see.
        offered = {value for value, _label in choices}
        for item in visit.follow_ups:
            if item.owner_user_id and str(item.owner_user_id) not in offered:
                choices.append((str(item.owner_user_id), item.owner))
                offered.add(str(item.owner_user_id))
        self.owner_account.choices = choices

    @staticmethod
    def data_of(item) -> dict:
        return {"action": item.action, "owner_account": str(item.owner_user_id or ""),
                "owner": "" if item.owner_user_id else item.owner, "due_date": item.due_date}

    def to_input(self) -> dict:
        return {"action": self.action.data, "owner": self.owner.data,
                "owner_user_id": self.owner_account.id_value, "due_date": self.due_date.data,
                "lang": str(get_locale())}


# --- personal data and settings ----------------------------------------------------------------

class YearsField(StringField):
    """A whole number of years, read strictly (ASCII digits only); anything else is None, which the
    range check refuses with our own message."""

    @property
    def years(self) -> int | None:
        return rules.parse_id(self.data)


class RetentionForm(FlaskForm):
    retention_years = YearsField(_l("Keep participants' names for (years after the visit)"),
                                 validators=[max_length(10)],
                                 description=_l("After this period the names are replaced by "
                                                "\"anonymised participant\"; counts and organisations stay."))
    version = VersionField()

    @staticmethod
    def data_of(settings) -> dict:
        return {"retention_years": settings.retention_years, "version": str(rules.version_of(settings))}

    def validate_retention_years(self, field):
        low, high = services.RETENTION_RANGE
        if field.years is None or not low <= field.years <= high:
            raise ValidationError(_l("Enter a whole number of years from %(low)d to %(high)d.", low=low, high=high))


class FeedForm(ConfirmForm):
    """The calendar subscription page's two buttons: create a new address, or revoke it."""

    action = ChoiceField(validators=[required(), one_of])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [("create", "create"), ("revoke", "revoke")]


# --- filters (GET, no CSRF) ------------------------------------------------------------------

class VisitFilterForm(FilterForm):
    """The list's filters. Unknown or blank values are ignored rather than refused: a filter link from
    an old bookmark should still show a page."""

    year = ChoiceField(_l("Year"))
    municipality = ChoiceField(_l("Municipality"))
    pair = ChoiceField(_l("Between"))
    theme = ChoiceField(_l("Theme"))
    status = ChoiceField(_l("Status"))
    project = ChoiceField(_l("Linked project"))
    # visits under way on a day from ``since`` to ``until``, both included: a day or a month of the
    # calendar ("+N more" and "All visits in …" link here)
    since = LocalDateField(lazy_pgettext("date range", "From"))
    until = LocalDateField(lazy_pgettext("date range", "Until"))

    def __init__(self, formdata, years, municipalities, themes, projects, locale: str, own_id: int | None = None):
        super().__init__(formdata)
        self.year.choices = [("", lazy_pgettext("any year", "All"))] + [(str(y), str(y)) for y in years]
        # ``municipalities`` come in the reader's alphabet (municipalities.queries.filter_choices): the reader's own,
        # its twin towns and the ones a filter link names, not the whole network (issue 12).
        ordered = list(municipalities)
        self.municipality.choices = [("", lazy_pgettext("any municipality", "All"))] + [
            (str(m.id), m.name) for m in ordered]
        # The reader's own municipality with each other one: every pair of the network would be M² choices
        # (half a million options for a thousand towns, issue 12).
        own = next((m for m in ordered if m.id == own_id), None)
        pairs = [(own, m) for m in ordered if m.id != own_id] if own is not None else []
        self.pair.choices = [("", lazy_pgettext("any pair of municipalities", "All"))] + [
            (f"{min(a.id, b.id)}-{max(a.id, b.id)}", pair_label(a, b))
            for a, b in pairs]
        self.theme.choices = [("", lazy_pgettext("any theme", "All"))] + [(str(t.id), t.name(locale)) for t in themes]
        self.status.choices = [("", lazy_pgettext("any status", "All"))] + status_choices()
        self.project.choices = [("", lazy_pgettext("any linked project", "All"))] + collate(
            [(str(project_id), title) for project_id, title in projects], key=lambda choice: choice[1])

    def to_filters(self) -> queries.VisitFilters:
        first, _sep, second = (self.value("pair") or "").partition("-")
        pair = (rules.parse_id(first), rules.parse_id(second))
        return queries.VisitFilters(year=self.id_value("year"), municipality_id=self.id_value("municipality"),
                            pair=pair if all(pair) else None, theme_id=self.id_value("theme"),
                            status=self.value("status"), project_id=self.id_value("project"),
                            since=self._day(self.since), until=self._day(self.until))

    @staticmethod
    def _day(field) -> dt.date | None:
        """The date of a date filter, or None when blank, malformed or outside the accepted years (a
        filter ignores what it cannot read)."""
        day = field.data
        return day if day is not None and rules.MIN_YEAR <= day.year <= rules.MAX_YEAR else None


class LessonsSearchForm(FilterForm):
    q = SearchField(_l("Search the lessons learned"),  # read through search_term(): bounded, no control characters
                    description=_l("Finds words in every language version."))
    theme = ChoiceField(_l("Theme"))

    def __init__(self, formdata, themes, locale: str):
        super().__init__(formdata)
        self.theme.choices = [("", lazy_pgettext("any theme", "All"))] + [(str(t.id), t.name(locale)) for t in themes]


def allowed_currencies(currencies: list[str]) -> list[str]:
    """The network's currencies (each municipality's own: ``municipalities.queries.currencies()``), in a stable order."""
    return sorted(set(currencies)) or [current_app.config.get("DEFAULT_CURRENCY", "EUR")]
