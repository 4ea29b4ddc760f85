"""Forms of the rounds pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
)

from pib360.forms import Form
from pib360.models import MIN_CLIENTS_FLOOR

MAX_UPLOAD = 256 * 1024


def _within(low: int, high: int, message):
    """NumberRange's check, for any whole number: NumberRange itself raises an
    OverflowError (a 500) on a number of more than 308 digits."""

    def check(form, field):
        if field.data is not None and not low <= field.data <= high:
            raise StopValidation(message)

    return check


class RoundForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the round a title.")), Length(max=200)],
        description=_l("For yourself and your coach, e.g. \"Spring 2027\". Clients do not see it."),
    )
    language = SelectField(
        _l("Language of the survey"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
    )
    min_clients = IntegerField(
        _l("Minimum number of clients"),
        default=MIN_CLIENTS_FLOOR,
        validators=[
            InputRequired(_l("Enter a number.")),
            _within(MIN_CLIENTS_FLOOR, 50,
                    _l("Enter a number from %(min)d to 50.", min=MIN_CLIENTS_FLOOR)),
        ],
        description=_l("Client figures are only shown when at least this many clients answered "
                       "a question, so that no figure is one client's own. At least %(min)d.",
                       min=MIN_CLIENTS_FLOOR),
    )
    deadline = DateField(
        _l("Deadline (optional)"), validators=[Optional()],
        description=_l("The round closes itself after this day."),
    )
    message = TextAreaField(
        _l("Personal message for the invitation (optional)"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2,000 characters."))],
    )
    auto_reminder = BooleanField(_l("Send an automatic reminder 3 days before the deadline"))


class InviteForm(Form):
    addresses = TextAreaField(
        _l("E-mail addresses"),
        validators=[Optional(), Length(max=100_000)],
        description=_l(
            "One per line. You may add a name: \"Name <address>\" or \"name, address\". "
            "End a line with [en] to send that client's mail and survey in English, or with "
            "[nl] for Dutch."
        ),
    )
    upload = FileField(
        _l("Or upload a CSV file"),
        validators=[
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
            FileSize(MAX_UPLOAD, message=_l("The file is too large (at most 256 kB).")),
        ],
    )


class EditRoundForm(Form):
    """What may change while a round is a draft or open."""

    title = RoundForm.title
    message = RoundForm.message


class ExtendForm(Form):
    deadline = DateField(
        _l("New deadline"), validators=[InputRequired(_l("Choose the new last day."))],
        description=_l("Clients see the new date; an automatic reminder moves with it."),
    )
