"""Rendered report files of closed rounds, kept so each is rendered only once."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pib360.extensions import db
from pib360.models.types import UTCDateTime, utcnow


class ReportFile(db.Model):
    """A chart or document of a closed round, e.g. ("dimensions.svg", "nl", "1.0").

    A closed round never changes, so its files go stale only when the advisor changes
    their name, which deletes them (`accounts.update_profile`); the instrument version is
    part of the key because it decides what the file shows. Shared by every worker.
    """

    __tablename__ = "report_file"
    __table_args__ = (
        UniqueConstraint("round_id", "name", "locale", "instrument_version"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"))
    name: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5))
    instrument_version: Mapped[str] = mapped_column(String(20))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
