"""The accessibility statement's feedback form (anyone may send it, signed in or not) and the admins'
identity form (colour, coat of arms, contact address)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import Email, Optional

from exchange.db import Len
from exchange.forms import VersionField, max_length, no_control_characters, text_validators
from exchange.municipalities.identity import MAX_EMBLEM_BYTES
from exchange.rules import version_of


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


class IdentityForm(FlaskForm):
    """The municipality's identity and contact address, set by its admins."""

    accent_colour = StringField(_l("Colour of the municipality (optional)"), validators=[Optional(), max_length(7),
                                                                                        no_control_characters],
                                description=_l("# and six hexadecimal digits, such as #0b4f8a. White text is "
                                               "written on it, so it must be dark enough."))
    contact_email = EmailField(_l("Contact e-mail address (optional)"), validators=[
        Optional(), max_length(Len.EMAIL), no_control_characters,
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)],
        description=_l("Accessibility feedback and other questions go here; empty: to the administrators."))
    emblem = FileField(_l("Coat of arms (optional)"),
                       description=_l("A PNG or JPEG image of at most 256 KB, shown beside the name in the header."))
    remove_emblem = BooleanField(_l("Remove the coat of arms"))
    version = VersionField()

    @staticmethod
    def data_of(municipality) -> dict:
        return {"accent_colour": municipality.accent_colour, "contact_email": municipality.contact_email,
                "version": str(version_of(municipality))}

    def to_input(self) -> dict:
        upload = self.emblem.data
        # Read one byte more than allowed: enough to know it is too large without reading a huge file.
        emblem = upload.read(MAX_EMBLEM_BYTES + 1) if upload and getattr(upload, "filename", "") else None
        return {"accent_colour": self.accent_colour.data or "", "contact_email": self.contact_email.data or "",
                "emblem": emblem, "remove_emblem": bool(self.remove_emblem.data),
                "expected_version": self.version.checked}
