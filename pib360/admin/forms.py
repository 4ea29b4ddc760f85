"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from pib360.models import Role

ROLE_LABELS = {Role.ADVISOR: _l("Advisor"), Role.COACH: _l("Coach"), Role.ADMIN: _l("Admin")}


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )


class ActiveForm(FlaskForm):
    """A button that deactivates or reactivates; CSRF is its only field."""
