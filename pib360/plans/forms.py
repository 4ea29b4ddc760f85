"""Forms of the development plan page."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from pib360.forms import Form
from pib360.models.plans import ACTION_LENGTH, COMMENT_LENGTH, INTENTION_LENGTH, NOTE_LENGTH

_INTENTION = dict(
    validators=[DataRequired(_l("Write in one sentence what you intend.")),
                Length(max=INTENTION_LENGTH,
                       message=_l("Use at most %(max)d characters.", max=INTENTION_LENGTH))],
    description=_l("One sentence, e.g. \"I ask every client what keeps them awake at night.\""),
)


class FocusForm(Form):
    focus = SelectField(_l("Focus point"), validate_choice=False,
                        validators=[DataRequired(_l("Choose a focus point from the list."))])
    intention = StringField(_l("What you intend"), **_INTENTION)


class IntentionForm(Form):
    intention = StringField(_l("What you intend"), **_INTENTION)


class PlanActionForm(Form):
    text = StringField(
        _l("Action"),
        validators=[DataRequired(_l("Describe the action.")),
                    Length(max=ACTION_LENGTH,
                           message=_l("Use at most %(max)d characters.", max=ACTION_LENGTH))],
        description=_l("Concrete and observable, e.g. \"Call Jan before the quarterly review\"."),
    )
    target_date = DateField(_l("Target date (optional)"), validators=[Optional()])


class CommentForm(Form):
    text = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(_l("Write a comment.")),
                    Length(max=COMMENT_LENGTH,
                           message=_l("Use at most %(max)d characters.", max=COMMENT_LENGTH))],
        description=_l("The advisor reads it on this page; other coaches do not."),
    )


class NoteForm(Form):
    text = TextAreaField(
        _l("New note"),
        validators=[DataRequired(_l("Write a note.")),
                    Length(max=NOTE_LENGTH,
                           message=_l("Use at most %(max)d characters.", max=NOTE_LENGTH))],
    )
