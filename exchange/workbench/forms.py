"""Workbench forms, on the shared form kit (exchange.forms). Labels are lazy-translated; choices are filled
in ``__init__``; every text field has a length limit and refuses control characters. Each form turns
into service input one way (``to_input()``) and fills itself from the object one way (``data_of()``),
the mapping a conflict shows beside the user's input.
"""
from __future__ import annotations

import io

from babel.messages.pofile import PoFileError, read_po
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from exchange.db import Len
from exchange.forms import (ChoiceField, FilterForm, MultiCheckboxField, VersionField, one_of, search_term,
                            text_validators)
from exchange.i18n.catalog import validation
from exchange.i18n.catalog.models import CatalogMessage, MessageState
from exchange.i18n.catalog.services import fit, forms_of, problems_of
from exchange.i18n.formatting import language_name
from exchange.rules import version_of
from exchange.workbench.display import CHECK_LABELS, plural_labels, problem_message

MAX_PO_BYTES = 2 * 1024 * 1024


class MessageFilterForm(FilterForm):
    """The string list's filters (GET). An invalid value is ignored and the page answers 422."""

    state = ChoiceField(_l("State"), validators=[one_of])
    check = ChoiceField(_l("Check"), validators=[one_of])
    q = StringField(_l("Text (source or translation)"), validators=text_validators(Len.SEARCH))
    location = StringField(_l("Used in (file or template)"), validators=text_validators(Len.SEARCH),
                           description=_l("For example: templates/auth or dashboard"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [("", _l("All states"))] + [(s.value, s.label) for s in MessageState]
        self.check.choices = ([("", _l("All strings")), ("any", _l("Any failing check")),
                               ("shipped", _l("Changed in the shipped file (differs from the workbench)"))]
                              + [(code, CHECK_LABELS[code]) for code in validation.CODES])

    def filters(self) -> dict[str, str]:
        return {"state": self.value("state") or "", "check": self.value("check") or "",
                "q": "" if self.q.errors else search_term(self.q.data),
                "location": "" if self.location.errors else search_term(self.location.data)}


class QueueFilterForm(FilterForm):
    """The content queue's filters (GET)."""

    type = ChoiceField(_l("Type of content"), validators=[one_of])
    source = ChoiceField(lazy_pgettext("source language", "From"), validators=[one_of])
    target = ChoiceField(lazy_pgettext("target language", "Into"), validators=[one_of])

    def __init__(self, *args, types=(), languages=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [("", _l("All types"))] + list(types)
        self.source.choices = [("", _l("Any language"))] + [(c, language_name(c)) for c in languages]
        self.target.choices = [("", _l("All my languages"))] + [(c, language_name(c)) for c in targets]

    def filters(self) -> dict[str, str]:
        return {name: self.value(name) or "" for name in ("type", "source", "target")}


def translation_form_class(message: CatalogMessage):
    """The editor's form for ``message``: one text area per plural form (one for a singular message).

    Validating it runs the checks every translation passes: a finding is shown beside its plural form,
    and warnings stop the save until the translator ticks "save anyway" (``warnings`` lists them).
    """

    class TranslationForm(FlaskForm):
        version = VersionField()
        fuzzy = BooleanField(_l("Needs editing (keep it out of publication)"))
        accept_warnings = BooleanField(_l("Save anyway, despite the warnings"))
        warnings: list[validation.Problem] = []

        @property
        def text_fields(self):
            return [self[f"form_{i}"] for i in range(forms_of(message))]

        @property
        def strings(self) -> list[str]:
            return fit([f.data or "" for f in self.text_fields], forms_of(message))

        def validate(self, extra_validators=None) -> bool:
            if not super().validate(extra_validators):
                return False
            problems = problems_of(message, self.strings)
            for problem in validation.errors(problems):
                self.text_fields[problem.form or 0].errors.append(problem_message(problem))
            if validation.errors(problems):
                return False
            self.warnings = validation.warnings(problems)
            return not self.warnings or bool(self.accept_warnings.data)

        def to_input(self) -> dict:
            return {"strings": self.strings, "fuzzy": bool(self.fuzzy.data),
                    "accept_warnings": bool(self.accept_warnings.data), "expected_version": self.version.expected}

        @staticmethod
        def data_of(saved: CatalogMessage) -> dict:
            data = {f"form_{i}": text for i, text in enumerate(saved.strings or [])}
            return {**data, "version": saved.version, "fuzzy": saved.state == MessageState.FUZZY.value}

    for index, label in enumerate(plural_labels(message)):
        setattr(TranslationForm, f"form_{index}", TextAreaField(label, validators=text_validators(Len.TEXT)))
    return TranslationForm


class ImportForm(FlaskForm):
    file = FileField(_l("Catalog file (.po)"), description=_l("At most 2\u00a0MB. The translations become drafts: "
                                                               "review them, then publish."))

    def __init__(self, *args, locale: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = locale
        self.catalog = None

    def validate_file(self, field) -> None:
        """A readable .po file of at most 2 MB: ``catalog`` holds it, parsed."""
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(_l("Choose a .po file."))
        data = upload.read(MAX_PO_BYTES + 1)
        if len(data) > MAX_PO_BYTES:
            raise ValidationError(_l("The file is larger than 2\u00a0MB."))
        try:
            self.catalog = read_po(io.BytesIO(data), locale=self.locale, abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError, LookupError):
            raise ValidationError(_l("This is not a readable .po file.")) from None


class ContentTranslationForm(FlaskForm):
    text = TextAreaField(_l("Translation"), validators=text_validators(Len.DOCUMENT))
    approved = BooleanField(_l("Mark as approved (checked and final)"))
    snapshot = HiddenField()  # the source text the translator saw: a newer source is a conflict
    version = VersionField()  # the translation's version the translator saw (0: none yet)

    def to_input(self) -> dict:
        return {"text": self.text.data or "", "approved": bool(self.approved.data), "seen_source": self.snapshot.data,
                "expected_version": self.version.checked}

    @staticmethod
    def data_of(row, locale: str) -> dict:
        """The current translation of ``row`` (a source text) into ``locale``, its version, and the source
        it answers."""
        target = row.owner.text_rows(row.field).get(locale)
        return {"text": target.text if target is not None else "", "snapshot": row.text,
                "version": str(version_of(target))}

    @staticmethod
    def saved(row, locale: str) -> dict:
        """What a conflict shows beside the translator's input: the saved translation (and its version)."""
        data = ContentTranslationForm.data_of(row, locale)
        return {"text": data["text"], "version": data["version"]}


class TranslatorLocalesForm(FlaskForm):
    locales = MultiCheckboxField(_l("Languages this translator works on"), validators=[one_of],
                                 description=_l("Choose every language for no limit."))
    version = VersionField()  # of the saved limit (0: none)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locales.choices = [(c, language_name(c)) for c in languages]

    def to_input(self) -> list[str]:
        return list(self.locales.data or [])

    @staticmethod
    def data_of(limit, languages) -> dict:
        """``limit``: the translator's TranslatorLanguages row, or None (no limit)."""
        return {"locales": (limit.locales if limit is not None else None) or list(languages),
                "version": str(version_of(limit))}
