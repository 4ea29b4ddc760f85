"""Round use cases: create, open, self-assessment, close (and erase).

The rules about a round itself (may it open, close, take answers; has its deadline
passed) are on FeedbackRound; these use cases apply them and say why in the advisor's
language.
"""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert
from sqlalchemy.orm import selectinload

from pib360 import clock
from pib360.database import in_transaction, truncate_wal, use_case
from pib360.extensions import db
from pib360.models import (
    MIN_CLIENTS_FLOOR,
    Answers,
    FeedbackRound,
    IllegalTransition,
    Invitation,
    InvitationLink,
    OutboxMessage,
    Refusal,
    Response,
    User,
)
from pib360.services import ServiceError, ballots, instruments, progress, questionnaire

REFUSALS = {
    Refusal.NOT_A_DRAFT: _l("Only a draft round can be opened."),
    Refusal.NOT_OPEN: _l("Only an open round can be closed."),
    Refusal.DEADLINE_PASSED: _l("The deadline of this round has passed."),
    Refusal.SELF_ASSESSMENT_INCOMPLETE: _l(
        "Complete your self-assessment first: the report compares it with your clients' "
        "answers."),
}


@use_case
def create_round(
    advisor: User,
    title: str,
    language: str,
    min_clients: int,
    deadline: date | None,
    message: str | None,
    auto_reminder: bool,
) -> FeedbackRound:
    """A new draft round with the current instrument."""
    errors = _check_settings(min_clients, deadline, auto_reminder)
    if errors:
        raise ServiceError(errors)
    instrument = instruments.current()
    feedback_round = FeedbackRound(
        advisor=advisor,
        title=title.strip(),
        language=language,
        min_clients=min_clients,
        deadline=deadline,
        message=(message or "").strip() or None,
        auto_reminder=auto_reminder,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        self_answers={},
    )
    db.session.add(feedback_round)
    return feedback_round


def _check_settings(min_clients: int, deadline: date | None, auto_reminder: bool) -> dict:
    errors: dict[str, list[str]] = {}
    if min_clients < MIN_CLIENTS_FLOOR:
        errors["min_clients"] = [
            _("At least %(n)d clients must answer, to keep answers anonymous.",
              n=MIN_CLIENTS_FLOOR)
        ]
    if deadline is not None and deadline < clock.local_today():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if auto_reminder and deadline is None:
        errors["auto_reminder"] = [_("An automatic reminder needs a deadline.")]
    return errors


def own_round(advisor: User, round_id: int) -> FeedbackRound | None:
    """The advisor's own round with this id, or None (also for someone else's round)."""
    feedback_round = db.session.get(
        FeedbackRound, round_id,
        options=[selectinload(FeedbackRound.invitations).joinedload(Invitation.message)],
    )
    if feedback_round is None or feedback_round.advisor_id != advisor.id:
        return None
    return feedback_round


def rounds_of(advisor: User) -> list[FeedbackRound]:
    """The advisor's rounds, newest first."""
    return list(
        db.session.execute(
            db.select(FeedbackRound)
            .where(FeedbackRound.advisor_id == advisor.id)
            .order_by(FeedbackRound.created_at.desc(), FeedbackRound.id.desc())
        ).scalars()
    )


@use_case
def open_round(feedback_round: FeedbackRound) -> None:
    """Open the round for invitations, with the instrument version fixed from now on."""
    try:
        feedback_round.open(clock.utcnow(), clock.zone())
    except IllegalTransition as refused:
        raise ServiceError(str(REFUSALS[refused.reason])) from None
    instrument = instruments.current()
    if (feedback_round.instrument_id, feedback_round.instrument_version) != (
        instrument.id, instrument.version
    ):
        # A newer instrument was installed while the round was a draft: ask with that one,
        # keeping the self-assessment answers to the items it still has.
        feedback_round.instrument_id = instrument.id
        feedback_round.instrument_version = instrument.version
        kept = questionnaire.clean(instrument, feedback_round.self_answers or {})
        feedback_round.self_answers = kept
        feedback_round.self_completed = not questionnaire.missing(instrument, kept, "self")


@use_case
def save_self_answers(feedback_round: FeedbackRound, answers: Answers) -> list:
    """Merge one page of the self-assessment; return the items still missing."""
    if feedback_round.is_finished:
        raise ServiceError(_("This round is closed; its self-assessment can no longer change."))
    instrument = instruments.for_round(feedback_round)
    # A new dict, so SQLAlchemy sees the JSON column change.
    merged = {**(feedback_round.self_answers or {}), **answers}
    feedback_round.self_answers = merged
    still_missing = questionnaire.missing(instrument, merged, "self")
    feedback_round.self_completed = not still_missing
    return still_missing


def close_round(feedback_round: FeedbackRound) -> None:
    """Close for good, keep only what cannot identify a client, and erase the rest from
    the database files too."""
    _close(feedback_round)
    erase_from_files(feedback_round, "closed")


def erase_from_files(feedback_round: FeedbackRound, what: str) -> None:
    """After a use case deleted what identifies the round's clients: on SQLite the
    write-ahead log still holds the old pages, so empty it now (outside a transaction),
    or leave it to the background job's `sqlite-log` step when readers hold it."""
    if not in_transaction() and not truncate_wal():
        # `flask pib360 deliver` is the job's old name, still the one cron lines use.
        current_app.logger.warning("round %s %s; the SQLite log is truncated by the next "
                                   "`flask pib360 deliver`", feedback_round.id, what)


@use_case
def _close(feedback_round: FeedbackRound) -> None:
    """Close the round and keep counts only, in one transaction."""
    # Lock the round (PostgreSQL): a client submitting now, or a second close from the
    # scheduler, waits for this one and then sees the round closed.
    db.session.refresh(feedback_round, with_for_update=True)
    counts = progress.of_round(feedback_round)  # while the invitations are still there
    try:
        feedback_round.close(clock.utcnow())
    except IllegalTransition as refused:
        raise ServiceError(str(REFUSALS[refused.reason])) from None
    _keep_counts_only(feedback_round, counts)


def _keep_counts_only(feedback_round: FeedbackRound, counts) -> None:
    """What a closed round keeps must not identify a client (docs/architecture.md).

    The invitations (addresses, links, which were used) and the client mail are deleted;
    the round keeps how many were invited, delivered and failed. The responses are
    rewritten in the order of their random keys.
    """
    keep_counts(feedback_round, counts)
    ballots.release(feedback_round.id, at_least=1)  # whatever still waits
    forget_clients(feedback_round)
    _reshuffle_responses(feedback_round)


def keep_counts(feedback_round: FeedbackRound, counts) -> None:
    """Store on the round how many clients were invited, delivered and failed: the counts
    that outlive the invitations (`counts`: `progress.of_round` before they go)."""
    feedback_round.invited_count = counts.invited
    feedback_round.delivered_count = counts.delivered
    feedback_round.failed_count = counts.failed


def forget_clients(feedback_round: FeedbackRound) -> None:
    """Delete who was asked: the round's invitations (addresses, drafts, waiting answers,
    which link was used), their links and the mail to its clients. Only flushes."""
    invitation_ids = db.select(Invitation.id).where(Invitation.round_id == feedback_round.id)
    for statement in (
        delete(InvitationLink).where(InvitationLink.invitation_id.in_(invitation_ids)),
        delete(Invitation).where(Invitation.round_id == feedback_round.id),
        delete(OutboxMessage).where(OutboxMessage.group == feedback_round.mail_group),
    ):
        db.session.execute(statement)
    db.session.expire(feedback_round, ["invitations"])


def _reshuffle_responses(feedback_round: FeedbackRound) -> None:
    # Rewrite the responses in the order of their random keys, so that not even the
    # physical row order (PostgreSQL's heap) still follows the order of submission.
    rows = db.session.execute(
        db.select(Response.id, Response.round_id, Response.answers)
        .where(Response.round_id == feedback_round.id)
        .order_by(Response.id)
    ).mappings().all()
    if not rows:
        return
    db.session.execute(delete(Response).where(Response.round_id == feedback_round.id))
    db.session.execute(insert(Response), [dict(row) for row in rows])
