"""The forms of the cooperation page: the policy priorities (admins and coordinators) and the open-data
licence (admins)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from exchange.cooperation.models import Licence
from exchange.db import Len
from exchange.forms import ChoiceField, VersionField, one_of, required, text_validators
from exchange.i18n.locale import language_choices


class PolicyForm(FlaskForm):
    policy = TextAreaField(_l("Policy priorities"), validators=text_validators(Len.DOCUMENT, is_required=True),
                           description=_l("What your municipality wants to achieve with its international "
                                          "cooperation. Separate paragraphs with a blank line. Translators "
                                          "translate it; the public sees a translation once it is approved."))
    locale = ChoiceField(_l("Language of the text"), validators=[required(), one_of])
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()

    @staticmethod
    def data_of(profile, locale: str) -> dict:
        row = profile.source_row("policy") if profile is not None else None
        return {"policy": row.text if row else "", "locale": row.locale if row else locale,
                "version": profile.version if profile is not None else ""}


class LicenceForm(FlaskForm):
    licence = ChoiceField(_l("Licence of the open data"), validators=[required(), one_of],
                          description=_l("Applies to the public projects and visits offered as CSV and JSON."))
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence.choices = [(licence.value, licence.label) for licence in Licence]

    @staticmethod
    def data_of(profile) -> dict:
        from exchange.cooperation.queries import licence_of
        return {"licence": licence_of(profile).value, "version": profile.version if profile is not None else ""}
