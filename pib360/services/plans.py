"""Development plans: focus points and actions after a report, the coach's comments and
private notes, and a coach's headline figures per advisor. (The progress a later round
measures is part of that round's report: `services.reports.focus_progress`.)

Who may do what:
- the advisor changes their own plan, until a later round of theirs closes (it measures it);
- a coach the advisor shares with reads the plan and comments on it; the advisor reads every
  comment, a coach only their own;
- a coach keeps private notes per advisor they may read, that nobody else reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from pib360.database import use_case
from pib360.extensions import db
from pib360.models import (
    CoachNote,
    DevelopmentPlan,
    FeedbackRound,
    FocusKind,
    FocusPoint,
    PlanAction,
    PlanComment,
    PlanRefusal,
    RoundStatus,
    User,
)
from pib360.models.plans import MAX_ACTIONS
from pib360.models.types import utcnow
from pib360.services import ServiceError, instruments
from pib360.services.sharing import can_read_reports

if TYPE_CHECKING:
    from pib360.domain.instrument import Instrument


def plan_of(feedback_round: FeedbackRound) -> DevelopmentPlan | None:
    """The round's plan, if the advisor has started one."""
    return db.session.execute(
        select(DevelopmentPlan).where(DevelopmentPlan.round_id == feedback_round.id)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Around:
    """A closed round's plan, and the advisor's round that closed next: it measures the
    plan, which can then no longer change."""

    plan: DevelopmentPlan | None = None
    measured_by: FeedbackRound | None = None

    @property
    def can_change(self) -> bool:
        return DevelopmentPlan.can_change(self.measured_by) is None


def around(feedback_round: FeedbackRound) -> Around:
    """The round's plan and the round that measures it (see `Around`), in one query."""
    rows = db.session.execute(
        select(FeedbackRound, DevelopmentPlan)
        .outerjoin(DevelopmentPlan, DevelopmentPlan.round_id == FeedbackRound.id)
        .where(FeedbackRound.advisor_id == feedback_round.advisor_id,
               FeedbackRound.status == RoundStatus.CLOSED)
        .order_by(FeedbackRound.closed_at, FeedbackRound.id)
    ).all()
    at = next((i for i, (r, _plan) in enumerate(rows) if r.id == feedback_round.id), None)
    if at is None:
        return Around()
    after = rows[at + 1][0] if at + 1 < len(rows) else None
    return Around(plan=rows[at][1], measured_by=after)


def choices(instrument: Instrument) -> list[tuple[FocusKind, str]]:
    """Every focus point the instrument offers: dimensions, roles, then its statements."""
    from pib360.domain.instrument import DIMENSIONS, ROLES

    return ([(FocusKind.DIMENSION, d) for d in DIMENSIONS]
            + [(FocusKind.ROLE, r) for r in ROLES]
            + [(FocusKind.ITEM, item.id) for item in instrument.scale_items])


def _own_plan_round(advisor: User, feedback_round: FeedbackRound) -> None:
    """Refuse a round that is not the advisor's own closed one, or whose plan is measured."""
    if feedback_round.advisor_id != advisor.id or not feedback_round.is_closed:
        raise LookupError(feedback_round.id)
    if not around(feedback_round).can_change:
        raise ServiceError(_("This plan can no longer change: a later round has closed and "
                             "measured it."))


@use_case
def add_focus_point(advisor: User, feedback_round: FeedbackRound, kind: str, key: str,
                    intention: str) -> FocusPoint:
    """Add a focus point to the round's plan (starting the plan if need be)."""
    _own_plan_round(advisor, feedback_round)
    instrument = instruments.for_round(feedback_round)
    try:
        kind = FocusKind(kind)
    except ValueError:
        raise ServiceError({"focus": [_("Choose a focus point from the list.")]}) from None
    if (kind, key) not in choices(instrument):
        raise ServiceError({"focus": [_("Choose a focus point from the list.")]})
    plan = plan_of(feedback_round)
    if plan is None:
        plan = DevelopmentPlan(round=feedback_round)
        db.session.add(plan)
    refusal = plan.can_add(kind, key)
    if refusal is PlanRefusal.CHOSEN:
        raise ServiceError({"focus": [_("This focus point is in your plan already.")]})
    if refusal is PlanRefusal.FULL:
        raise ServiceError({"focus": [_("A plan holds at most three focus points: remove one "
                                        "before you add another.")]})
    point = FocusPoint(kind=kind, key=key, intention=intention.strip())
    plan.focus_points.append(point)
    try:
        db.session.flush()
    except IntegrityError:  # the same focus point, added at the same moment in another tab
        raise ServiceError({"focus": [_("This focus point is in your plan already.")]}) from None
    return point


def _own_focus_point(advisor: User, feedback_round: FeedbackRound, point_id: int) -> FocusPoint:
    _own_plan_round(advisor, feedback_round)
    point = db.session.get(FocusPoint, point_id)
    if point is None or point.plan.round_id != feedback_round.id:
        raise LookupError(point_id)
    return point


@use_case
def update_intention(advisor: User, feedback_round: FeedbackRound, point_id: int,
                     intention: str) -> FocusPoint:
    point = _own_focus_point(advisor, feedback_round, point_id)
    point.intention = intention.strip()
    point.plan.updated_at = utcnow()
    return point


@use_case
def remove_focus_point(advisor: User, feedback_round: FeedbackRound, point_id: int) -> None:
    """Remove a focus point with its actions."""
    point = _own_focus_point(advisor, feedback_round, point_id)
    point.plan.focus_points.remove(point)


@use_case
def add_action(advisor: User, feedback_round: FeedbackRound, point_id: int, text: str,
               target_date: date | None) -> PlanAction:
    point = _own_focus_point(advisor, feedback_round, point_id)
    if len(point.actions) >= MAX_ACTIONS:
        raise ServiceError({"text": [_("A focus point holds at most %(count)d actions.",
                                       count=MAX_ACTIONS)]})
    action = PlanAction(text=text.strip(), target_date=target_date)
    point.actions.append(action)
    point.plan.updated_at = utcnow()
    db.session.flush()
    return action


def _own_action(advisor: User, feedback_round: FeedbackRound, action_id: int) -> PlanAction:
    _own_plan_round(advisor, feedback_round)
    action = db.session.get(PlanAction, action_id)
    if action is None or action.focus_point.plan.round_id != feedback_round.id:
        raise LookupError(action_id)
    return action


@use_case
def mark_action(advisor: User, feedback_round: FeedbackRound, action_id: int,
                done: bool) -> PlanAction:
    """Mark an action done (keeping the first moment it was), or not done again."""
    action = _own_action(advisor, feedback_round, action_id)
    if done and action.done_at is None:
        action.done_at = utcnow()
    elif not done:
        action.done_at = None
    return action


@use_case
def remove_action(advisor: User, feedback_round: FeedbackRound, action_id: int) -> None:
    action = _own_action(advisor, feedback_round, action_id)
    action.focus_point.actions.remove(action)


# The coach's part.


def _readable(viewer: User, feedback_round: FeedbackRound) -> None:
    if not feedback_round.is_closed or not can_read_reports(viewer, feedback_round.advisor):
        raise LookupError(feedback_round.id)


@use_case
def comment(coach: User, feedback_round: FeedbackRound, text: str) -> PlanComment:
    """A coach's comment on a plan they may read; the advisor reads it on the plan page."""
    _readable(coach, feedback_round)
    if not coach.is_coach or coach.id == feedback_round.advisor_id:
        raise LookupError(feedback_round.id)
    plan = plan_of(feedback_round)
    if plan is None or not plan.focus_points:
        raise ServiceError({"text": [_("There is no plan to comment on yet.")]})
    note = PlanComment(plan=plan, coach=coach, text=text.strip())
    db.session.add(note)
    db.session.flush()
    return note


def comments_for(viewer: User, plan: DevelopmentPlan | None) -> list[PlanComment]:
    """The comments `viewer` may read: all for the advisor, their own for a coach."""
    if plan is None:
        return []
    if viewer.id == plan.round.advisor_id:
        return list(plan.comments)
    return [c for c in plan.comments if c.coach_id == viewer.id]


def notes(coach: User, advisor: User) -> list[CoachNote]:
    """The coach's private notes about the advisor, newest first."""
    return list(db.session.execute(
        select(CoachNote).where(CoachNote.coach_id == coach.id,
                                CoachNote.advisor_id == advisor.id)
        .order_by(CoachNote.created_at.desc(), CoachNote.id.desc())
    ).scalars())


@use_case
def add_note(coach: User, advisor: User, text: str) -> CoachNote:
    if not coach.is_coach or not can_read_reports(coach, advisor) or coach.id == advisor.id:
        raise LookupError(advisor.id)
    note = CoachNote(coach=coach, advisor=advisor, text=text.strip())
    db.session.add(note)
    db.session.flush()
    return note


@use_case
def delete_note(coach: User, advisor: User, note_id: int) -> None:
    removed = db.session.execute(
        delete(CoachNote).where(CoachNote.id == note_id, CoachNote.coach_id == coach.id,
                                CoachNote.advisor_id == advisor.id))
    if removed.rowcount != 1 or not can_read_reports(coach, advisor):
        raise LookupError(note_id)


def focus_by_round(advisor: User) -> dict[int, list[FocusPoint]]:
    """The focus points of each of the advisor's plans, by round id."""
    rows = db.session.execute(
        select(DevelopmentPlan.round_id, FocusPoint)
        .join(FocusPoint, FocusPoint.plan_id == DevelopmentPlan.id)
        .join(FeedbackRound, FeedbackRound.id == DevelopmentPlan.round_id)
        .where(FeedbackRound.advisor_id == advisor.id)
        .order_by(FocusPoint.id)
    ).all()
    found: dict[int, list[FocusPoint]] = {}
    for round_id, point in rows:
        found.setdefault(round_id, []).append(point)
    return found


# The coach's dashboard.


@dataclass(frozen=True)
class Headline:
    """An advisor at a glance, for a coach: the latest closed round's trust quotient and
    largest dimension gap, the focus points of the latest plan and its actions done, and
    the progress of an open round."""

    latest: FeedbackRound | None = None
    tq_self: float | None = None
    tq_clients: float | None = None
    largest_gap: tuple[str, float, float, float] | None = None  # dimension, self, clients, gap
    preparing: bool = False  # the latest round's figures are not stored yet
    plan: DevelopmentPlan | None = None
    open_round: FeedbackRound | None = None
    open_progress: object | None = None  # services.progress.Progress


def headline(advisor: User, rounds: list[FeedbackRound], locale: str) -> Headline:
    """The headline figures of one advisor, from their rounds (newest first); those of
    the latest closed round as the background job stored them, so that no figure is
    computed here."""
    from pib360.services import progress, report_rendering
    from pib360.services.reports import NotReady

    closed = sorted((r for r in rounds if r.is_closed), key=lambda r: r.closed_at, reverse=True)
    opened = next((r for r in rounds if r.is_open), None)
    figures: dict = {}
    if closed:
        figures["latest"] = closed[0]
        try:
            glance = report_rendering.at_a_glance(closed[0], locale)
        except NotReady:
            figures["preparing"] = True
        else:
            gap = glance["largest_gap"]
            figures.update(tq_self=glance["tq_self"], tq_clients=glance["tq_clients"],
                           largest_gap=tuple(gap) if gap else None)
    plan = db.session.execute(
        select(DevelopmentPlan).join(FeedbackRound, FeedbackRound.id == DevelopmentPlan.round_id)
        .where(FeedbackRound.advisor_id == advisor.id,
               FeedbackRound.status == RoundStatus.CLOSED,
               select(FocusPoint.id).where(FocusPoint.plan_id == DevelopmentPlan.id).exists())
        .order_by(FeedbackRound.closed_at.desc(), FeedbackRound.id.desc()).limit(1)
    ).scalar_one_or_none()
    return Headline(plan=plan, open_round=opened,
                    open_progress=progress.of_round(opened) if opened else None, **figures)
