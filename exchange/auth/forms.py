"""Account forms. Labels and messages are lazy-translated; choices come from the Role enum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, Length

from exchange.auth.models import Role
from exchange.auth.services import MIN_PASSWORD_LENGTH
from exchange.db import Len
from exchange.forms import ConfirmForm, MultiCheckboxField, max_length, no_control_characters, one_of, required
from exchange.i18n.locale import language_choices

__all__ = ["LoginForm", "SecondFactorForm", "ChangePasswordForm", "SetPasswordForm", "PreferencesForm", "InviteUserForm", "RolesForm",
           "ConfirmForm", "MultiCheckboxField"]

PASSWORD_MAX = 200


def _email_field():
    return EmailField(_l("E-mail address"), validators=[
        required(), max_length(Len.EMAIL), no_control_characters,
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])


def _new_password_fields():
    new = PasswordField(_l("New password"), validators=[
        required(), max_length(PASSWORD_MAX),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        required(), EqualTo("new_password", message=_l("The two passwords do not match."))])
    return new, confirm


def role_choices():
    return [(role.value, role.label) for role in Role]


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[required(), max_length(PASSWORD_MAX)])


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[required(), max_length(20), no_control_characters],
                       description=_l("The 6-digit code your authenticator app shows now, or one of your recovery "
                                      "codes."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[required(), max_length(PASSWORD_MAX)])
    new_password, confirm_password = _new_password_fields()


class SetPasswordForm(FlaskForm):
    new_password, confirm_password = _new_password_fields()


class PreferencesForm(FlaskForm):
    preferred_locale = SelectField(_l("Interface language"), validate_choice=False, validators=[one_of])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_locale.choices = [("", _l("The municipality's default"))] + language_choices()

    def to_input(self) -> str | None:
        return self.preferred_locale.data or None


class _RolesField:
    roles = MultiCheckboxField(_l("Roles"), validators=[required(_l("Choose at least one role.")),
                                                         one_of])

    def role_set(self) -> set[Role]:
        return {Role(r) for r in self.roles.data}


class InviteUserForm(_RolesField, FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(Len.NAME), no_control_characters])
    email = _email_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()

    def to_input(self) -> dict:
        return {"email": self.email.data, "name": self.name.data, "roles": self.role_set()}


class RolesForm(_RolesField, FlaskForm):
    # The roles the form was opened with: an account row has no version column (every sign-in writes to
    # it), so a stale save is recognised by the roles themselves (exchange.auth.services.set_roles).
    opened_roles = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()

    @staticmethod
    def data_of(user) -> dict:
        roles = sorted(r.value for r in user.roles)
        return {"roles": roles, "opened_roles": ",".join(roles)}

    def seen_roles(self) -> set[Role] | None:
        """The roles the admin saw (None: the form did not say; an unknown role never matches)."""
        if self.opened_roles.data is None:
            return None
        values = [v for v in self.opened_roles.data.split(",") if v]
        return {Role(v) for v in values} if all(v in Role._value2member_map_ for v in values) else {None}
