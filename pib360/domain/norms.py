"""Installation-wide norms: where an advisor's client figures stand among other advisors'.

The norm base of an instrument version is one row of client figures (the trust quotient
and the four dimensions) per advisor, from their latest closed round, computed by the
report's own rules (`aggregation.cohort`: published cells only, small cells hidden). Only
quantiles of it are kept, and only from `LEVELS`: the 10th to the 90th percentile in
steps of 5. With at least `NORM_FLOOR` advisors each of those is interpolated between two
advisors who are neither the lowest nor the highest, so no stored figure depends on the
most extreme advisor at either end.

Public names:
- `advisor_figures(cohort_report)`: advisors x MEASURES, NaN where not published;
- `quantiles(values, min_advisors)`: the stored quantiles of one measure, or None;
- `position(value, quantiles)`: the percentile of a value on a stored norm (`Position`);
- `NormBase` / `Norm`: what the report reads; `placements(base, report_figures(report))`:
  each measure of a report on its norm (`Placement`).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pib360.domain import _scoring
from pib360.domain.aggregation import CohortReport, GapReport
from pib360.domain.instrument import DIMENSIONS
from pib360.domain.versions import NORM_FLOOR

__all__ = ["LEVELS", "MEASURES", "NORM_FLOOR", "Norm", "NormBase", "Placement", "Position",
           "advisor_figures", "placements", "position", "quantiles", "report_figures"]

MEASURES = ("trust_quotient", *DIMENSIONS)
# Percent levels of the stored quantiles. Never 0-5 or 95-100: those would rest on the
# lowest or highest advisor alone.
LEVELS = tuple(range(10, 91, 5))
DEFAULT_MIN_ADVISORS = 30


def advisor_figures(report: CohortReport) -> pd.DataFrame:
    """Per advisor, the clients' trust quotient and dimension means (NaN where hidden)."""
    clients = report.advisors["clients"].unstack("dimension").reindex(columns=list(DIMENSIONS))
    figures = clients.copy()
    figures.insert(0, "trust_quotient", _scoring.trust_quotient(clients.to_numpy(np.float64)))
    figures.columns.name = "measure"
    return figures


def quantiles(values, min_advisors: int) -> tuple[float, ...] | None:
    """The quantiles at `LEVELS` of the advisors' figures (NaN left out), or None when
    fewer than `min_advisors` (never fewer than NORM_FLOOR) advisors have one."""
    check_min_advisors(min_advisors)
    known = np.asarray(values, dtype=np.float64)
    known = known[~np.isnan(known)]
    if len(known) < min_advisors:
        return None
    # Linear interpolation between order statistics ("type 7", numpy's default).
    return tuple(float(q) for q in np.quantile(known, np.array(LEVELS) / 100))


def check_min_advisors(min_advisors) -> None:
    """Refuse a threshold below the floor, or one that is not a whole number."""
    if isinstance(min_advisors, bool) or not isinstance(min_advisors, int):
        raise ValueError(f"the norm's minimum of advisors must be a whole number, "
                         f"not {min_advisors!r}")
    if min_advisors < NORM_FLOOR:
        raise ValueError(f"the norm's minimum of advisors must be at least {NORM_FLOOR}, "
                         f"not {min_advisors}")


@dataclass(frozen=True)
class Position:
    """Where a value stands on a norm: its percentile, or beyond the stored range."""

    percentile: int  # LEVELS[0] or LEVELS[-1] when beyond
    beyond: str | None = None  # "below" the lowest stored level, "above" the highest


def position(value: float, stored: tuple[float, ...]) -> Position | None:
    """The percentile of `value` among the norm's advisors (linear between quantiles)."""
    if value is None or math.isnan(value):
        return None
    q = np.asarray(stored, dtype=np.float64)
    levels = np.asarray(LEVELS, dtype=np.float64)
    if value < q[0] and not math.isclose(value, q[0]):
        return Position(LEVELS[0], "below")
    if value > q[-1] and not math.isclose(value, q[-1]):
        return Position(LEVELS[-1], "above")
    equal = np.isclose(q, value)
    if equal.any():  # several levels share a value: the middle of them
        return Position(round(float(levels[equal].mean())))
    i = int(np.searchsorted(q, value))
    step = levels[i] - levels[i - 1]
    return Position(round(float(levels[i - 1] + (value - q[i - 1]) / (q[i] - q[i - 1]) * step)))


@dataclass(frozen=True)
class Norm:
    """One measure's norm: how many advisors have a figure, and its quantiles if enough."""

    measure: str
    advisors: int
    quantiles: tuple[float, ...] | None

    def at(self, level: int) -> float:
        """The stored quantile at a percent level of LEVELS."""
        return self.quantiles[LEVELS.index(level)]


@dataclass(frozen=True)
class NormBase:
    """The stored norms of one instrument version, as the report reads them."""

    instrument_id: str
    instrument_version: str
    min_advisors: int
    computed_at: datetime.datetime | None = None
    norms: dict[str, Norm] = field(default_factory=dict)

    def shown(self, measure: str) -> Norm | None:
        """The measure's norm if it rests on at least `min_advisors` advisors."""
        norm = self.norms.get(measure)
        if norm is None or norm.quantiles is None or norm.advisors < self.min_advisors:
            return None
        return norm

    @property
    def advisors(self) -> int:
        """The size of the norm base: advisors with a figure for the most measures."""
        return max((norm.advisors for norm in self.norms.values()), default=0)

    @property
    def shortfall(self) -> int:
        """How many more advisors with figures the norm needs before it is shown."""
        return max(self.min_advisors - self.advisors, 0)

    @property
    def stamp(self) -> str:
        """Identifies this computation, for keys of files that show it."""
        computed = self.computed_at.isoformat() if self.computed_at else "none"
        return f"{computed}:{self.min_advisors}"


@dataclass(frozen=True)
class Placement:
    """One measure of a report on its norm: the figure, its percentile and the norm."""

    measure: str
    value: float
    norm: Norm | None  # None: too few advisors for this measure
    position: Position | None  # None: no norm, or no figure to place

    @property
    def lower_is_better(self) -> bool:
        return self.measure == "self_orientation"


def placements(base: NormBase, figures: dict[str, float]) -> list[Placement]:
    """Each measure's figure (trust quotient and dimensions) placed on the norm."""
    result = []
    for measure in MEASURES:
        norm, value = base.shown(measure), float(figures.get(measure, float("nan")))
        result.append(Placement(measure, value, norm,
                                position(value, norm.quantiles) if norm else None))
    return result


def report_figures(gap_report: GapReport) -> dict[str, float]:
    """The client figures of one report that the norm compares."""
    figures = {"trust_quotient": float(gap_report.trust_quotient["clients"])}
    figures |= {dim: float(value) for dim, value in gap_report.dimensions["clients"].items()}
    return figures
