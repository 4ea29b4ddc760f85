"""Development plans: the focus points an advisor takes from a report, and the coach's part.

A plan belongs to one closed round and to its advisor. It holds at most three focus points
(an item, a dimension or a role), each with what the advisor intends and concrete actions.
It can be changed until a later round of the same advisor closes: from then on that round's
report measures it, and a plan that moved afterwards would measure nothing.

Coaches who read the advisor's reports read the plan too, and may leave comments on it that
the advisor sees; each coach also keeps private notes per advisor that nobody else reads.
"""

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pib360.extensions import db
from pib360.models.accounts import User
from pib360.models.rounds import FeedbackRound
from pib360.models.types import UTCDateTime, utcnow

MAX_FOCUS_POINTS = 3
MAX_ACTIONS = 10  # per focus point: a plan, not a to-do list
INTENTION_LENGTH = 300  # one sentence
ACTION_LENGTH = 300
COMMENT_LENGTH = 2000
NOTE_LENGTH = 5000


class FocusKind(enum.StrEnum):
    """What a focus point is about."""

    DIMENSION = "dimension"
    ROLE = "role"
    ITEM = "item"


class PlanRefusal(enum.StrEnum):
    """Why a plan cannot change."""

    MEASURED = "measured"  # a later round has closed and measured it
    FULL = "full"  # three focus points already
    CHOSEN = "chosen"  # this focus point is in the plan already


class DevelopmentPlan(db.Model):
    """What an advisor means to work on after one round's report."""

    __tablename__ = "development_plan"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_round.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[FeedbackRound] = relationship()
    focus_points: Mapped[list["FocusPoint"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="FocusPoint.id")
    comments: Mapped[list["PlanComment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanComment.id")

    def __repr__(self) -> str:
        return f"<DevelopmentPlan of round {self.round_id}>"

    @staticmethod
    def can_change(measured_by: FeedbackRound | None) -> PlanRefusal | None:
        """Why the plan can no longer change (`measured_by`: the later closed round of
        the same advisor, if any), or None while it can."""
        return PlanRefusal.MEASURED if measured_by is not None else None

    def can_add(self, kind: FocusKind, key: str) -> PlanRefusal | None:
        """Why this focus point cannot be added, or None when it can."""
        if any(point.kind is kind and point.key == key for point in self.focus_points):
            return PlanRefusal.CHOSEN
        if len(self.focus_points) >= MAX_FOCUS_POINTS:
            return PlanRefusal.FULL
        return None

    @property
    def actions_done(self) -> int:
        return sum(action.done for point in self.focus_points for action in point.actions)

    @property
    def actions_count(self) -> int:
        return sum(len(point.actions) for point in self.focus_points)


class FocusPoint(db.Model):
    """One thing to work on: a trust dimension, an advisor role or one statement."""

    __tablename__ = "focus_point"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "key"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("development_plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FocusKind] = mapped_column(
        Enum(FocusKind, native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]))
    key: Mapped[str] = mapped_column(String(50))  # the dimension, role or item id
    intention: Mapped[str] = mapped_column(String(INTENTION_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="focus_points")
    actions: Mapped[list["PlanAction"]] = relationship(
        back_populates="focus_point", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanAction.id")

    def __repr__(self) -> str:
        return f"<FocusPoint {self.kind.value}:{self.key}>"


class PlanAction(db.Model):
    """A concrete step towards a focus point, with an optional target date; done or not."""

    __tablename__ = "plan_action"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_point_id: Mapped[int] = mapped_column(
        ForeignKey("focus_point.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    target_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    focus_point: Mapped[FocusPoint] = relationship(back_populates="actions")

    @property
    def done(self) -> bool:
        return self.done_at is not None


class PlanComment(db.Model):
    """A coach's comment on a shared plan; the advisor reads it, other coaches do not."""

    __tablename__ = "plan_comment"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("development_plan.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="comments")
    coach: Mapped[User] = relationship()


class CoachNote(db.Model):
    """A coach's private note about an advisor, for preparing the next conversation.

    Only the coach who wrote it reads it, and only while the advisor shares with them.
    """

    __tablename__ = "coach_note"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    advisor: Mapped[User] = relationship(foreign_keys=[advisor_id])
