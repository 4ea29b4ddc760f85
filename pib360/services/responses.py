"""The client's side: follow a personal link, save a draft, submit once, anonymously."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from pib360 import clock
from pib360.database import transaction, use_case
from pib360.extensions import db
from pib360.models import (
    Answers,
    FeedbackRound,
    Invitation,
    InvitationLink,
    InvitationStatus,
    RoundStatus,
)
from pib360.services import ServiceError, ballots, instruments, questionnaire
from pib360.services.invitations import hash_token


class LinkUnknown(Exception):
    """No invitation has this link (404)."""


class LinkGone(Exception):
    """The invitation was withdrawn, or its round is closed or past its deadline (410)."""


class AlreadySubmitted(Exception):
    """This invitation's answers were received before."""


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link's token."""
    link = db.session.execute(
        db.select(InvitationLink).where(InvitationLink.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if link is None:
        raise LinkUnknown()
    return link.invitation


def usable_invitation(session_key: str) -> Invitation:
    """The invitation of a survey session, if it may still be answered."""
    invitation = db.session.execute(
        db.select(Invitation).where(Invitation.session_key == session_key)
    ).scalar_one_or_none()
    if invitation is None:
        raise LinkUnknown()
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation) -> None:
    """Refuse a withdrawn invitation and a round that no longer takes answers."""
    feedback_round = invitation.feedback_round
    if invitation.withdrawn or not feedback_round.accepts_answers(clock.utcnow(), clock.zone()):
        raise LinkGone()


@use_case
def save_draft(invitation: Invitation, answers: Answers) -> None:
    """Keep answers given so far on the invitation, until the client submits."""
    if invitation.used:
        raise AlreadySubmitted()
    check_usable(invitation)  # read again in this transaction: withdrawn meanwhile?
    invitation.draft = {**(invitation.draft or {}), **answers}


def submit(invitation: Invitation, answers: Answers) -> None:
    """Take the client's final answers once, then let a batch move on if one is ready.

    Two transactions: marking the invitation used (with the answers kept on it), and
    moving answers into the response table once at least the round's minimum wait, so
    that no response is ever stored together with its invitation (see services.ballots).
    """
    round_id, minimum = invitation.round_id, invitation.feedback_round.min_clients
    _take(invitation, answers)
    try:
        with transaction():
            ballots.release(round_id, at_least=minimum)
    except SQLAlchemyError:  # the answers are safe; a later submit or the close moves them
        current_app.logger.exception("could not move the answers of round %s", round_id)


@use_case
def _take(invitation: Invitation, answers: Answers) -> None:
    """Mark the invitation used and keep the final answers on it, exactly once.

    The conditional update lets exactly one of several concurrent submits through.
    """
    if invitation.used:  # read again inside this transaction
        raise AlreadySubmitted()
    instrument = instruments.for_round(invitation.feedback_round)
    final = questionnaire.clean(instrument, {**(invitation.draft or {}), **answers})
    missing = questionnaire.missing(instrument, final, "client")
    if missing:
        raise ServiceError(
            {item.id: [_("Answer this question, or choose \"cannot judge\".")]
             for item in missing}
        )
    # Share-lock the round (PostgreSQL): a close that is under way finishes first, and
    # then this submit sees the round closed and stores nothing.
    status = db.session.execute(
        select(FeedbackRound.status)
        .where(FeedbackRound.id == invitation.round_id)
        .with_for_update(read=True)
    ).scalar_one()
    if status is not RoundStatus.OPEN:
        raise LinkGone()
    check_usable(invitation)  # withdrawn, or past the deadline, since the page was opened
    marked = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used.is_(False),
               Invitation.status == InvitationStatus.ACTIVE)
        .values(used=True, draft=None, submitted_answers=final)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:
        raise AlreadySubmitted()
