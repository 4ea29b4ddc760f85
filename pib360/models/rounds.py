"""Feedback rounds, the invitations of their clients and the anonymous responses."""

import enum
import secrets
import uuid
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import JSON, Date, Enum, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pib360.extensions import db
from pib360.models.accounts import User
from pib360.models.outbox import OutboxMessage
from pib360.models.types import UTCDateTime, utcnow

# Answers are kept as {item id: value}: an int on the scale, None for "cannot judge",
# a role id for the choice item, a string for an open question.
Answers = dict[str, int | str | None]

# The fewest clients a round may require per figure. With two, one real client and one
# address of the advisor's own would give that client's answers back.
MIN_CLIENTS_FLOOR = 3

# The automatic reminder goes out this many days before the round's deadline.
AUTO_REMINDER_DAYS = 3


class RoundStatus(enum.StrEnum):
    """A round moves draft -> open -> closed, and never back; a draft or open round can
    be cancelled instead, which keeps only its title and counts."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Refusal(enum.StrEnum):
    """Why a round cannot move where it was asked to."""

    NOT_A_DRAFT = "not_a_draft"  # only a draft opens
    NOT_OPEN = "not_open"  # only an open round closes
    DEADLINE_PASSED = "deadline_passed"  # a round past its deadline does not open
    SELF_ASSESSMENT_INCOMPLETE = "self_assessment_incomplete"  # the report compares it
    FINISHED = "finished"  # a closed or cancelled round no longer changes
    NO_DEADLINE = "no_deadline"  # a round without a deadline has nothing to extend
    NOT_LATER = "not_later"  # an extension moves the deadline later, never earlier


class IllegalTransition(Exception):
    """A round was asked to move to a state it cannot reach from where it is."""

    def __init__(self, reason: Refusal):
        self.reason = reason
        super().__init__(reason.value)


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class FeedbackRound(db.Model):
    """One advisor asking a group of clients for feedback, once."""

    __tablename__ = "feedback_round"
    # Ids appear in URLs and cookies: SQLite must never hand out a deleted row's id again.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    instrument_id: Mapped[str] = mapped_column(String(50))
    instrument_version: Mapped[str] = mapped_column(String(20))
    min_clients: Mapped[int] = mapped_column(default=MIN_CLIENTS_FLOOR)
    deadline: Mapped[date | None] = mapped_column(Date)
    message: Mapped[str | None] = mapped_column(Text)
    auto_reminder: Mapped[bool] = mapped_column(default=False)
    auto_reminder_sent: Mapped[bool] = mapped_column(default=False)
    # The advisor was told the deadline passed before the self-assessment was complete.
    deadline_notice_sent: Mapped[bool] = mapped_column(default=False)
    # Reminders go to every client who has not answered, at most once per 48 hours per
    # round: timing per invitation would let the advisor probe who answered.
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[RoundStatus] = mapped_column(_enum(RoundStatus), default=RoundStatus.DRAFT)
    self_answers: Mapped[Answers] = mapped_column(JSON, default=dict)
    self_completed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a closed round keeps of its invitations: counts only (see services.rounds).
    invited_count: Mapped[int | None] = mapped_column()
    delivered_count: Mapped[int | None] = mapped_column()
    failed_count: Mapped[int | None] = mapped_column()
    # What a cancelled round keeps of its responses: how many there were, not what they said.
    response_count: Mapped[int | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the advisor was told this closed round will be deleted (services.retention).
    retention_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    advisor: Mapped[User] = relationship()
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="feedback_round", order_by="Invitation.id"
    )

    def __init__(self, **fields) -> None:
        # Column defaults apply only at INSERT; a new round is a draft right away.
        fields.setdefault("status", RoundStatus.DRAFT)
        fields.setdefault("self_answers", {})
        super().__init__(**fields)

    def __repr__(self) -> str:
        return f"<FeedbackRound {self.id} {self.status.value}>"

    @property
    def is_draft(self) -> bool:
        return self.status is RoundStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status is RoundStatus.CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.status is RoundStatus.CANCELLED

    @property
    def is_finished(self) -> bool:
        """Closed or cancelled: nothing about the round changes any more."""
        return self.status in (RoundStatus.CLOSED, RoundStatus.CANCELLED)

    @property
    def mail_group(self) -> str:
        """The outbox group of this round's client mail, erased when the round closes."""
        return f"round:{self.id}"

    def deadline_passed(self, now: datetime, zone: tzinfo) -> bool:
        """Whether the last day to answer is over, in the time zone deadlines are days in."""
        return self.deadline is not None and now.astimezone(zone).date() > self.deadline

    def accepts_answers(self, now: datetime, zone: tzinfo) -> bool:
        """Whether clients can answer, be invited and be reminded now."""
        return self.is_open and not self.deadline_passed(now, zone)

    def can_open(self, now: datetime, zone: tzinfo) -> Refusal | None:
        """Why the round cannot open now, or None when it can."""
        if self.status is not RoundStatus.DRAFT:
            return Refusal.NOT_A_DRAFT
        if self.deadline_passed(now, zone):
            return Refusal.DEADLINE_PASSED
        return None

    def can_close(self) -> Refusal | None:
        """Why the round cannot close, or None when it can."""
        if self.status is not RoundStatus.OPEN:
            return Refusal.NOT_OPEN
        if not self.self_completed:
            return Refusal.SELF_ASSESSMENT_INCOMPLETE
        return None

    def can_edit(self) -> Refusal | None:
        """Why the title and message cannot change, or None when they can."""
        return Refusal.FINISHED if self.is_finished else None

    def can_extend(self, new_deadline: date | None = None) -> Refusal | None:
        """Why the deadline cannot move to `new_deadline` (or at all), or None."""
        if self.status is not RoundStatus.OPEN:
            return Refusal.NOT_OPEN
        if self.deadline is None:
            return Refusal.NO_DEADLINE
        if new_deadline is not None and new_deadline <= self.deadline:
            return Refusal.NOT_LATER
        return None

    def can_cancel(self) -> Refusal | None:
        """Why the round cannot be cancelled, or None when it can."""
        return Refusal.FINISHED if self.is_finished else None

    def reminder_day(self) -> date | None:
        """The day the automatic reminder is due, or None when there is none."""
        if not self.auto_reminder or self.deadline is None:
            return None
        return self.deadline - timedelta(days=AUTO_REMINDER_DAYS)

    def extend(self, new_deadline: date) -> None:
        """Move the deadline later; the automatic reminder and the advisor's notice follow."""
        if refusal := self.can_extend(new_deadline):
            raise IllegalTransition(refusal)
        self.deadline = new_deadline
        self.auto_reminder_sent = False
        self.deadline_notice_sent = False

    def cancel(self, now: datetime) -> None:
        """End the round without a report; the caller erases what it collected."""
        if refusal := self.can_cancel():
            raise IllegalTransition(refusal)
        self.status = RoundStatus.CANCELLED
        self.cancelled_at = now

    def open(self, now: datetime, zone: tzinfo) -> None:
        """Start inviting clients; the instrument version is fixed from now on."""
        if refusal := self.can_open(now, zone):
            raise IllegalTransition(refusal)
        self.status = RoundStatus.OPEN
        self.opened_at = now

    def close(self, now: datetime) -> None:
        """End the round for good; needs a complete self-assessment."""
        if refusal := self.can_close():
            raise IllegalTransition(refusal)
        self.status = RoundStatus.CLOSED
        self.closed_at = now


def new_session_key() -> str:
    """An unguessable key for one invitation's survey sessions."""
    return secrets.token_urlsafe(32)


class InvitationStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Invitation(db.Model):
    """A client's personal link to one round's survey, while the round is open.

    It knows whether it has been used, never when, and nothing points from it to the
    response it produced. A submit keeps the final answers here until they move, with
    those of at least the round's minimum of other clients, into the response table
    (see services.ballots). Closing the round deletes it, keeping only counts.
    """

    __tablename__ = "invitation"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    # Name and address are erased when the round closes.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[InvitationStatus] = mapped_column(
        _enum(InvitationStatus), default=InvitationStatus.ACTIVE
    )
    used: Mapped[bool] = mapped_column(default=False)
    # Answers saved before submitting; deleted at submit.
    draft: Mapped[Answers | None] = mapped_column(JSON)
    # The submitted answers, until they move unlinked into the response table.
    submitted_answers: Mapped[Answers | None] = mapped_column(JSON(none_as_null=True))
    reminders_sent: Mapped[int] = mapped_column(default=0)
    # The language of this client's mail, when the advisor chose another than the round's.
    language: Mapped[str | None] = mapped_column(String(5))
    # What the client's survey cookie carries: random, and gone with the invitation, so a
    # cookie can never open another invitation (a row id could, once SQLite reused it).
    session_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_key)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))

    feedback_round: Mapped[FeedbackRound] = relationship(back_populates="invitations")
    message: Mapped[OutboxMessage | None] = relationship()
    links: Mapped[list["InvitationLink"]] = relationship(back_populates="invitation")

    def __repr__(self) -> str:
        return f"<Invitation {self.id}>"

    @property
    def withdrawn(self) -> bool:
        return self.status is InvitationStatus.WITHDRAWN

    @property
    def mail_language(self) -> str:
        """The language this client's mail goes out in."""
        return self.language or self.feedback_round.language


class InvitationLink(db.Model):
    """One personal link of an invitation: the invitation mail and each reminder carry
    their own, and every link of an active invitation works."""

    __tablename__ = "invitation_link"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    # SHA-256 of the link's token; the token itself is only ever in the client's e-mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    invitation: Mapped[Invitation] = relationship(back_populates="links")


class Response(db.Model):
    """One client's submitted answers.

    Deliberately bare: a random key, the round, the answers. No timestamp, no reference
    to the invitation, its token or its address, so nothing stored links a response to a
    client. On SQLite the table has no rowid, so not even insertion order is kept.
    """

    __tablename__ = "response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    answers: Mapped[Answers] = mapped_column(JSON)
