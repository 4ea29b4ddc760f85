"""Account forms; every field has a label, errors show next to it."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from pib360.forms import Form

MIN_PASSWORD = 12
LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.com."),
                  check_deliverability=False),
            Length(max=254),
        ],
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=MIN_PASSWORD, max=200,
                   message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD)),
        ],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )
    return password, confirm


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Remember me on this device"))


class RegisterForm(Form):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)]
    )
    email = _email_field()
    password, confirm = _new_password_fields()


class ForgotPasswordForm(Form):
    email = _email_field()


class ResetPasswordForm(Form):
    password, confirm = _new_password_fields()


class ChangePasswordForm(Form):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password, confirm = _new_password_fields()


class ProfileForm(Form):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)]
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class LanguageForm(Form):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
