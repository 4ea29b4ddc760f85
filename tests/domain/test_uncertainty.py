"""90% intervals of client means and of changes between rounds, worked out by hand."""

import math

import numpy as np
import pytest
from scipy import stats

from pib360.domain.aggregation import compare
from pib360.domain.uncertainty import beyond_noise, change_interval, mean_interval

approx = pytest.approx
T_2 = 2.919986  # t(0.95) with 2 degrees of freedom, from a printed table


def test_the_interval_of_three_clients_by_hand():
    # Clients 5, 6, 4: mean 5, sd 1; half-width 2.919986 x 1 / sqrt(3) = 1.685857.
    low, high = mean_interval(5.0, 1.0, 3)
    assert (float(low), float(high)) == approx((5 - T_2 / math.sqrt(3), 5 + T_2 / math.sqrt(3)),
                                               abs=1e-5)


def test_the_interval_agrees_with_scipy_on_random_samples():
    rng = np.random.default_rng(7)
    for size in (2, 3, 8, 40):
        sample = rng.integers(1, 8, size).astype(float)
        expected = stats.t.interval(0.90, size - 1, loc=sample.mean(), scale=stats.sem(sample))
        low, high = mean_interval(sample.mean(), sample.std(ddof=1), size)
        assert (float(low), float(high)) == approx(expected)


def test_one_client_has_no_interval():
    low, high = mean_interval(5.0, np.nan, 1)
    assert math.isnan(low) and math.isnan(high)


def test_report_tables_carry_the_interval_of_each_client_mean(mini, scenario):
    reliability = compare(scenario, mini).dimensions.loc["reliability"]  # clients 5, 6, 4
    half = T_2 / math.sqrt(3)
    assert reliability["clients_ci_low"] == approx(5 - half, abs=1e-5)
    assert reliability["clients_ci_high"] == approx(5 + half, abs=1e-5)
    intimacy = compare(scenario, mini).dimensions.loc["intimacy"]  # suppressed
    assert math.isnan(intimacy["clients_ci_low"]) and math.isnan(intimacy["clients_ci_high"])


def test_a_change_by_welch_by_hand():
    # Before: 3 clients, mean 4, sd 1; after: 3 clients, mean 6, sd 1.
    # se = sqrt(1/3 + 1/3) = 0.816497; df = (2/3)^2 / (2 x (1/3)^2 / 2) = 4;
    # t(0.95, 4) = 2.131847; half-width 1.740644.
    change, low, high = change_interval(4, 1, 3, 6, 1, 3)
    assert float(change) == 2
    assert (float(low), float(high)) == approx((2 - 1.740644, 2 + 1.740644), abs=1e-5)
    assert bool(beyond_noise(low, high))


def test_a_change_within_the_noise():
    change, low, high = change_interval(4, 1.5, 3, 4.5, 1.5, 3)
    assert low < 0 < high and not bool(beyond_noise(low, high))


def test_welch_agrees_with_scipy():
    rng = np.random.default_rng(11)
    before, after = rng.normal(4, 1, 6), rng.normal(5, 1.4, 9)
    result = stats.ttest_ind(after, before, equal_var=False)
    expected = result.confidence_interval(0.90)
    _change, low, high = change_interval(before.mean(), before.std(ddof=1), 6,
                                         after.mean(), after.std(ddof=1), 9)
    assert (float(low), float(high)) == approx((expected.low, expected.high))
