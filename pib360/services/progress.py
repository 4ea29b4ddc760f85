"""What the advisor may know about a round's clients: counts, never who.

Counting responses counts the answers that moved into the response table and those still
waiting on their invitation (see services.ballots) alike.
"""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, Response, RoundStatus


@dataclass(frozen=True)
class Progress:
    """A round's invitations and responses, in counts.

    Every count but `responses` is the same whichever clients answered: a withdrawn
    invitation counts as invited either way, or withdrawing would show whether it was used.
    """

    invited: int
    delivered: int
    failed: int
    responses: int
    min_clients: int
    withdrawn: int = 0
    # Languages other than the round's that fewer than the minimum of clients get their
    # survey in, with how many: those clients' comments could be told apart by language.
    few_in_language: dict[str, int] = field(default_factory=dict)

    @property
    def everyone_answered(self) -> bool:
        """Every invited client answered (nobody is left to remind)."""
        return self.invited > 0 and self.responses >= self.invited


def response_counts(round_ids: list[int]) -> dict[int, int]:
    """How many clients answered, per round, in three queries (a cancelled round keeps
    only its count)."""
    if not round_ids:
        return {}
    totals: dict[int, int] = {
        round_id: count or 0 for round_id, count in db.session.execute(
            db.select(FeedbackRound.id, FeedbackRound.response_count)
            .where(FeedbackRound.id.in_(round_ids),
                   FeedbackRound.status == RoundStatus.CANCELLED))
    }
    for table, condition in (
        (Response, Response.round_id.in_(round_ids)),
        (Invitation, Invitation.round_id.in_(round_ids)
         & Invitation.submitted_answers.is_not(None)),
    ):
        rows = db.session.execute(
            db.select(table.round_id, func.count()).where(condition).group_by(table.round_id))
        for round_id, count in rows:
            totals[round_id] = totals.get(round_id, 0) + count
    return totals


def of_round(feedback_round: FeedbackRound) -> Progress:
    """Invited, delivered, failed, withdrawn and response counts of a round."""
    if feedback_round.is_cancelled:  # its counts are all that is left of it
        return Progress(
            invited=feedback_round.invited_count or 0,
            delivered=feedback_round.delivered_count or 0,
            failed=feedback_round.failed_count or 0,
            responses=feedback_round.response_count or 0,
            min_clients=feedback_round.min_clients,
        )
    responses = response_counts([feedback_round.id]).get(feedback_round.id, 0)
    if feedback_round.is_closed:
        return Progress(
            invited=feedback_round.invited_count or 0,
            delivered=feedback_round.delivered_count or 0,
            failed=feedback_round.failed_count or 0,
            responses=responses, min_clients=feedback_round.min_clients,
        )
    invitations = feedback_round.invitations
    return Progress(
        invited=len(invitations),
        delivered=sum(1 for i in invitations if i.message is not None and i.message.delivered),
        failed=sum(1 for i in invitations if i.message is not None and i.message.failed),
        responses=responses, min_clients=feedback_round.min_clients,
        withdrawn=sum(1 for i in invitations if i.withdrawn),
        few_in_language=_few_in_language(feedback_round),
    )


def _few_in_language(feedback_round: FeedbackRound) -> dict[str, int]:
    counts = Counter(i.language for i in feedback_round.invitations
                     if i.language and i.language != feedback_round.language
                     and not i.withdrawn)
    return {language: count for language, count in sorted(counts.items())
            if count < feedback_round.min_clients}
