"""The mail outbox: every message is a row before it is an e-mail."""

import enum
from datetime import datetime

from sqlalchemy import Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pib360.extensions import db
from pib360.models.types import UTCDateTime, utcnow


class MailStatus(enum.StrEnum):
    """Where a message is on its way out."""

    QUEUED = "queued"
    SENDING = "sending"  # claimed by one deliverer, until its lease runs out
    SENT = "sent"
    FAILED = "failed"  # the last attempt failed; another follows at next_attempt_at
    UNDELIVERABLE = "undeliverable"  # gave up after the last allowed attempt


class OutboxMessage(db.Model):
    """One e-mail to one recipient, queued in the transaction that caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None once erased (a closed round erases its clients' addresses).
    recipient: Mapped[str | None] = mapped_column(String(254))
    # The display name of the From header ("Anna Jansen via pib360"); the address stays
    # the platform's own. None: the configured sender as it is.
    sender_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Bodies carrying a secret (a survey link) are wiped once sent: only the recipient
    # should ever hold the token.
    secret: Mapped[bool] = mapped_column(default=False)
    # Messages of one round's clients ("round:<id>"), so the round can erase their
    # addresses when it closes.
    group: Mapped[str | None] = mapped_column(String(40), index=True)
    status: Mapped[MailStatus] = mapped_column(
        Enum(
            MailStatus, native_enum=False, length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=MailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status.value}>"

    @property
    def delivered(self) -> bool:
        return self.status is MailStatus.SENT

    @property
    def failed(self) -> bool:
        """The last attempt failed (it may still be retried)."""
        return self.status in (MailStatus.FAILED, MailStatus.UNDELIVERABLE)
