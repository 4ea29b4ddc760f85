"""Focus points: where to start, and what a later round says changed.

On the worked example (support.SCENARIO, mini instrument, minimum 3), the clients'
published scores are: credibility 4 (a1 only), reliability 5, intimacy hidden (c1 has two
answers), self-orientation 4 (d1 4, 3, 5 and d2 as scored 4, 3, 5); roles expert 4,
expert+ 5, valued helper hidden, trusted advisor 5 (e1).
"""

import math

import pytest

from pib360.domain.aggregation import compare
from pib360.domain.focus import focus_progress, suggestions, weakest
from tests.domain.support import SCENARIO

approx = pytest.approx


def later(changes: dict[str, tuple[float, float, float]]) -> dict:
    """The scenario with the three clients' answers to some items replaced."""
    responses = {who: dict(answers) for who, answers in SCENARIO.items()}
    for item, values in changes.items():
        for who, value in zip(("c1", "c2", "c3"), values, strict=True):
            responses[who][item] = value
    return responses


def test_the_weakest_dimension_is_the_furthest_from_its_best(mini, answers):
    # Credibility 4 lies 3 below the top (7); self-orientation 4 lies 3 above the bottom
    # (1): a tie, which the instrument's order settles. With d1 answered 6 by all three,
    # self-orientation is (6 + 4) / 2, (6 + 3) / 2, (6 + 5) / 2 = 5 on average: the weakest.
    report = compare(answers(SCENARIO), mini)
    assert weakest(report, mini) == ("credibility", "expert")
    worse = compare(answers(later({"d1": (6, 6, 6)})), mini)
    assert weakest(worse, mini)[0] == "self_orientation"


def test_suggestions_start_with_the_weakest_then_statements_without_repeats(mini, scenario):
    found = suggestions(compare(scenario, mini), mini)
    # Development points by favourable score: d1 (8 - 4 = 4), d2 (4); a1 (4) is a
    # strength already; d1 is the largest blind spot too, so it comes once.
    assert found == [("dimension", "credibility"), ("role", "expert"), ("item", "d1"),
                     ("item", "d2")]


def test_progress_then_and_now_with_welchs_interval(mini, answers, scenario):
    # a1: clients 4, 5, 3 then 6, 7, 5: change 2, standard error sqrt(1/3 + 1/3) = 0.816,
    # df 4, t(0.95, 4) = 2.132: 2 +- 1.741, so 0.26 to 3.74, beyond the noise, better.
    # d1 (lower is better) 4, 3, 5 then 6, 5, 7: the same change, the wrong way.
    after = compare(answers(later({"a1": (6, 7, 5), "d1": (6, 5, 7)})), mini)
    rows = focus_progress([("item", "a1"), ("item", "d1"), ("dimension", "credibility"),
                           ("role", "valued_helper")], compare(scenario, mini), after, mini)
    a1, d1, credibility, helper = rows.to_dict("records")
    assert (a1["before"], a1["after"], a1["change"]) == approx((4, 6, 2))
    assert (a1["change_low"], a1["change_high"]) == approx((0.259, 3.741), abs=1e-3)
    assert a1["beyond_noise"] and a1["improved"] and a1["higher_is_better"]
    assert d1["beyond_noise"] and not d1["improved"] and not d1["higher_is_better"]
    assert credibility["change"] == approx(2) and credibility["improved"]
    # Not published in either round: no figure, no verdict.
    assert math.isnan(helper["before"]) and not helper["beyond_noise"]
    assert not helper["improved"]


def test_an_unknown_kind_of_focus_point_is_refused(mini, scenario):
    report = compare(scenario, mini)
    with pytest.raises(ValueError, match="unknown kind"):
        focus_progress([("theme", "x")], report, report, mini)
