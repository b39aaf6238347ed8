"""Form helpers shared by every domain: translated length limits and rejection of control characters.

Every text field gets a maximum length and refuses NUL and other control characters, so bad input is
a translated error beside the field, never a database error (PostgreSQL rejects NUL in text).
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def no_control_characters(form, field) -> None:
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))
