"""Workbench forms. Labels and messages are lazy-translated; choices are filled in ``__init__``.

Choice fields check their values with our own translated message (WTForms' built-in one is not in our
catalogs). Every text field has a length limit and refuses control characters.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from exchange.auth.forms import MultiCheckboxField
from exchange.forms import max_length, no_control_characters
from exchange.i18n.formatting import language_name
from exchange.workbench.models import MessageState
from exchange.workbench.validation import CODES

MAX_TRANSLATION = 5000
MAX_CONTENT = 20000
MAX_PO_BYTES = 2 * 1024 * 1024


def in_choices(form, field) -> None:
    """The submitted value(s) must be among the offered choices (a tampered form, a stale link)."""
    offered = {str(value) for value, _label in field.choices or []}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(str(v) not in offered for v in values if v not in (None, "")):
        raise ValidationError(_l("Choose one of the offered options."))


def check_labels() -> dict[str, object]:
    """The name of each check, for filters, badges and messages."""
    return {
        "placeholders": _l("Placeholders differ from the source"),
        "format": _l("Does not format"),
        "html": _l("HTML not in the source"),
        "plural_missing": _l("Plural form missing"),
        "control": _l("Control characters"),
        "whitespace": _l("Leading or trailing space"),
        "punctuation": _l("Punctuation at the end differs"),
        "same_as_source": _l("Same as the source"),
        "too_long": _l("Much longer than the source"),
    }


class MessageFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    state = SelectField(_l("State"), validate_choice=False, validators=[in_choices])
    check = SelectField(_l("Check"), validate_choice=False, validators=[in_choices])
    q = StringField(_l("Text (source or translation)"), validators=[Optional(), max_length(200),
                                                                     no_control_characters])
    location = StringField(_l("Used in (file or template)"), validators=[Optional(), max_length(200),
                                                                          no_control_characters],
                           description=_l("For example: templates/auth or dashboard"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [("", _l("All states"))] + [(s.value, s.label) for s in MessageState]
        labels = check_labels()
        self.check.choices = ([("", _l("All strings")), ("any", _l("Any failing check"))]
                              + [(code, labels[code]) for code in CODES])


def translation_form_class(plural_labels: list[str]):
    """A form with one text area per plural form (one for a singular message)."""

    class TranslationForm(FlaskForm):
        version = HiddenField()
        fuzzy = BooleanField(_l("Needs editing (keep it out of publication)"))
        accept_warnings = BooleanField(_l("Save anyway, despite the warnings"))

        @property
        def text_fields(self):
            return [self[f"form_{i}"] for i in range(len(plural_labels))]

    for index, label in enumerate(plural_labels):
        setattr(TranslationForm, f"form_{index}", TextAreaField(
            label, validators=[Optional(), max_length(MAX_TRANSLATION), no_control_characters]))
    return TranslationForm


class ImportForm(FlaskForm):
    file = FileField(_l("Catalog file (.po)"), description=_l("At most 2 MB. The translations become drafts: "
                                                               "review them, then publish."))

    def validate_file(self, field) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(_l("Choose a .po file."))
        data = upload.read(MAX_PO_BYTES + 1)
        if len(data) > MAX_PO_BYTES:
            raise ValidationError(_l("The file is larger than 2 MB."))
        field.content = data


class ContentTranslationForm(FlaskForm):
    text = TextAreaField(_l("Translation"), validators=[Optional(), max_length(MAX_CONTENT), no_control_characters])
    approved = BooleanField(_l("Mark as approved (checked and final)"))
    snapshot = HiddenField()  # the source text the translator saw: a newer source is a conflict


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    type = SelectField(_l("Type of content"), validate_choice=False, validators=[in_choices])
    source = SelectField(_l("From"), validate_choice=False, validators=[in_choices])
    target = SelectField(_l("Into"), validate_choice=False, validators=[in_choices])

    def __init__(self, *args, types=(), languages=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [("", _l("All types"))] + list(types)
        self.source.choices = [("", _l("Any language"))] + [(c, language_name(c)) for c in languages]
        self.target.choices = [("", _l("All my languages"))] + [(c, language_name(c)) for c in targets]


class TranslatorLocalesForm(FlaskForm):
    locales = MultiCheckboxField(_l("Languages this translator works on"), validate_choice=False,
                                 validators=[in_choices],
                                 description=_l("Choose every language for no limit."))

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locales.choices = [(c, language_name(c)) for c in languages]
