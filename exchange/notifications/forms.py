"""The e-mail preferences form: one choice per type the person can receive, grouped as on the page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from exchange.forms import ChoiceField, one_of, required
from exchange.notifications.kinds import GROUPS, Kind
from exchange.notifications.models import Mode

MODE_CHOICES = [
    (Mode.IMMEDIATELY.value, _l("Right away")),
    (Mode.DAILY.value, _l("In the daily summary")),
    (Mode.WEEKLY.value, _l("In the weekly summary")),
    (Mode.OFF.value, _l("No e-mail")),
]


def field_name(code: str) -> str:
    return code.replace(".", "__")


class PreferencesForm(FlaskForm):
    """Built for one person (``for_kinds``): the fields are the types their roles can receive."""

    kinds: list[Kind] = []
    # The settings as they were when the form was opened (services.fingerprint): a save from a form opened
    # before a change made elsewhere (another tab, an unsubscribe link) is a conflict, not an overwrite.
    opened = HiddenField()

    @classmethod
    def for_kinds(cls, kinds: list[Kind], modes: dict[str, Mode] | None = None, **kwargs) -> PreferencesForm:
        form_class = type("PersonalPreferencesForm", (cls,), {
            field_name(kind.code): ChoiceField(kind.label, choices=MODE_CHOICES, validators=[required(), one_of])
            for kind in kinds})
        form_class.kinds = kinds
        if modes is None:
            return form_class(**kwargs)
        from exchange.notifications.services import fingerprint
        data = {field_name(code): mode.value for code, mode in modes.items()}
        return form_class(data={**data, "opened": fingerprint(modes)}, **kwargs)

    def groups(self) -> list[tuple[str, object, list]]:
        """(group id, its heading, its fields) in the order of the list of types."""
        out = []
        for group, heading in GROUPS.items():
            fields = [self[field_name(kind.code)] for kind in self.kinds if kind.group == group]
            if fields:
                out.append((group, heading, fields))
        return out

    def modes(self) -> dict[str, str]:
        return {kind.code: self[field_name(kind.code)].data for kind in self.kinds}


class UnsubscribeForm(FlaskForm):
    """The one-click unsubscribe (RFC 8058): the signed link is its authorisation, so no CSRF token (a
    mail program posts it without a session)."""

    class Meta:
        csrf = False
