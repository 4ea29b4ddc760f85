"""What happens at a time rather than on a click: automatic reminders before a round's
deadline, and closing rounds once it has passed. Run by the background job (`pib360.jobs`)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from pib360 import clock, mail
from pib360.database import transaction
from pib360.extensions import db
from pib360.models import FeedbackRound, RoundStatus
from pib360.services import ServiceError, invitations, rounds
from pib360.urls import external_url


def run_schedule(now: datetime | None = None) -> tuple[int, int]:
    """Send due automatic reminders and close rounds past their deadline.

    Returns (rounds reminded, rounds closed). One transaction per round: a round that
    fails holds up none of the others.
    """
    now = now or clock.utcnow()
    zone = clock.zone()
    open_rounds = db.session.execute(
        db.select(FeedbackRound).where(
            FeedbackRound.status == RoundStatus.OPEN, FeedbackRound.deadline.is_not(None)
        )
    ).scalars().all()
    reminded = closed = 0
    for feedback_round in open_rounds:
        if feedback_round.deadline_passed(now, zone):
            if feedback_round.self_completed:
                closed += _close_if_still_open(feedback_round)
            else:
                with transaction():
                    if _claim(feedback_round, FeedbackRound.deadline_notice_sent):
                        _ask_for_self_assessment(feedback_round)
        elif _reminder_due(feedback_round, now):
            with transaction():
                if _claim(feedback_round, FeedbackRound.auto_reminder_sent):
                    invitations.remind(feedback_round, now, automatic=True)
                    reminded += 1
    return reminded, closed


def _reminder_due(feedback_round: FeedbackRound, now: datetime) -> bool:
    """An automatic reminder goes out from its day (before the deadline) on; extending the
    deadline moves that day and makes the reminder due again (FeedbackRound.extend)."""
    reminder_day = feedback_round.reminder_day()
    return reminder_day is not None and clock.local_today(now) >= reminder_day


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
        rounds.close_round(feedback_round)
    except ServiceError:
        return False
    return True
