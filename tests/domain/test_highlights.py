"""Statements read as worded, what to look at first, and where a trust quotient can lie.

On the worked example (support.SCENARIO, mini instrument, minimum 3): a2 and c1 are not
published; d1 is a self-orientation statement (agreeing is unfavourable), d2 a reversed
self-orientation statement (agreeing is favourable), a2 a reversed credibility one.
"""

import math

import pytest

from pib360.domain.aggregation import compare
from pib360.domain.highlights import as_worded, highlights
from pib360.domain.instrument import trust_quotient_scale

approx = pytest.approx


def test_figures_beside_a_statement_are_agreement_as_worded(mini, scenario):
    worded = as_worded(compare(scenario, mini), mini)
    # d2 was answered 3 by the advisor and 4, 5, 3 by the clients: as worded, 3 and 4,
    # though as scored (reversed) they are 5 and 4.
    assert worded.loc["d2", ["self", "clients", "gap"]].tolist() == approx([3, 4, 1])
    assert worded.loc["d1", ["self", "clients"]].tolist() == approx([1, 4])  # not reversed
    assert worded.loc["a2", "self"] == 2 and math.isnan(worded.loc["a2", "clients"])
    # The interval turns around with the statement: as scored, d2's is 4 +- 1.69.
    assert worded.loc["d2", "clients_ci_low"] < 4 < worded.loc["d2", "clients_ci_high"]


def test_each_statement_says_which_way_is_favourable(mini, scenario):
    favourable = as_worded(compare(scenario, mini), mini)["higher_is_better"].to_dict()
    assert favourable == {"a1": True, "a2": False, "b1": True, "c1": True,
                          "d1": False, "d2": True, "e1": True}


def test_strengths_and_development_points_by_the_clients_own_scores(mini, scenario):
    result = highlights(compare(scenario, mini), mini)
    # Favourable client scores: a1 4, b1 5, d1 8 - 4 = 4, d2 8 - 4 = 4, e1 5 (a2, c1 hidden).
    assert result.strengths == ["b1", "e1", "a1"]
    assert result.development == ["d1", "d2"]  # a1 is a strength already
    assert (result.blind_spot, result.hidden_strength) == ("d1", "b1")


def test_no_highlights_without_client_figures(mini, answers):
    report = compare(answers({"me": {"a1": 5}, "c1": {"a1": 4}}), mini)
    result = highlights(report, mini)
    assert result.strengths == result.development == []
    assert result.blind_spot is None and result.hidden_strength is None


def test_the_trust_quotient_runs_from_three_sevenths_to_twenty_one(instrument):
    scale = trust_quotient_scale(instrument)  # a 1..7 scale
    assert (scale.lowest, scale.balanced, scale.highest) == approx((3 / 7, 3, 21))


def test_answer_distributions_as_answered_for_published_items_only(mini, scenario):
    distributions = compare(scenario, mini).distributions
    assert distributions.loc["d2"].tolist() == [0, 0, 1, 1, 1, 0, 0, 0]  # 3, 4, 5
    assert distributions.loc["a2"].isna().all()  # two clients: not shown
    assert list(distributions.columns) == [1, 2, 3, 4, 5, 6, 7, "cannot_judge"]
