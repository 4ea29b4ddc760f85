"""How sure a client figure is: confidence intervals for means and for the change between
two rounds, from the mean, standard deviation and number of clients.

Every interval is two-sided at 90%, on the t-distribution: a mean of n clients with
standard deviation sd lies within mean +- t(0.95, n - 1) * sd / sqrt(n). A change between
two rounds is Welch's: the difference of the means +- t(0.95, df) * sqrt(sd1^2/n1 +
sd2^2/n2), with the Welch-Satterthwaite degrees of freedom. A change is "beyond the noise"
when its interval does not include 0; a gap is "within the uncertainty" when the clients'
interval includes the advisor's own score.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

LEVEL = 0.90


def mean_interval(mean, sd, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the `level` interval of a mean; NaN below two clients."""
    mean, sd, n = (np.asarray(x, dtype=float) for x in (mean, sd, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return mean - half, mean + half


def change_interval(before_mean, before_sd, before_n, after_mean, after_sd, after_n,
                    level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The change after - before, and the bounds of its `level` interval (Welch)."""
    values = [np.asarray(x, dtype=float)
              for x in (before_mean, before_sd, before_n, after_mean, after_sd, after_n)]
    m1, s1, n1, m2, s2, n2 = values
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = s1**2 / n1, s2**2 / n2
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        half = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(v1 + v2)
    half = np.where(v1 + v2 == 0, 0.0, half)  # every client alike, both times: no doubt
    half = np.where((n1 >= 2) & (n2 >= 2), half, np.nan)
    change = m2 - m1
    return change, change - half, change + half


def beyond_noise(low, high) -> np.ndarray:
    """Whether an interval of a change lies wholly on one side of 0."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return (low > 0) | (high < 0)
