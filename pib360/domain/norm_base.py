"""The stored norm as a report reads it: where a figure stands among other advisors'.

Plain Python, no numbers library, so that a report page placing its figures on the norm
loads neither pandas nor numpy (`norms` computes what is stored, with them).

Public names: MEASURES, LEVELS; `Norm` and `NormBase` (the stored quantiles of an
instrument version); `position(value, quantiles)` -> `Position`;
`placements(base, report_figures(report))`: each measure of a report on its norm
(`Placement`).
"""

from __future__ import annotations

import bisect
import datetime
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pib360.domain.instrument import DIMENSIONS

if TYPE_CHECKING:
    from pib360.domain.aggregation import GapReport

MEASURES = ("trust_quotient", *DIMENSIONS)
# Percent levels of the stored quantiles. Never 0-5 or 95-100: those would rest on the
# lowest or highest advisor alone.
LEVELS = tuple(range(10, 91, 5))


@dataclass(frozen=True)
class Position:
    """Where a value stands on a norm: its percentile, or beyond the stored range."""

    percentile: int  # LEVELS[0] or LEVELS[-1] when beyond
    beyond: str | None = None  # "below" the lowest stored level, "above" the highest


def position(value: float, stored: tuple[float, ...]) -> Position | None:
    """The percentile of `value` among the norm's advisors (linear between quantiles)."""
    if value is None or math.isnan(value):
        return None
    if value < stored[0] and not math.isclose(value, stored[0]):
        return Position(LEVELS[0], "below")
    if value > stored[-1] and not math.isclose(value, stored[-1]):
        return Position(LEVELS[-1], "above")
    # Several levels may share a value: the middle of them.
    equal = [level for level, q in zip(LEVELS, stored, strict=True) if _close(q, value)]
    if equal:
        return Position(round(sum(equal) / len(equal)))
    i = bisect.bisect_left(stored, value)
    step = LEVELS[i] - LEVELS[i - 1]
    return Position(round(LEVELS[i - 1] + (value - stored[i - 1]) / (stored[i] - stored[i - 1])
                          * step))


def _close(stored: float, value: float) -> bool:
    """Equal as numpy's isclose has it (relative 1e-5, absolute 1e-8)."""
    return abs(value - stored) <= 1e-08 + 1e-05 * abs(value)


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
