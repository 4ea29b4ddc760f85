"""trend_frame: an advisor's rounds, oldest first, and each dimension's change and whether
it lies beyond the noise (Welch's 90% interval of the difference, as worked out in
test_uncertainty.py)."""

import datetime
import math

import numpy as np
import pytest

from pib360.domain.aggregation import compare
from pib360.domain.trend import TREND_COLUMNS, trend_frame
from tests.domain.support import make_answers

SPRING, AUTUMN, WINTER = (datetime.date(2026, 4, 1), datetime.date(2026, 10, 1),
                          datetime.date(2027, 1, 10))


def round_of(mini, reliability: list[float]):
    """A round on the mini instrument whose clients score reliability (b1) as given."""
    answers = {"me": {"a1": 5, "b1": 5, "c1": 5, "d1": 3}}
    for number, value in enumerate(reliability):
        answers[f"c{number}"] = {"a1": 5, "b1": value, "c1": 5, "d1": 3}
    return compare(make_answers(answers), mini)


def test_rounds_oldest_first_with_their_figures(mini):
    later, earlier = round_of(mini, [6, 6, 7]), round_of(mini, [4, 5, 3])
    frame = trend_frame([("Autumn", AUTUMN, later), ("Spring", SPRING, earlier)])
    assert list(frame.columns) == list(TREND_COLUMNS)
    assert list(frame.index) == ["Spring", "Autumn"] and frame.index.name == "round"
    assert frame.loc["Spring", "reliability_clients"] == 4
    assert frame.loc["Spring", "reliability_clients_n"] == 3
    assert frame.loc["Autumn", "tq_self"] == pytest.approx((5 + 5 + 5) / 3)
    with pytest.raises(ValueError, match="own label"):
        trend_frame([("A", SPRING, later), ("A", AUTUMN, later)])


def test_a_change_beyond_the_noise_and_one_within_it(mini):
    # Reliability: 4, 5, 3 (mean 4, sd 1) -> 6, 6, 7 (mean 6.333, sd 0.577): Welch's 90%
    # interval of +2.333 is about +0.9 to +3.8, beyond the noise. Credibility stays 5: a
    # change of 0 with no spread either time, within the noise.
    frame = trend_frame([("Spring", SPRING, round_of(mini, [4, 5, 3])),
                         ("Autumn", AUTUMN, round_of(mini, [6, 6, 7]))])
    autumn = frame.loc["Autumn"]
    assert autumn["reliability_change"] == pytest.approx(7 / 3)
    assert 0 < autumn["reliability_change_low"] < autumn["reliability_change_high"]
    assert autumn["reliability_beyond_noise"]
    assert autumn["credibility_change"] == 0 and not autumn["credibility_beyond_noise"]
    assert math.isnan(frame.loc["Spring", "reliability_change"])  # nothing before it


def test_a_round_without_client_figures_is_skipped_for_the_change(mini):
    hidden = round_of(mini, [5, 6])  # two clients: nothing shown
    frame = trend_frame([("Spring", SPRING, round_of(mini, [4, 5, 3])),
                         ("Autumn", AUTUMN, hidden),
                         ("Winter", WINTER, round_of(mini, [6, 6, 7]))])
    assert np.isnan(frame.loc["Autumn", "reliability_clients"])
    assert not frame.loc["Autumn", "reliability_beyond_noise"]
    assert frame.loc["Winter", "reliability_change"] == pytest.approx(7 / 3)  # against Spring


def test_no_rounds_no_rows(mini):
    assert trend_frame([]).empty
