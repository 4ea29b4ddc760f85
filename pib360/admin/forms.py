"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, Length

from pib360.auth.forms import LANGUAGE_CHOICES
from pib360.forms import Form
from pib360.models import Role

ROLE_LABELS = {Role.ADVISOR: _l("Advisor"), Role.COACH: _l("Coach"), Role.ADMIN: _l("Admin")}


class RoleForm(Form):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )


class ActiveForm(Form):
    """A button that deactivates ("0") or reactivates ("1") an account.

    It says which, rather than toggling, so a double click does not undo itself.
    """

    active = HiddenField(validators=[AnyOf(["0", "1"])])


class InviteCoachForm(Form):
    """A coach's name and address; they choose their password through the mailed link."""

    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the coach's name.")), Length(max=120)]
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the coach's e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.com."),
                  check_deliverability=False),
            Length(max=254),
        ],
    )
    language = SelectField(_l("Language of the invitation and the account"),
                           choices=LANGUAGE_CHOICES)


class InstallInstrumentForm(Form):
    """An instrument file to install; the service checks its size and contents."""

    file = FileField(
        _l("Questionnaire file (TOML)"),
        validators=[FileRequired(_l("Choose the questionnaire file to install."))],
        description=_l("The same format as the questionnaire that comes with pib360; at most "
                       "256 kB. A published id and version can never be replaced."),
    )
    make_default = BooleanField(_l("Use it for new rounds straight away"))
