"""Retention: closed rounds are deleted RETENTION_MONTHS after they closed, after one
notice to their advisor a month ahead. Run by the background job (`pib360.jobs`)."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from pib360 import clock, mail
from pib360.database import transaction
from pib360.extensions import db
from pib360.models import FeedbackRound, RoundStatus
from pib360.services import privacy
from pib360.urls import external_url

# The notice goes this long before the deletion, and the deletion waits at least this
# long after the notice (also when the retention is shortened).
NOTICE = timedelta(days=30)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (later when negative); the
    31st becomes the last day of a shorter month."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month + 1, day=28)


def apply_retention(now: datetime | None = None) -> tuple[int, int]:
    """Send due notices and delete rounds past retention. Returns (notices, deletions).

    One transaction per round; the notice is claimed with a conditional update, so runs
    at once send it once.
    """
    now = now or clock.utcnow()
    expires = months_before(now, current_app.config["RETENTION_MONTHS"])
    noticed = deleted = 0
    for feedback_round in _closed_before(expires + NOTICE, noticed=False):
        with transaction():
            if _claim_notice(feedback_round, now):
                _send_notice(feedback_round, _deletion_day(feedback_round, now))
                noticed += 1
    for feedback_round in _closed_before(expires, noticed=True):
        if feedback_round.retention_notice_at <= now - NOTICE:
            with transaction():
                privacy.erase_round(feedback_round)
            deleted += 1
    return noticed, deleted


def _deletion_day(feedback_round: FeedbackRound, now: datetime) -> datetime:
    """When the round will go: its retention's end, and never within NOTICE of now."""
    end = months_before(feedback_round.closed_at, -current_app.config["RETENTION_MONTHS"])
    return max(end, now + NOTICE)


def _closed_before(moment: datetime, noticed: bool) -> list[FeedbackRound]:
    condition = (FeedbackRound.retention_notice_at.is_not(None) if noticed
                 else FeedbackRound.retention_notice_at.is_(None))
    return list(db.session.execute(
        db.select(FeedbackRound).where(
            FeedbackRound.status == RoundStatus.CLOSED, FeedbackRound.closed_at < moment,
            condition,
        ).order_by(FeedbackRound.id)
    ).scalars())


def _claim_notice(feedback_round: FeedbackRound, now: datetime) -> bool:
    claimed = db.session.execute(
        update(FeedbackRound)
        .where(FeedbackRound.id == feedback_round.id,
               FeedbackRound.retention_notice_at.is_(None))
        .values(retention_notice_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _send_notice(feedback_round: FeedbackRound, deletion: datetime) -> None:
    advisor = feedback_round.advisor
    mail.queue(
        advisor.email, _l("Your round %(title)s will be deleted", title=feedback_round.title),
        "retention_notice", advisor.language, feedback_round=feedback_round,
        deletion_day=clock.local_today(deletion),
        months=current_app.config["RETENTION_MONTHS"],
        link=external_url("reports.show", round_id=feedback_round.id),
        export_link=external_url("privacy.account"),
    )
