"""What the GDPR asks of pib360: erase a round or an account with everything of it, and
hand an advisor everything pib360 holds about them."""

from sqlalchemy import delete

from pib360.extensions import db
from pib360.models import (
    FeedbackRound,
    Invitation,
    InvitationLink,
    OutboxMessage,
    ReportFile,
    Response,
)


def erase_round(feedback_round: FeedbackRound) -> None:
    """Delete a round with its responses, rendered reports, invitations and client mail.
    Only flushes: the caller's transaction commits."""
    round_id = feedback_round.id
    invitations = db.select(Invitation.id).where(Invitation.round_id == round_id)
    for statement in (
        delete(InvitationLink).where(InvitationLink.invitation_id.in_(invitations)),
        delete(Invitation).where(Invitation.round_id == round_id),
        delete(OutboxMessage).where(OutboxMessage.group == feedback_round.mail_group),
        delete(Response).where(Response.round_id == round_id),
        delete(ReportFile).where(ReportFile.round_id == round_id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.delete(feedback_round)
    db.session.flush()
