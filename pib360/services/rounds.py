"""Round use cases: create, open, self-assessment, close (and erase), scheduled tasks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, update
from sqlalchemy.orm import selectinload

from pib360 import mail
from pib360.database import in_transaction, transaction, truncate_wal, use_case
from pib360.extensions import db
from pib360.models import (
    MIN_CLIENTS_FLOOR,
    Answers,
    FeedbackRound,
    IllegalTransition,
    Invitation,
    InvitationLink,
    OutboxMessage,
    Response,
    RoundStatus,
    User,
)
from pib360.models.types import utcnow
from pib360.services import ServiceError, ballots, instruments, questionnaire
from pib360.urls import external_url

AUTO_REMINDER_DAYS = 3


def mail_group(feedback_round: FeedbackRound) -> str:
    """The outbox group of a round's client mail."""
    return f"round:{feedback_round.id}"


def local_today(now: datetime) -> date:
    """Today's date where pib360 is used: deadlines are days in that time zone."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


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
    if deadline is not None and deadline < local_today(utcnow()):
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
    if deadline_passed(feedback_round, utcnow()):
        raise ServiceError(_("The deadline of this round has passed."))
    try:
        feedback_round.open(utcnow())
    except IllegalTransition:
        raise ServiceError(_("Only a draft round can be opened.")) from None
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
    if feedback_round.is_closed:
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
    the database files too (on SQLite, the write-ahead log still holds old pages)."""
    _close(feedback_round)
    if not in_transaction() and not truncate_wal():
        current_app.logger.warning("round %s closed; the SQLite log is truncated by the "
                                   "next `flask pib360 deliver`", feedback_round.id)


@use_case
def _close(feedback_round: FeedbackRound) -> None:
    """Close the round and keep counts only, in one transaction."""
    # Lock the round (PostgreSQL): a client submitting now, or a second close from the
    # scheduler, waits for this one and then sees the round closed.
    db.session.refresh(feedback_round, with_for_update=True)
    from pib360.services.invitations import progress

    counts = progress(feedback_round)  # while the invitations are still there
    try:
        feedback_round.close(utcnow())
    except IllegalTransition:
        if not feedback_round.is_open:
            raise ServiceError(_("Only an open round can be closed.")) from None
        raise ServiceError(
            _("Complete your self-assessment first: the report compares it with your "
              "clients' answers.")
        ) from None
    _keep_counts_only(feedback_round, counts)


def _keep_counts_only(feedback_round: FeedbackRound, counts) -> None:
    """What a closed round keeps must not identify a client (DESIGN.md section 4).

    The invitations (addresses, links, which were used) and the client mail are deleted;
    the round keeps how many were invited, delivered and failed. The responses are
    rewritten in the order of their random keys.
    """
    feedback_round.invited_count = counts.invited
    feedback_round.delivered_count = counts.delivered
    feedback_round.failed_count = counts.failed
    ballots.release(feedback_round.id, at_least=1)  # whatever still waits
    invitation_ids = db.select(Invitation.id).where(Invitation.round_id == feedback_round.id)
    db.session.execute(
        delete(InvitationLink).where(InvitationLink.invitation_id.in_(invitation_ids))
    )
    db.session.execute(delete(Invitation).where(Invitation.round_id == feedback_round.id))
    db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.group == mail_group(feedback_round))
    )
    db.session.expire(feedback_round, ["invitations"])
    _reshuffle_responses(feedback_round)


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


def _claim(feedback_round: FeedbackRound, flag) -> bool:
    """Set a once-only flag of the round; False when another run set it first."""
    claimed = db.session.execute(
        update(FeedbackRound)
        .where(FeedbackRound.id == feedback_round.id, flag.is_(False))
        .values({flag.key: True})
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _ask_for_self_assessment(feedback_round: FeedbackRound) -> None:
    """Tell the advisor the round can close (and its client data go) once they self-assess."""
    advisor = feedback_round.advisor
    mail.queue(
        advisor.email, _l("Your round %(title)s is waiting for your self-assessment",
                          title=feedback_round.title),
        "deadline_passed", advisor.language, feedback_round=feedback_round,
        link=external_url("rounds.self_start", round_id=feedback_round.id),
    )


def _close_if_still_open(feedback_round: FeedbackRound) -> bool:
    """Close a round past its deadline, unless another run closed it first."""
    try:
        close_round(feedback_round)
    except ServiceError:
        return False
    return True


def deadline_passed(feedback_round: FeedbackRound, now: datetime) -> bool:
    """Whether the last day to answer is over."""
    return feedback_round.deadline is not None and local_today(now) > feedback_round.deadline


def run_schedule(now: datetime | None = None) -> tuple[int, int]:
    """Send due automatic reminders and close rounds past their deadline.

    Returns (rounds reminded, rounds closed). Run by `flask pib360 deliver`.
    """
    from pib360.services import invitations

    now = now or utcnow()
    today = local_today(now)
    open_rounds = db.session.execute(
        db.select(FeedbackRound).where(
            FeedbackRound.status == RoundStatus.OPEN, FeedbackRound.deadline.is_not(None)
        )
    ).scalars().all()
    reminded = closed = 0
    for feedback_round in open_rounds:
        # One transaction per round: a round that fails holds up none of the others.
        if deadline_passed(feedback_round, now):
            if feedback_round.self_completed:
                closed += _close_if_still_open(feedback_round)
            else:
                with transaction():
                    if _claim(feedback_round, FeedbackRound.deadline_notice_sent):
                        _ask_for_self_assessment(feedback_round)
        elif feedback_round.auto_reminder and today >= (
            feedback_round.deadline - timedelta(days=AUTO_REMINDER_DAYS)
        ):
            with transaction():
                if _claim(feedback_round, FeedbackRound.auto_reminder_sent):
                    invitations.remind(feedback_round, now, automatic=True)
                    reminded += 1
    return reminded, closed
