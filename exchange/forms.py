"""Form helpers shared by every domain: translated length limits and rejection of control characters.

Every text field gets a maximum length and refuses NUL and other control characters, so bad input is
a translated error beside the field, never a database error (PostgreSQL rejects NUL in text).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def no_control_characters(form, field) -> None:
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


def parse_amount(raw: str) -> Decimal | None:
    """The decimal value of a typed amount in the viewer's number format (1 234,50 / 1.234,50) or plain
    1234.50; None if it is not one. Every domain parses amounts with this, so all forms accept the same."""
    cleaned = raw.replace("\u00a0", " ").replace("\u202f", " ").strip()
    candidates = []
    try:
        candidates.append(parse_decimal(cleaned.replace(" ", ""), locale=(get_locale() if has_request_context() else None) or "en",
                                        strict=True))
    except (NumberFormatError, ValueError):
        pass
    try:
        candidates.append(Decimal(cleaned.replace(" ", "")))
    except InvalidOperation:
        pass
    value = next((c for c in candidates if c.is_finite()), None)
    return value
