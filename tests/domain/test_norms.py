"""The norm's quantiles and percentiles (domain.norms), without an app."""

import numpy as np
import pytest

from pib360.domain.norm_base import LEVELS, Norm, NormBase, position
from pib360.domain.norms import quantiles


def test_no_quantiles_below_the_minimum_of_advisors():
    values = np.r_[np.arange(19.0), np.nan, np.nan]  # 19 advisors with a figure
    assert quantiles(values, 20) is None
    assert len(quantiles(np.arange(20.0), 20)) == len(LEVELS)


@pytest.mark.parametrize("minimum", [19, 0, 20.0, True])
def test_a_minimum_below_the_floor_or_not_whole_is_refused(minimum):
    with pytest.raises(ValueError, match="minimum of advisors"):
        quantiles(np.arange(40.0), minimum)


def test_no_stored_quantile_depends_on_the_lowest_or_highest_advisor():
    rng = np.random.default_rng(11)
    for size in (20, 21, 33, 100):
        values = np.sort(rng.normal(5, 1, size))
        moved = values.copy()
        moved[0], moved[-1] = values[0] - 10, values[-1] + 10
        assert quantiles(moved, 20) == quantiles(values, 20)


def test_position_interpolates_and_says_when_a_value_lies_beyond():
    stored = quantiles(np.arange(1.0, 101.0), 20)  # 1..100: the p-th quantile is ~p
    assert position(50.5, stored).percentile == 50
    assert position(1.0, stored).beyond == "below"
    assert position(100.0, stored).beyond == "above"
    assert position(float("nan"), stored) is None
    flat = tuple([3.0] * len(LEVELS))  # most advisors share one figure
    assert position(3.0, flat).percentile == 50


def test_the_norm_base_is_shown_only_from_its_minimum():
    norm = Norm("trust_quotient", 25, tuple(range(len(LEVELS))))
    assert NormBase("pib", "1", 30, norms={"trust_quotient": norm}).shown("trust_quotient") is None
    assert NormBase("pib", "1", 30, norms={"trust_quotient": norm}).shortfall == 5
    assert NormBase("pib", "1", 25, norms={"trust_quotient": norm}).shown("trust_quotient")
