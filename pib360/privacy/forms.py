"""Deleting an account asks for its password."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired

from pib360.forms import Form


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password."))],
        description=_l("To be sure it is you."),
    )
