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
- `quantiles(values, min_advisors)`: the stored quantiles of one measure, or None.
What a report reads of the stored norm (`NormBase`, `position`, `placements`) is in
`norm_base`, without pandas or numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pib360.domain import _scoring
from pib360.domain.aggregation import CohortReport
from pib360.domain.instrument import DIMENSIONS
from pib360.domain.norm_base import LEVELS
from pib360.domain.versions import NORM_FLOOR

__all__ = ["NORM_FLOOR", "advisor_figures", "check_min_advisors", "quantiles"]

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
