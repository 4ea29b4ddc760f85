"""Forms of the coach pages."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from pib360.forms import Form


class CohortForm(Form):
    name = StringField(
        _l("Name of the group"),
        validators=[DataRequired(_l("Give the group a name.")), Length(max=120)],
        description=_l("For example the programme and its intake, like \"PiB 2027 spring\". "
                       "Advisors see it in their invitation."),
    )


class CohortInviteForm(Form):
    addresses = TextAreaField(
        _l("E-mail addresses of advisors"),
        validators=[Optional(), Length(max=100_000)],
        description=_l(
            "One per line. You may add a name: \"Name <address>\" or \"name, address\"."
        ),
    )
