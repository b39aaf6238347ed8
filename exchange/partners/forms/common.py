"""What the partner forms share: validators with our messages, choices, and filling an edit form."""
from __future__ import annotations

from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from exchange.errors import message_for
from exchange.forms import required
from exchange.i18n.formatting import language_name
from exchange.municipalities import queries as municipality_queries
from exchange.partners.models import INDIVIDUAL_CODES, OrganisationType
from exchange.partners.services import working_languages
from exchange.tenancy import current_municipality
from exchange.themes import queries as theme_queries

CHOOSE = ("", _l("Choose…"))


# --- validators and choices ----------------------------------------------------------------------

def required_with(message):
    """Required, with a message that says what to choose."""
    return required(message)


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


def chosen_need(needs, field):
    return next((n for n in needs if n.id == field.id_value), None)


def currencies() -> list[str]:
    """The reader's municipality's currency first, then the other municipalities' currencies."""
    own = current_municipality().currency
    return [own] + sorted(set(municipality_queries.currencies()) - {own})


def filled(form_class, data: dict, **kwargs):
    """An edit form: filled from the saved object (``data``) on GET, from the submitted data on POST."""
    return form_class(data=data if request.method == "GET" else None, **kwargs)

