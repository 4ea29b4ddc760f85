"""Admin forms."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField
from wtforms.validators import AnyOf

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
