"""Creating a personal access token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import StringField

from exchange.api.services import LIFETIMES
from exchange.db import Len
from exchange.forms import ChoiceField, one_of, required, text_validators


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the token"), validators=text_validators(Len.NAME, is_required=True),
                       description=_l("What you will use it for, e.g. \"Open data portal\"."))
    days = ChoiceField(_l("Valid for"), validators=[required(), one_of])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.choices = [(str(days), ngettext("%(num)d day", "%(num)d days", days)) for days in LIFETIMES]
        if not self.days.data:
            self.days.data = "90"

    @property
    def days_value(self) -> int | None:
        return int(self.days.data) if (self.days.data or "").isdigit() else None
