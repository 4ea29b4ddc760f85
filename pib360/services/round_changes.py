"""Changing a round after it was created: its title and message, a later deadline, or
cancelling it altogether.

The rules (what may change, and when) are on FeedbackRound; these use cases apply them
and say why not in the advisor's language. A cancelled round keeps its title and counts,
nothing a client gave: no invitation, address, draft, waiting answer or response.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from pib360 import clock
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import (
    FeedbackRound,
    IllegalTransition,
    Refusal,
    Response,
)
from pib360.services import ServiceError, progress, rounds

REFUSALS = {
    Refusal.FINISHED: _l("A closed or cancelled round can no longer change."),
    Refusal.NOT_OPEN: _l("Only the deadline of an open round can be extended."),
    Refusal.NO_DEADLINE: _l("This round has no deadline to extend."),
    Refusal.NOT_LATER: _l("Choose a day after the current deadline."),
}


def refusal_text(refusal: Refusal | None) -> str | None:
    """Why not, in the advisor's language (None when it can)."""
    return None if refusal is None else str(REFUSALS[refusal])


@use_case
def edit(feedback_round: FeedbackRound, title: str, message: str | None) -> None:
    """Change the title and the personal message of a draft or open round."""
    if refusal := feedback_round.can_edit():
        raise ServiceError(refusal_text(refusal))
    feedback_round.title = title.strip()
    feedback_round.message = (message or "").strip() or None


@use_case
def extend(feedback_round: FeedbackRound, new_deadline: date) -> None:
    """Move the deadline of an open round later; the automatic reminder follows it."""
    if new_deadline < clock.local_today():
        raise ServiceError({"deadline": [_("The deadline cannot be in the past.")]})
    try:
        feedback_round.extend(new_deadline)
    except IllegalTransition as refused:
        field = "deadline" if refused.reason is Refusal.NOT_LATER else None
        raise ServiceError({field: [refusal_text(refused.reason)]}) from None


@dataclass(frozen=True)
class Erasure:
    """What cancelling a round deletes, in counts the advisor may know.

    Unfinished answers (drafts) are deleted too, but not counted here: how many clients
    started would tell more than the number of responses does.
    """

    invitations: int
    responses: int
    self_answers: int


def what_cancel_erases(feedback_round: FeedbackRound) -> Erasure:
    """The counts the confirmation page shows before a round is cancelled."""
    return Erasure(
        invitations=len(feedback_round.invitations),
        responses=progress.of_round(feedback_round).responses,
        self_answers=len(feedback_round.self_answers or {}),
    )


def cancel(feedback_round: FeedbackRound) -> None:
    """Cancel for good, keeping the title and counts only, and erase the rest from the
    database files too (on SQLite, the write-ahead log still holds old pages)."""
    _cancel(feedback_round)
    rounds.erase_from_files(feedback_round, "cancelled")


@use_case
def _cancel(feedback_round: FeedbackRound) -> None:
    """Cancel the round and delete everything its clients and its advisor gave."""
    # Lock the round (PostgreSQL): a client submitting now waits, then finds it cancelled.
    db.session.refresh(feedback_round, with_for_update=True)
    counts = progress.of_round(feedback_round)
    try:
        feedback_round.cancel(clock.utcnow())
    except IllegalTransition as refused:
        raise ServiceError(refusal_text(refused.reason)) from None
    rounds.keep_counts(feedback_round, counts)
    feedback_round.response_count = counts.responses
    feedback_round.message = None
    feedback_round.self_answers = {}
    feedback_round.self_completed = False
    rounds.forget_clients(feedback_round)
    db.session.execute(delete(Response).where(Response.round_id == feedback_round.id))
