"""The stored norms, as reports read them (`services.norms` writes them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from pib360.extensions import db
from pib360.models import NormFigure

if TYPE_CHECKING:
    from pib360.domain.norm_base import NormBase


def min_advisors() -> int:
    """The configured threshold (create_app has checked it against the floor)."""
    return int(current_app.config["PIB360_NORM_MIN_ADVISORS"])


def norm_base(instrument_id: str, version: str) -> NormBase:
    """The stored norm of an instrument version (empty when never computed)."""
    from pib360.domain.norm_base import Norm, NormBase

    rows = db.session.execute(db.select(NormFigure).filter_by(
        instrument_id=instrument_id, instrument_version=version)).scalars().all()
    return NormBase(
        instrument_id=instrument_id, instrument_version=version, min_advisors=min_advisors(),
        computed_at=max((row.computed_at for row in rows), default=None),
        norms={row.measure: Norm(row.measure, row.advisors,
                                 tuple(row.quantiles) if row.quantiles else None)
               for row in rows},
    )
