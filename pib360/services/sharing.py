"""Who may read an advisor's reports: the advisor, and coaches they share with.

A share is a row; revoking deletes it. Every access check looks the row up, so a revoked
coach loses access with the next request, whatever pages they still have open.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from pib360 import mail
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import Cohort, CohortMember, FeedbackRound, Role, Share, User
from pib360.services import ServiceError, progress
from pib360.services.accounts import find_user
from pib360.urls import external_url


def can_read_reports(viewer: User, advisor: User) -> bool:
    """Whether `viewer` may read `advisor`'s reports right now."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.id == advisor.id:
        return True
    return viewer.is_coach and _share(advisor, viewer) is not None


def _share(advisor: User, coach: User) -> Share | None:
    return db.session.execute(
        select(Share).where(Share.advisor_id == advisor.id, Share.coach_id == coach.id)
    ).scalar_one_or_none()


@use_case
def share_with_coach(advisor: User, email: str) -> Share:
    """Share the advisor's reports with the active coach who has this address; tell them."""
    coach = find_user(email)
    if coach is None or not coach.active or coach.role is not Role.COACH:
        raise ServiceError({"email": [
            _("No coach in pib360 has this address. Ask your coach which address they use "
              "for pib360.")]})
    if _share(advisor, coach) is not None:
        raise ServiceError({"email": [
            _("You already share your reports with %(name)s.", name=coach.name)]})
    share = Share(advisor=advisor, coach=coach)
    db.session.add(share)
    notify_coach(advisor, coach)
    try:
        db.session.flush()
    except IntegrityError:  # the same share, added at the same moment in another tab
        raise ServiceError({"email": [
            _("You already share your reports with %(name)s.", name=coach.name)]}) from None
    return share


def ensure_share(advisor: User, coach: User) -> Share:
    """The advisor's share with this coach, added to the session if there is none yet."""
    share = _share(advisor, coach)
    if share is None:
        share = Share(advisor=advisor, coach=coach)
        db.session.add(share)
    return share


def notify_coach(advisor: User, coach: User, cohort: Cohort | None = None) -> None:
    """Queue the mail that tells a coach an advisor now shares with them (in a cohort)."""
    subject = (_l("%(advisor)s joined %(cohort)s", advisor=advisor.name, cohort=cohort.name)
               if cohort else
               _l("%(advisor)s shares their feedback reports with you", advisor=advisor.name))
    mail.queue(coach.email, subject, "share_started", coach.language, advisor=advisor,
               coach=coach, cohort=cohort, link=external_url("coach.dashboard"))


def shares_of(advisor: User) -> list[Share]:
    """The coaches the advisor shares with, oldest share first."""
    return list(db.session.execute(
        select(Share).where(Share.advisor_id == advisor.id)
        .options(joinedload(Share.coach)).order_by(Share.created_at, Share.id)
    ).scalars())


@use_case
def revoke(advisor: User, share_id: int) -> User:
    """Stop sharing with a coach, at once; the advisor also leaves that coach's cohorts.

    Returns the coach. Raises LookupError for a share that is not the advisor's.
    """
    share = db.session.get(Share, share_id)
    if share is None or share.advisor_id != advisor.id:
        raise LookupError(share_id)
    coach = share.coach
    # A cohort member shares with its coach: membership without the share would be a lie.
    cohorts_of_coach = select(Cohort.id).where(Cohort.coach_id == coach.id)
    db.session.execute(delete(CohortMember).where(
        CohortMember.advisor_id == advisor.id, CohortMember.cohort_id.in_(cohorts_of_coach)))
    db.session.delete(share)
    return coach


def advisors_of(coach: User) -> list[User]:
    """The advisors who share their reports with this coach, by name."""
    return list(db.session.execute(
        select(User).join(Share, Share.advisor_id == User.id)
        .where(Share.coach_id == coach.id).order_by(User.name, User.id)
    ).scalars())


@dataclass
class SharedAdvisor:
    """One advisor on a coach's dashboard: their rounds, newest first, and response counts."""

    advisor: User
    rounds: list[FeedbackRound] = field(default_factory=list)
    responses: dict[int, int] = field(default_factory=dict)


def dashboard(coach: User) -> list[SharedAdvisor]:
    """Every advisor who shares with the coach, with their rounds and response counts."""
    advisors = {advisor.id: SharedAdvisor(advisor) for advisor in advisors_of(coach)}
    if not advisors:
        return []
    rounds = db.session.execute(
        select(FeedbackRound).where(FeedbackRound.advisor_id.in_(advisors))
        .order_by(FeedbackRound.created_at.desc(), FeedbackRound.id.desc())
    ).scalars().all()
    counts = progress.response_counts([r.id for r in rounds])
    for feedback_round in rounds:
        entry = advisors[feedback_round.advisor_id]
        entry.rounds.append(feedback_round)
        entry.responses[feedback_round.id] = counts.get(feedback_round.id, 0)
    return list(advisors.values())


def readable_advisor(viewer: User, advisor_id: int) -> User | None:
    """The advisor with this id if `viewer` may read their reports, else None."""
    advisor = db.session.get(User, advisor_id)
    if advisor is None or not can_read_reports(viewer, advisor):
        return None
    return advisor
