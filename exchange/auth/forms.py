"""Account forms. Labels and messages are lazy-translated; choices come from the Role enum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from exchange.auth.models import Role
from exchange.auth.services import MIN_PASSWORD_LENGTH
from exchange.forms import max_length, no_control_characters
from exchange.i18n.locale import language_choices


def _required():
    return InputRequired(message=_l("This field is required."))


def _email_field():
    return EmailField(_l("E-mail address"), validators=[
        _required(), max_length(255), no_control_characters,
        Email(message=_l("Enter a valid e-mail address, such as name@example.org."), check_deliverability=False)])


def _new_password_fields():
    new = PasswordField(_l("New password"), validators=[
        _required(), max_length(200),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        _required(), EqualTo("new_password", message=_l("The two passwords do not match."))])
    return new, confirm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices():
    return [(role.value, role.label) for role in Role]


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[_required(), max_length(200)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required(), max_length(200)])
    new_password, confirm_password = _new_password_fields()


class SetPasswordForm(FlaskForm):
    new_password, confirm_password = _new_password_fields()


class PreferencesForm(FlaskForm):
    preferred_locale = SelectField(_l("Interface language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_locale.choices = [("", _l("The municipality's default"))] + language_choices()


class InviteUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required(), max_length(120), no_control_characters])
    email = _email_field()
    roles = MultiCheckboxField(_l("Roles"), validators=[
        InputRequired(message=_l("Choose at least one role."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), validators=[
        InputRequired(message=_l("Choose at least one role."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()


class ConfirmForm(FlaskForm):
    """An empty form: CSRF protection for confirmed POST actions."""
