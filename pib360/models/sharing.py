"""Sharing reports with coaches, and the cohorts (groups of advisors) coaches guide."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pib360.extensions import db
from pib360.models.accounts import User
from pib360.models.types import UTCDateTime, utcnow


class Share(db.Model):
    """An advisor lets a coach read their reports, until the advisor revokes it.

    Revoking deletes the row, so every access check, which looks the row up, fails at once.
    """

    __tablename__ = "share"
    __table_args__ = (UniqueConstraint("advisor_id", "coach_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    advisor: Mapped[User] = relationship(foreign_keys=[advisor_id])
    coach: Mapped[User] = relationship(foreign_keys=[coach_id])

    def __repr__(self) -> str:
        return f"<Share {self.advisor_id} -> {self.coach_id}>"


class Cohort(db.Model):
    """A named group of advisors that one coach guides, e.g. a programme intake."""

    __tablename__ = "cohort"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coach: Mapped[User] = relationship()
    members: Mapped[list["CohortMember"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )
    invitations: Mapped[list["CohortInvitation"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortInvitation.id"
    )

    def __repr__(self) -> str:
        return f"<Cohort {self.id}>"


class CohortMember(db.Model):
    """An advisor in a cohort; joining also shares their reports with the cohort's coach."""

    __tablename__ = "cohort_member"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    advisor: Mapped[User] = relationship()


class CohortInvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"


class CohortInvitation(db.Model):
    """An e-mailed link that lets one advisor join a cohort, once."""

    __tablename__ = "cohort_invitation"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # SHA-256 of the link's token; the token itself is only ever in the e-mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[CohortInvitationStatus] = mapped_column(
        Enum(CohortInvitationStatus, native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]),
        default=CohortInvitationStatus.PENDING,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="invitations")

    def __init__(self, **fields) -> None:
        # Column defaults apply only at INSERT; a new invitation is pending right away.
        fields.setdefault("status", CohortInvitationStatus.PENDING)
        super().__init__(**fields)

    @property
    def pending(self) -> bool:
        return self.status is CohortInvitationStatus.PENDING

    def accept(self) -> None:
        """Use the invitation; a used link does not work again."""
        if not self.pending:
            raise ValueError("this invitation has been used already")
        self.status = CohortInvitationStatus.ACCEPTED
