"""Instruments an admin installed, and which instrument new rounds use."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pib360.extensions import db
from pib360.models.types import UTCDateTime, utcnow


class InstalledInstrument(db.Model):
    """An uploaded instrument file, kept as uploaded; published, so never changed.

    The shipped files are not stored here: `services.instruments` finds both.
    """

    __tablename__ = "installed_instrument"
    __table_args__ = (UniqueConstraint("instrument_id", "version"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(50))
    version: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)  # the TOML text
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    installed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))


class DefaultInstrument(db.Model):
    """One choice of the instrument new rounds use; the latest choice holds.

    Kept as a history rather than one flag, so that a choice is one insert (no two rows
    can both claim to be the default) and the shipped instrument is chosen the same way.
    """

    __tablename__ = "default_instrument"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(50))
    version: Mapped[str] = mapped_column(String(20))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
