"""The accessibility statement's feedback form (anyone may send it, signed in or not)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, Optional

from exchange.db import Len
from exchange.forms import max_length, no_control_characters, text_validators


class FeedbackForm(FlaskForm):
    message = TextAreaField(_l("What did not work for you?"), validators=text_validators(Len.MESSAGE, True),
                            description=_l("Describe the problem and, if you can, the page and what you used "
                                           "(for example a screen reader or the keyboard only)."))
    page = StringField(_l("Page (optional)"), validators=text_validators(Len.URL))
    name = StringField(_l("Your name (optional)"), validators=text_validators(Len.NAME))
    email = EmailField(_l("Your e-mail address (optional, for an answer)"), validators=[
        Optional(), max_length(Len.EMAIL), no_control_characters,
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])

    def to_input(self) -> dict:
        return {"message": self.message.data, "page": self.page.data or "", "name": self.name.data or "",
                "email": self.email.data or ""}
