"""Forms of the sharing pages."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from pib360.forms import Form


class ShareForm(Form):
    email = EmailField(
        _l("Your coach's e-mail address"),
        validators=[
            DataRequired(_l("Enter your coach's e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.com."),
                  check_deliverability=False),
            Length(max=254),
        ],
        description=_l("The address your coach uses to log in to pib360."),
        filters=[lambda value: value.strip() if value else value],
    )

