"""What a round's clients will see, rendered for its advisor before anything is sent."""

from dataclasses import dataclass

from pib360 import mail
from pib360.models import FeedbackRound
from pib360.services.invitations import SUBJECTS, client_mail_context


@dataclass(frozen=True)
class SampleInvitation:
    """A client invited without a name, as the mail templates see an invitation.

    Not a model: an Invitation tied to the round would join the session and be stored.
    """

    feedback_round: FeedbackRound
    language: str
    name: str | None = None

    @property
    def mail_language(self) -> str:
        return self.language


def client_mail(feedback_round: FeedbackRound, kind: str, language: str,
                link: str) -> mail.Rendered:
    """The invitation or reminder mail of this round, exactly as it will be sent."""
    invitation = SampleInvitation(feedback_round, language)
    context = client_mail_context(invitation, link)
    subject = SUBJECTS[kind](feedback_round.advisor.name)
    return mail.render(subject, kind, language, **context)


def from_header(rendered: mail.Rendered) -> str:
    """The From header the mail will carry, as a mail program shows it."""
    name, address = mail.sender_parts(rendered.sender_name)
    return f"{name} <{address}>" if name else address
