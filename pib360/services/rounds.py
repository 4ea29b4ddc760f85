"""Round use cases: create, open, self-assessment, close (and erase), scheduled tasks."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, update

from pib360.extensions import db
from pib360.mail import ERASED_BODY
from pib360.models import (
    Answers,
    FeedbackRound,
    IllegalTransition,
    Invitation,
    MailStatus,
    OutboxMessage,
    Response,
    RoundStatus,
    User,
)
from pib360.models.types import utcnow
from pib360.services import ServiceError, instruments, questionnaire

MIN_CLIENTS_FLOOR = 2
AUTO_REMINDER_DAYS = 3


def mail_group(feedback_round: FeedbackRound) -> str:
    """The outbox group of a round's client mail."""
    return f"round:{feedback_round.id}"


def local_today(now: datetime) -> date:
    """Today's date where pib360 is used: deadlines are days in that time zone."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


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
    db.session.commit()
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
    feedback_round = db.session.get(FeedbackRound, round_id)
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


def response_counts(round_ids: list[int]) -> dict[int, int]:
    """How many clients answered, per round, in one query."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        db.select(Response.round_id, func.count())
        .where(Response.round_id.in_(round_ids))
        .group_by(Response.round_id)
    )
    return dict(rows.all())


def open_round(feedback_round: FeedbackRound) -> None:
    """Open the round for invitations, with the instrument version fixed from now on."""
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
    db.session.commit()


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
    db.session.commit()
    return still_missing


def close_round(feedback_round: FeedbackRound) -> None:
    """Close for good, then erase what could identify a client."""
    try:
        feedback_round.close(utcnow())
    except IllegalTransition:
        if not feedback_round.is_open:
            raise ServiceError(_("Only an open round can be closed.")) from None
        raise ServiceError(
            _("Complete your self-assessment first: the report compares it with your "
              "clients' answers.")
        ) from None
    _erase_client_traces(feedback_round)
    db.session.commit()


def _erase_client_traces(feedback_round: FeedbackRound) -> None:
    """What a closed round keeps must not identify a client (DESIGN.md section 4)."""
    db.session.execute(
        update(Invitation)
        .where(Invitation.round_id == feedback_round.id)
        .values(name=None, email=None, draft=None, last_reminded_at=None)
    )
    group = OutboxMessage.group == mail_group(feedback_round)
    db.session.execute(
        update(OutboxMessage)
        .where(group, OutboxMessage.status.not_in([MailStatus.SENT, MailStatus.UNDELIVERABLE]))
        .values(status=MailStatus.UNDELIVERABLE, last_error="round closed before delivery")
    )
    db.session.execute(
        update(OutboxMessage).where(group).values(recipient=None, body_text=ERASED_BODY,
                                                  body_html=None)
    )
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
        if deadline_passed(feedback_round, now):
            if feedback_round.self_completed:
                close_round(feedback_round)
                closed += 1
        elif (
            feedback_round.auto_reminder
            and not feedback_round.auto_reminder_sent
            and today >= feedback_round.deadline - timedelta(days=AUTO_REMINDER_DAYS)
        ):
            invitations.remind(feedback_round, now, automatic=True)
            reminded += 1
    return reminded, closed
