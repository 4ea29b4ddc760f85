"""compare(): the six aggregation rules, each pinned down with numbers worked out by hand.

Most tests use the worked example SCENARIO of support.py on the mini instrument (1..7,
a2 and d2 reverse-scored). Item scores after reversal (8 - v for a2 and d2):

    item  dimension / role          me   c1   c2   c3
    a1    credibility / expert       6    4    5    3
    a2    credibility / expert       6    4    -    7     (answered 2, 4, -, 1)
    b1    reliability / expert+      3    5    6    4
    c1    intimacy / helper          5    3    4    -
    d1    self_orientation           1    4    3    5
    d2    self_orientation           5    4    3    5     (answered 3, 4, 5, 3)
    e1    - / trusted_advisor        6    5    6    4
"""

import math

import numpy as np
import pandas as pd
import pytest

from pib360.domain.aggregation import compare
from pib360.domain.instrument import DIMENSIONS, ROLES

COLUMNS = ["self", "clients", "gap", "clients_sd", "clients_min", "clients_max", "clients_n"]
CLIENT_COLUMNS = [*COLUMNS[1:], "clients_ci_low", "clients_ci_high"]
approx = pytest.approx


def values(frame: pd.DataFrame, label: str) -> dict[str, float]:
    """One row of a report table as a dict (without the interval, tested in
    test_uncertainty.py), for comparing with pytest.approx."""
    return frame.loc[label, COLUMNS].to_dict()


def row(own, clients, gap, sd, low, high, n) -> dict[str, float]:
    """An expected row: self, clients, gap, clients_sd, clients_min, clients_max, clients_n."""
    return dict(zip(COLUMNS, (own, clients, gap, sd, low, high, n), strict=True))


def test_report_tables_have_the_documented_shape(mini, scenario):
    report = compare(scenario, mini)
    assert list(report.dimensions.index) == list(DIMENSIONS)
    assert list(report.roles.index) == list(ROLES)
    assert list(report.items.index) == ["a1", "a2", "b1", "c1", "d1", "d2", "e1"]
    for table in (report.dimensions, report.roles, report.items):
        assert list(table.columns) == [*COLUMNS, "clients_ci_low", "clients_ci_high"]
    assert list(report.trust_quotient.index) == ["self", "clients"]
    assert (report.instrument_id, report.instrument_version) == ("mini", "0.1")
    assert (report.min_clients, report.gap_threshold) == (3, 1.0)


# Rule 1: item score = value, or scale_min + scale_max - value when reverse-scored.


def test_reverse_scored_items_score_min_plus_max_minus_value(mini, scenario):
    items = compare(scenario, mini, min_clients=2).items
    assert items.loc["a2", "self"] == 6  # answered 2: 1 + 7 - 2 = 6
    assert items.loc["d2", "self"] == 5  # answered 3: 8 - 3 = 5
    # a2 clients answered 4 and 1 -> 4 and 7; mean 5.5
    assert items.loc["a2", "clients"] == 5.5
    assert items.loc["a1", "self"] == 6  # not reversed: as answered


def test_reverse_score_of_the_instrument(mini):
    assert mini.reverse_score(2) == 6  # 1 + 7 - 2
    assert list(mini.reverse_score(np.array([1.0, 4.0, 7.0]))) == [7.0, 4.0, 1.0]


# Rule 2: a respondent's dimension (role) score is the mean of their answered items on it.


def test_self_dimension_score_is_the_mean_of_its_item_scores(mini, scenario):
    dims = compare(scenario, mini).dimensions
    assert dims.loc["credibility", "self"] == 6  # (a1 6 + a2 6) / 2
    assert dims.loc["self_orientation", "self"] == 3  # (d1 1 + d2 5) / 2


def test_cannot_judge_is_left_out_of_the_respondent_mean(mini, scenario):
    # c2 judged a1 only: credibility 5, not (5 + 0) / 2 and not missing.
    dims = compare(scenario, mini, min_clients=2).dimensions
    assert dims.loc["credibility", "clients_max"] == 5  # c1 (4+4)/2=4, c2 5, c3 (3+7)/2=5


def test_respondent_without_any_answer_on_a_dimension_has_no_score(mini, scenario):
    # c3 said "cannot judge" on c1, the only intimacy item: 2 client scores remain.
    dims = compare(scenario, mini, min_clients=2).dimensions
    assert dims.loc["intimacy", "clients_n"] == 2
    assert dims.loc["intimacy", "clients"] == 3.5  # (3 + 4) / 2


# Rule 3: clients = mean over client respondents, each counting once; sd with ddof=1.


def test_client_statistics_per_dimension(mini, scenario):
    dims = compare(scenario, mini, min_clients=2).dimensions
    # Credibility per client: c1 (4+4)/2 = 4, c2 5, c3 (3+7)/2 = 5. Mean 14/3.
    # sd: deviations -2/3, 1/3, 1/3 -> squares 6/9, / (3-1) = 1/3 -> sqrt(1/3).
    assert values(dims, "credibility") == approx(
        row(6, 14 / 3, 14 / 3 - 6, math.sqrt(1 / 3), 4, 5, 3)
    )
    dims = compare(scenario, mini).dimensions
    # Reliability: self 3, clients 5, 6, 4 -> mean 5, sd 1 (squares 0+1+1, / 2).
    assert values(dims, "reliability") == approx(row(3, 5, 2, 1, 4, 6, 3))
    # Self-orientation per client: (4+4)/2 = 4, (3+3)/2 = 3, (5+5)/2 = 5; self (1+5)/2 = 3.
    assert values(dims, "self_orientation") == approx(row(3, 4, 1, 1, 3, 5, 3))


def test_each_client_counts_once_however_many_items_they_answered(mini, scenario):
    # Pooling the five credibility answers would give (4+4+5+3+7)/5 = 4.6; per respondent
    # it is (4 + 5 + 5) / 3 = 4.667, because c2 answered one item and counts once.
    credibility = compare(scenario, mini, min_clients=2).dimensions.loc["credibility"]
    assert credibility["clients"] == approx(14 / 3)


def test_client_statistics_per_role_and_item(mini, scenario):
    report = compare(scenario, mini, min_clients=2)
    # expert = the credibility items a1, a2; expert_plus = b1: same numbers as above.
    assert report.roles.loc["expert", "clients"] == approx(14 / 3)
    report = compare(scenario, mini)  # min_clients 3: a2 is not published, a1 alone is
    assert report.roles.loc["expert", "clients"] == 4  # (4 + 5 + 3) / 3
    assert report.roles.loc["expert_plus", "clients"] == 5
    # e1, role-only: self 6; clients 5, 6, 4 -> mean 5, sd 1, gap -1.
    assert values(report.roles, "trusted_advisor") == approx(row(6, 5, -1, 1, 4, 6, 3))
    # d1: self 1; clients 4, 3, 5 -> mean 4, gap 3.
    assert values(report.items, "d1") == approx(row(1, 4, 3, 1, 3, 5, 3))


# Rule 4: k-anonymity per cell; the whole report when too few clients answered.


def test_a_suppressed_items_answers_count_nowhere(mini, scenario):
    """At min_clients 3, a2 (answered by c1 and c3 only) is not published, so credibility
    and expert rest on a1 alone: otherwise a2's clients' answers could be recovered from
    credibility, its n and the published a1."""
    report = compare(scenario, mini)
    # a1 per client: 4, 5, 3 -> mean 4, sd 1, min 3, max 5; c3's a2 of 7 counts nowhere.
    assert values(report.dimensions, "credibility") == approx(row(6, 4, -2, 1, 3, 5, 3))
    assert values(report.roles, "expert") == approx(row(6, 4, -2, 1, 3, 5, 3))
    changed = scenario.copy()
    changed.loc[(changed["respondent"] == "c3") & (changed["item"] == "a2"), "value"] = 7
    again = compare(changed, mini)
    pd.testing.assert_frame_equal(again.dimensions, report.dimensions)
    pd.testing.assert_frame_equal(again.roles, report.roles)


def test_cell_with_fewer_than_min_clients_hides_every_client_value(mini, scenario):
    report = compare(scenario, mini)  # min_clients 3; intimacy rests on c1 and c2 only
    intimacy = report.dimensions.loc["intimacy"]
    assert intimacy["self"] == 5
    assert intimacy[CLIENT_COLUMNS].isna().all()
    assert report.roles.loc["valued_helper", CLIENT_COLUMNS].isna().all()
    # a2 rests on c1 and c3, c1 on c1 and c2.
    assert report.items.loc[["a2", "c1"], CLIENT_COLUMNS].isna().all().all()
    assert not report.suppressed  # the round itself has 3 clients


def test_same_cell_is_shown_when_min_clients_allows_it(mini, scenario):
    # Intimacy clients 3 and 4: mean 3.5, sd sqrt(((-.5)^2 + .5^2) / 1) = sqrt(.5), gap -1.5.
    intimacy = compare(scenario, mini, min_clients=2).dimensions.loc["intimacy"]
    assert intimacy[COLUMNS].to_dict() == approx(row(5, 3.5, -1.5, math.sqrt(0.5), 3, 4, 2))


def test_round_with_fewer_than_min_clients_is_suppressed_entirely(mini, scenario):
    report = compare(scenario, mini, min_clients=4)
    assert report.n_clients == 3
    assert report.suppressed
    for table in (report.dimensions, report.roles, report.items):
        assert table[CLIENT_COLUMNS].isna().all().all()
        assert table["self"].notna().all()  # the advisor's own view is always shown
    assert math.isnan(report.trust_quotient["clients"])
    assert report.blind_spots == [] and report.hidden_strengths == []


def test_client_who_cannot_judge_anything_is_not_counted(mini, answers):
    responses = {"c1": {"a1": 4}, "c2": {"a1": 5}, "c3": {"a1": np.nan, "b1": np.nan}}
    report = compare(answers(responses), mini, min_clients=2)
    assert report.n_clients == 2  # c3 gave no answer
    assert report.items.loc["a1", "clients"] == 4.5  # (4 + 5) / 2


@pytest.mark.parametrize("min_clients", [1, 0, -3])
def test_min_clients_below_two_is_refused(mini, scenario, min_clients):
    with pytest.raises(ValueError, match="min_clients must be at least 2"):
        compare(scenario, mini, min_clients=min_clients)


def test_min_clients_must_be_an_integer(mini, scenario):
    with pytest.raises(ValueError, match="min_clients must be an integer"):
        compare(scenario, mini, min_clients=2.5)


@pytest.mark.parametrize(
    "frame",
    [pd.DataFrame(), pd.DataFrame(columns=["respondent", "perspective", "item", "value"])],
    ids=["no columns", "no rows"],
)
def test_empty_frame_gives_an_empty_report(mini, frame):
    report = compare(frame, mini)
    assert (report.n_clients, report.suppressed) == (0, True)
    assert report.dimensions.isna().all().all()
    assert report.trust_quotient.isna().all()


def test_self_assessment_alone_gives_self_values_only(mini, answers):
    report = compare(answers({"me": {"a1": 6, "a2": 2}}), mini)
    assert report.dimensions.loc["credibility", "self"] == 6  # (6 + 8 - 2) / 2
    assert (report.n_clients, report.suppressed) == (0, True)
    assert report.dimensions[CLIENT_COLUMNS].isna().all().all()


# Rule 5: trust quotient = (credibility + reliability + intimacy) / self_orientation.


def test_trust_quotient(mini, scenario):
    quotient = compare(scenario, mini).trust_quotient
    assert quotient["self"] == approx(14 / 3)  # (6 + 3 + 5) / 3
    assert math.isnan(quotient["clients"])  # intimacy is suppressed at min_clients 3
    quotient = compare(scenario, mini, min_clients=2).trust_quotient
    assert quotient["clients"] == approx(79 / 24)  # (14/3 + 5 + 3.5) / 4


def test_trust_quotient_is_missing_when_a_part_is(mini, answers):
    # The self-assessment has no intimacy answer.
    report = compare(answers({"me": {"a1": 6, "b1": 3, "d1": 1}}), mini)
    assert math.isnan(report.trust_quotient["self"])


# Rule 6: blind spots and hidden strengths, with self-orientation running the other way.


def test_blind_spots_and_hidden_strengths(mini, scenario):
    report = compare(scenario, mini)
    # Favourable difference (clients - self, sign flipped for self-orientation items):
    # a1 4-6 = -2; b1 5-3 = +2; d1 -(4-1) = -3; d2 -(4-5) = +1; e1 5-6 = -1.
    # a2 and c1 are suppressed, so neither, whatever their gap.
    assert report.blind_spots == ["d1", "a1", "e1"]
    assert report.hidden_strengths == ["b1", "d2"]


def test_gap_threshold_is_inclusive_and_adjustable(mini, scenario):
    report = compare(scenario, mini, gap_threshold=1.5)
    assert report.blind_spots == ["d1", "a1"]  # e1 at -1 no longer reaches 1.5
    assert report.hidden_strengths == ["b1"]  # d2 at +1 neither
    report = compare(scenario, mini, gap_threshold=2)
    assert report.blind_spots == ["d1", "a1"]  # a1 at exactly -2 counts
    assert report.hidden_strengths == ["b1"]


def test_suppressed_items_become_blind_spots_once_shown(mini, scenario):
    # c1: self 5, clients (3 + 4) / 2 = 3.5 -> -1.5, shown from min_clients 2 on.
    assert compare(scenario, mini, min_clients=2).blind_spots == ["d1", "a1", "c1", "e1"]


def test_ties_keep_questionnaire_order(mini, answers):
    responses = {
        "me": {"a1": 5, "b1": 5},
        **{f"c{i}": {"a1": 7, "b1": 7} for i in range(3)},  # both +2
    }
    assert compare(answers(responses), mini).hidden_strengths == ["a1", "b1"]


@pytest.mark.parametrize("threshold", [0, -1, math.inf, math.nan, "1"])
def test_gap_threshold_must_be_a_positive_number(mini, scenario, threshold):
    with pytest.raises(ValueError, match="gap_threshold"):
        compare(scenario, mini, gap_threshold=threshold)


def test_default_instrument_reports_every_scale_item(instrument, answers):
    ids = [item.id for item in instrument.scale_items]
    report = compare(answers({"me": dict.fromkeys(ids, 4)}), instrument)
    assert list(report.items.index) == ids
    assert report.dimensions["self"].tolist() == [4, 4, 4, 4]  # 8 - 4 = 4 reversed, too
