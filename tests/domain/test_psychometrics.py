"""scale_reliability() and item_statistics(): against pingouin, by hand, and at the edges.

The hand-computed case, on data/hand.toml (1..5; h3 reverse-scored, so answer v scores
6 - v). Five clients p1..p5 and a self-assessment "me", which the client figures ignore:

    score  h1  h2  h3 (answer)  total   r1  t1
    p1      1   2   1  (5)        4      3   4
    p2      2   2   2  (4)        6      3   5
    p3      3   4   2  (4)        9      4   -  (no row)
    p4      4   4   3  (3)       11      2   -  (no row)
    p5      5   -   5  (1)        -      5   -  (no row)

Credibility (k = 3): p5 could not judge h2, so n = 4 (p1..p4). Over them the item
deviations are h1 -1.5 -.5 .5 1.5 (SS 5), h2 -1 -1 1 1 (SS 4), h3 -1 0 0 1 (SS 2); the
totals 4 6 9 11 deviate -3.5 -1.5 1.5 3.5 (SS 29). Dividing by n - 1 = 3 throughout:
  alpha = 3/2 (1 - 11/29) = 27/29
  Feldt: df1 = 3, df2 = 6; from F tables, F.975(3, 6) = 6.5988 and F.975(6, 3) = 14.735,
  whose reciprocal is F.025(3, 6). low = 1 - (2/29) 6.5988, high = 1 - (2/29) / 14.735.
  SEM: the mean scores have sd sqrt(29/3) / 3, so sem = sqrt(29/27) sqrt(2/29) = sqrt(2/27).
  Item-total: h1 against h2 + h3 (3 4 6 7, SS 10, cross products 7): 7 / sqrt(5 * 10);
  h2 against h1 + h3 (2 4 5 7, SS 13, cross 6): 6 / sqrt(4 * 13);
  h3 against h1 + h2 (3 4 7 8, SS 17, cross 5): 5 / sqrt(2 * 17).
Expert (h1, h2; k = 2; n = 4): covariance 4/3, variances 5/3 and 4/3, total 17/3:
  alpha = 2 (1 - 9/17) = 16/17; F.975(3, 3) = 15.439: low = 1 - 15.439 / 17,
  high = 1 - 1 / (17 * 15.439); sem = (sqrt(17/3) / 2) sqrt(1/17) = 1 / sqrt(12).
Single-item and empty scales have no alpha. As answered: h1 1..5 (mean 3, sd sqrt(2.5));
h2 2 2 4 4 (mean 3, sd sqrt(4/3), 1 of 5 cannot judge); h3 5 4 4 3 1 (mean 3.4, SS 9.2, sd
sqrt(2.3)); r1 3 3 4 2 5 (mean 3.4, SS 5.2); t1 4 5 (3 of 5 without an answer).
"""

import math
import re

import numpy as np
import pandas as pd
import pingouin
import pytest

from pib360.domain.aggregation import compare
from pib360.domain.instrument import DIMENSIONS, ROLES
from pib360.domain.instrument_file import load_instrument
from pib360.domain.psychometrics import item_statistics, scale_reliability
from tests.domain.support import MINI_PATH, NAN, make_answers

HAND_PATH = MINI_PATH.with_name("hand.toml")
SCALE_COLUMNS = ["items", "n", "alpha", "alpha_ci_low", "alpha_ci_high", "sem"]
ITEM_COLUMNS = ["dimension", "role", "reverse", "mean", "sd", "n", "cannot_judge_share"]
ITEM_COLUMNS += ["item_total"]
SWAP = {"self": "client", "client": "self"}
approx = pytest.approx


@pytest.fixture(scope="module")
def hand():
    """The instrument of data/hand.toml: scale 1..5, credibility h1 h2 h3 (h3 reversed)."""
    return load_instrument(HAND_PATH)


def random_answers(instrument, clients: int, loading: float, seed: int) -> pd.DataFrame:
    """Clients answering the default instrument, correlated by `loading`, with gaps.

    About 10% of answers are "cannot judge" and 3% of rows are missing altogether; there is
    a self respondent too, whose answers must not count for the clients.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for respondent in [*range(clients), "me"]:
        standing = rng.normal()
        for item in instrument.scale_items:
            score = np.clip(np.rint(4 + loading * standing + rng.normal()), 1, 7)
            value = 8 - score if item.reverse else score
            if rng.random() < 0.03:
                continue
            value = NAN if rng.random() < 0.10 else value
            perspective = "self" if respondent == "me" else "client"
            rows.append((respondent, perspective, item.id, value))
    return pd.DataFrame(rows, columns=["respondent", "perspective", "item", "value"])


def scored_wide(answers: pd.DataFrame, instrument) -> pd.DataFrame:
    """Client respondents x items, reverse-scored items reversed (8 - v on the default 1..7)."""
    clients = answers[answers["perspective"] == "client"]
    wide = clients.pivot(index="respondent", columns="item", values="value")
    for item in instrument.scale_items:
        if item.reverse:
            wide[item.id] = 8 - wide[item.id]
    return wide


def scale_item_ids(instrument, scale: str) -> list[str]:
    items = instrument.scale_items
    return [item.id for item in items if scale in (item.dimension, item.role)]


@pytest.mark.parametrize(("loading", "seed"), [(1.0, 1), (0.6, 2), (0.0, 3)])
def test_alpha_and_its_interval_agree_with_pingouin(instrument, loading, seed):
    answers = random_answers(instrument, clients=80, loading=loading, seed=seed)
    wide = scored_wide(answers, instrument)
    table = scale_reliability(answers, instrument)
    for scale in (*DIMENSIONS, *ROLES):
        items = wide[scale_item_ids(instrument, scale)]
        complete = items.dropna()
        alpha, _ = pingouin.cronbach_alpha(items, nan_policy="listwise")
        # pingouin's listwise interval counts the respondents before the deletion, so its
        # interval is asked of the complete rows; it rounds the bounds to 3 decimals.
        _, interval = pingouin.cronbach_alpha(complete)
        row = table.loc[scale]
        assert row["items"] == items.shape[1]
        assert row["n"] == len(complete)
        assert row["alpha"] == approx(alpha, rel=1e-9)
        assert row["alpha_ci_low"] == approx(interval[0], abs=5.1e-4)
        assert row["alpha_ci_high"] == approx(interval[1], abs=5.1e-4)
        sd_of_means = complete.mean(axis=1).std(ddof=1)
        assert row["sem"] == approx(sd_of_means * math.sqrt(1 - alpha), rel=1e-9)


def test_item_statistics_agree_with_pandas(instrument):
    answers = random_answers(instrument, clients=80, loading=1.0, seed=4)
    table = item_statistics(answers, instrument)
    clients = answers[answers["perspective"] == "client"]
    given = clients.groupby("item")["value"].agg(["mean", "std", "count"])
    wide = scored_wide(answers, instrument)
    for item in instrument.scale_items:
        row = table.loc[item.id]
        role = None if pd.isna(row["role"]) else row["role"]  # NaN for an item without one
        assert (row["dimension"], role, row["reverse"]) == (item.dimension, item.role, item.reverse)
        assert row["mean"] == approx(given.loc[item.id, "mean"], rel=1e-12)
        assert row["sd"] == approx(given.loc[item.id, "std"], rel=1e-12)
        assert row["n"] == given.loc[item.id, "count"]
        assert row["cannot_judge_share"] == approx(1 - row["n"] / wide.shape[0])
        dimension = wide[scale_item_ids(instrument, item.dimension)].dropna()
        rest = dimension.drop(columns=item.id).sum(axis=1)
        assert row["item_total"] == approx(dimension[item.id].corr(rest), rel=1e-9)


HAND = {
    "p1": {"h1": 1, "h2": 2, "h3": 5, "r1": 3, "t1": 4},
    "p2": {"h1": 2, "h2": 2, "h3": 4, "r1": 3, "t1": 5},
    "p3": {"h1": 3, "h2": 4, "h3": 4, "r1": 4},
    "p4": {"h1": 4, "h2": 4, "h3": 3, "r1": 2},
    "p5": {"h1": 5, "h2": NAN, "h3": 1, "r1": 5},
    "me": {"h1": 5, "h2": 5, "h3": 1, "r1": 5, "t1": 5},
}


def test_scale_reliability_of_the_hand_computed_case(hand):
    table = scale_reliability(make_answers(HAND), hand)
    assert list(table.index) == [*DIMENSIONS, *ROLES] and table.index.name == "scale"
    assert list(table.columns) == SCALE_COLUMNS
    # The F quantiles come from tables to five significant digits, hence abs=1e-4.
    credibility = [3, 4, 27 / 29, 1 - 2 / 29 * 6.5988, 1 - 2 / 29 / 14.735, math.sqrt(2 / 27)]
    expert = [2, 4, 16 / 17, 1 - 15.439 / 17, 1 - 1 / (17 * 15.439), 1 / math.sqrt(12)]
    assert list(table.loc["credibility"]) == approx(credibility, abs=1e-4)
    assert list(table.loc["expert"]) == approx(expert, abs=1e-4)
    assert table.loc["credibility", "alpha"] == approx(27 / 29, rel=1e-12)
    assert table.loc["expert", "sem"] == approx(1 / math.sqrt(12), rel=1e-12)
    # Fewer than two items, or none: no alpha, no interval, no sem.
    counts = {"reliability": (1, 5), "expert_plus": (1, 5), "trusted_advisor": (1, 2)}
    counts |= {scale: (0, 0) for scale in ("intimacy", "self_orientation", "valued_helper")}
    for scale, (items, n) in counts.items():
        assert (table.loc[scale, "items"], table.loc[scale, "n"]) == (items, n)
        assert table.loc[scale, SCALE_COLUMNS[2:]].isna().all()


def test_item_statistics_of_the_hand_computed_case(hand):
    table = item_statistics(make_answers(HAND), hand)
    assert list(table.index) == ["h1", "h2", "h3", "r1", "t1"] and table.index.name == "item"
    assert list(table.columns) == ITEM_COLUMNS
    assert list(table["reverse"]) == [False, False, True, False, False]
    assert list(table["n"]) == [5, 4, 5, 5, 2]
    assert list(table["mean"]) == approx([3, 3, 3.4, 3.4, 4.5])
    sd = [math.sqrt(2.5), math.sqrt(4 / 3), math.sqrt(2.3), math.sqrt(1.3), math.sqrt(0.5)]
    assert list(table["sd"]) == approx(sd)
    assert list(table["cannot_judge_share"]) == approx([0, 1 / 5, 0, 0, 3 / 5])
    item_total = [7 / math.sqrt(50), 6 / math.sqrt(52), 5 / math.sqrt(34)]
    assert list(table["item_total"][:3]) == approx(item_total)
    # r1 is alone in its dimension and t1 has none: nothing to correlate with.
    assert table["item_total"][3:].isna().all()
    assert pd.isna(table.loc["t1", "dimension"]) and table.loc["t1", "role"] == "trusted_advisor"


# Edge cases.


def test_fewer_than_three_complete_respondents_give_no_alpha(hand):
    answers = make_answers({name: HAND[name] for name in ("p1", "p2", "p5")})  # p5 has a gap
    table = scale_reliability(answers, hand)
    assert table.loc["credibility", "n"] == 2
    assert table.loc["credibility", SCALE_COLUMNS[2:]].isna().all()


def test_three_complete_respondents_are_enough_for_alpha(hand):
    # p1..p3 score h1 1 2 3 (variance 1), h2 2 2 4 (4/3), h3 1 2 2 (1/3); totals 4 6 9
    # (variance 19/3): alpha = 3/2 (1 - (8/3) / (19/3)) = 33/38.
    answers = make_answers({name: HAND[name] for name in ("p1", "p2", "p3")})
    credibility = scale_reliability(answers, hand).loc["credibility"]
    assert credibility["n"] == 3 and credibility["alpha"] == approx(33 / 38)


def test_two_complete_respondents_are_enough_for_item_total(hand):
    # p1 and p2 score h1 1 2, h2 2 2, h3 1 2: h1 and h3 rise with the rest of the
    # dimension (r = 1); h2 does not vary, so it has no correlation.
    answers = make_answers({name: HAND[name] for name in ("p1", "p2")})
    item_total = item_statistics(answers, hand)["item_total"]
    assert item_total["h1"] == approx(1) and item_total["h3"] == approx(1)
    assert math.isnan(item_total["h2"])


def test_item_total_of_a_dimension_after_one_without_enough_respondents(mini):
    # Only one client answered a2, so credibility (a1, a2) has one complete respondent;
    # self-orientation (d1, d2) still has three: d1 2 4 6 against d2 answered 3 2 1, which
    # is reverse-scored (8 - v) as 5 6 7, gives r = 1.
    clients = {f"c{n}": {"a1": n, "d1": 2 * n, "d2": 4 - n} for n in (1, 2, 3)}
    clients["c1"]["a2"] = 4
    item_total = item_statistics(make_answers(clients), mini)["item_total"]
    assert item_total[["a1", "a2"]].isna().all()
    assert item_total[["d1", "d2"]].tolist() == approx([1, 1])


def test_a_scale_whose_items_disagree_has_a_negative_alpha_and_its_sem(hand):
    # Expert is h1 and h2: scores (1, 1), (2, 1), (1, 2). Variances 1/3 each, covariance
    # -1/6, so the sum's variance is 1/3: alpha = 2 (1 - (2/3) / (1/3)) = -2, and the sem
    # is the sd of the mean score, sqrt(1/3) / 2, times sqrt(1 - alpha) = sqrt(3): 1/2.
    answers = make_answers({"p1": {"h1": 1, "h2": 1}, "p2": {"h1": 2, "h2": 1},
                            "p3": {"h1": 1, "h2": 2}})
    expert = scale_reliability(answers, hand).loc["expert"]
    assert (expert["alpha"], expert["sem"]) == (approx(-2), approx(0.5))


def test_a_sum_score_without_variance_gives_no_alpha(hand):
    same = make_answers({name: {"h1": 3, "h2": 3, "h3": 3} for name in ("p1", "p2", "p3")})
    assert scale_reliability(same, hand).loc["credibility", SCALE_COLUMNS[2:]].isna().all()
    assert item_statistics(same, hand)["item_total"][:3].isna().all()
    # h1 and h2 vary, but every client's sum of the two is 6: the expert scale measures nothing.
    opposed = make_answers(
        {"p1": {"h1": 1, "h2": 5}, "p2": {"h1": 2, "h2": 4}, "p3": {"h1": 5, "h2": 1}}
    )
    expert = scale_reliability(opposed, hand).loc["expert"]
    assert expert["n"] == 3 and expert[SCALE_COLUMNS[2:]].isna().all()
    # Scores 1 3 5, 1 4 4 and 3 1 5 (h3 answered 1, 2, 1) always add up to 9; computed in
    # floating point, the variance of that sum comes out near 1e-16 rather than 0.
    rounded = make_answers(
        {
            "p1": {"h1": 1, "h2": 3, "h3": 1},
            "p2": {"h1": 1, "h2": 4, "h3": 2},
            "p3": {"h1": 3, "h2": 1, "h3": 1},
        }
    )
    credibility = scale_reliability(rounded, hand).loc["credibility"]
    assert credibility["n"] == 3 and credibility[SCALE_COLUMNS[2:]].isna().all()


def test_only_the_chosen_perspective_counts(hand):
    answers = make_answers(HAND)
    clients = make_answers({name: row for name, row in HAND.items() if name != "me"})
    swapped = answers.assign(perspective=answers["perspective"].replace(SWAP))
    for function in (scale_reliability, item_statistics):
        expected = function(clients, hand)
        pd.testing.assert_frame_equal(function(answers, hand), expected)
        pd.testing.assert_frame_equal(function(swapped, hand, perspective="self"), expected)
    own = item_statistics(answers, hand, perspective="self")
    assert list(own["n"]) == [1, 1, 1, 1, 1] and list(own["mean"]) == [5, 5, 1, 5, 5]
    assert scale_reliability(answers, hand, perspective="self")["n"].max() == 1


def test_self_assessments_of_several_rounds_pool_like_clients(hand):
    answers = make_answers({name: row for name, row in HAND.items() if name != "me"})
    as_selves = answers.assign(perspective="self")  # one self respondent per round
    table = scale_reliability(as_selves, hand, perspective="self")
    pd.testing.assert_frame_equal(table, scale_reliability(answers, hand))


@pytest.mark.parametrize("function", [scale_reliability, item_statistics])
def test_an_unknown_perspective_is_refused(hand, function):
    with pytest.raises(ValueError, match="perspective must be 'self' or 'client', not 'clients'"):
        function(make_answers(HAND), hand, perspective="clients")


def two_rows(**changes) -> pd.DataFrame:
    """A self and a client row on the mini instrument, `changes` applied to the client's."""
    rows = [
        {"respondent": "me", "perspective": "self", "item": "a1", "value": 6.0},
        {"respondent": "c1", "perspective": "client", "item": "a1", "value": 4.0},
    ]
    rows[1].update(changes)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "answers",
    [
        two_rows().drop(columns="value"),
        two_rows(item="x12"),
        two_rows(item="pick"),
        two_rows(value=8.0),
        two_rows(value="5"),
        two_rows(perspective="boss"),
        two_rows(respondent=None),
        pd.concat([two_rows(), two_rows().iloc[[1]]]),
        [{"respondent": "c1"}],
    ],
    ids=["column", "item", "choice-item", "range", "text", "perspective", "id", "twice", "list"],
)
@pytest.mark.parametrize("function", [scale_reliability, item_statistics])
def test_a_malformed_frame_is_refused_as_aggregation_refuses_it(mini, function, answers):
    with pytest.raises(ValueError) as refused:
        compare(answers, mini)
    with pytest.raises(ValueError, match=re.escape(str(refused.value))):
        function(answers, mini)


def test_the_other_perspectives_rows_are_checked_too(mini):
    with pytest.raises(ValueError, match="unknown item id 'x12'"):
        scale_reliability(two_rows(item="x12"), mini, perspective="self")


def test_a_scale_nobody_answered_has_no_figures(hand):
    # r1 is "cannot judge" or missing for every client; h2 and h3 nobody answered at all.
    answers = make_answers(
        {"p1": {"h1": 1, "r1": NAN}, "p2": {"h1": 2}, "p3": {"h1": 4, "r1": NAN}}
    )
    table = scale_reliability(answers, hand)
    assert list(table.loc[["credibility", "reliability"], "n"]) == [0, 0]
    assert table.loc[["credibility", "reliability"], SCALE_COLUMNS[2:]].isna().all().all()
    items = item_statistics(answers, hand)
    assert list(items["n"]) == [3, 0, 0, 0, 0]
    assert list(items["cannot_judge_share"]) == [0, 1, 1, 1, 1]
    assert items.loc["r1", ["mean", "sd", "item_total"]].isna().all()


@pytest.mark.parametrize(
    "answers",
    [pd.DataFrame(), make_answers(HAND).iloc[:0], make_answers({"me": HAND["me"]})],
    ids=["no-columns", "no-rows", "self-only"],
)
def test_a_frame_without_clients_gives_empty_figures(hand, answers):
    table = scale_reliability(answers, hand)
    assert (table["n"] == 0).all() and table[SCALE_COLUMNS[2:]].isna().all().all()
    assert list(table["items"]) == [3, 1, 0, 0, 2, 1, 0, 1]
    items = item_statistics(answers, hand)
    assert (items["n"] == 0).all()
    assert items[["mean", "sd", "cannot_judge_share", "item_total"]].isna().all().all()


def test_row_order_and_column_types_do_not_matter(instrument):
    answers = random_answers(instrument, clients=40, loading=1.0, seed=5)
    shuffled = answers.sample(frac=1, random_state=6).astype(
        {"item": "category", "perspective": "category"}
    )
    for function in (scale_reliability, item_statistics):
        pd.testing.assert_frame_equal(function(shuffled, instrument), function(answers, instrument))
