"""Stored norms: quantiles of the advisors' client figures per instrument version."""

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pib360.extensions import db
from pib360.models.types import UTCDateTime, utcnow


class NormFigure(db.Model):
    """One measure's norm (e.g. "trust_quotient") for one instrument version.

    `quantiles` holds the quantiles at `domain.norms.LEVELS`, or None while fewer than
    `min_advisors` advisors have a figure; `advisors` counts them either way. Rows are
    replaced by `services.norms.recompute_norms`, never edited by a request.
    """

    __tablename__ = "norm_figure"
    __table_args__ = (
        UniqueConstraint("instrument_id", "instrument_version", "measure"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(50))
    instrument_version: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(30))
    advisors: Mapped[int]
    min_advisors: Mapped[int]
    quantiles: Mapped[list[float] | None] = mapped_column(JSON(none_as_null=True))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
