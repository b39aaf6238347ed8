"""The personal-data tool's forms: the person to look for, and the confirmed erasure."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from exchange.db import Len
from exchange.forms import text_validators


class PersonForm(FlaskForm):
    name = StringField(_l("Name of the person"), validators=text_validators(Len.NAME, is_required=True),
                       description=_l("The name exactly as it was entered; upper and lower case do not matter."))
    email = StringField(_l("E-mail address (optional)"), validators=text_validators(Len.EMAIL),
                        description=_l("Also finds the person's account when it is under another name."))

    def to_input(self) -> dict:
        return {"name": self.name.data or "", "email": self.email.data or ""}


class EraseForm(PersonForm):
    """Erasing asks first: the confirmation page posts the same form again with ``confirmed=yes``."""

    confirmed = HiddenField()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"
