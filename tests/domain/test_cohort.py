"""cohort() and role_choices(), with numbers worked out by hand."""

import pandas as pd
import pytest

from pib360.domain.aggregation import cohort, compare, role_choices
from pib360.domain.instrument import DIMENSIONS
from tests.domain.support import SCENARIO, make_answers

approx = pytest.approx

# Three advisors on the worked example of test_aggregation.py:
# ann is SCENARIO; bob lacks client c3 (2 clients only); cat rates her own credibility
# lower (a1 4, a2 4 -> 8 - 4 = 4), so her self credibility is 4 instead of 6.
ADVISORS = {
    "ann": SCENARIO,
    "bob": {key: answers for key, answers in SCENARIO.items() if key != "c3"},
    "cat": {**SCENARIO, "me": {**SCENARIO["me"], "a1": 4, "a2": 4}},
}


@pytest.fixture
def group() -> pd.DataFrame:
    """The answers of ann, bob and cat in one frame, rows of the advisors interleaved."""
    frames = [make_answers(responses).assign(advisor=name) for name, responses in ADVISORS.items()]
    return pd.concat(frames).sample(frac=1, random_state=1).reset_index(drop=True)


def test_cohort_rows_equal_compare_per_advisor(mini, group):
    report = cohort(group, mini)
    assert list(report.advisors.index.names) == ["advisor", "dimension"]
    for name, responses in ADVISORS.items():
        alone = compare(make_answers(responses), mini).dimensions
        pd.testing.assert_frame_equal(report.advisors.loc[name], alone)


def test_cohort_hides_client_values_per_advisor(mini, group):
    advisors = cohort(group, mini).advisors
    # a2 rests on 2 clients: credibility is a1's 4, 5, 3 alone (test_aggregation.py).
    assert advisors.loc[("ann", "credibility"), "clients"] == 4
    assert advisors.loc[("cat", "credibility"), "self"] == 4
    assert advisors.loc["bob", "clients"].isna().all()  # 2 clients < 3
    assert advisors.loc[("bob", "credibility"), "self"] == 6


def test_cohort_summary_averages_the_advisors_shown(mini, group):
    summary = cohort(group, mini).summary
    assert list(summary.index) == list(DIMENSIONS)
    assert list(summary.columns) == ["self", "clients", "gap", "advisors_n"]
    # Credibility, ann and cat (bob hidden): self (6 + 4) / 2 = 5; clients 4 for both (a2
    # is not published: 2 clients); gap ((4 - 6) + (4 - 4)) / 2 = -1.
    assert summary.loc["credibility"].to_dict() == approx(
        {"self": 5, "clients": 4, "gap": -1, "advisors_n": 2}
    )
    # Intimacy rests on 2 clients for everyone: nobody is shown.
    assert summary.loc["intimacy", "advisors_n"] == 0
    assert summary.loc["intimacy", ["self", "clients", "gap"]].isna().all()


def test_cohort_summary_follows_min_clients(mini, group):
    summary = cohort(group, mini, min_clients=2).summary
    # bob now counts: his credibility clients are c1 4 and c2 5 -> 4.5.
    # self (6 + 6 + 4) / 3 = 16/3; clients (14/3 + 4.5 + 14/3) / 3 = 83/18.
    assert summary.loc["credibility"].to_dict() == approx(
        {"self": 16 / 3, "clients": 83 / 18, "gap": 83 / 18 - 16 / 3, "advisors_n": 3}
    )


def test_cohort_counts_clients_per_advisor(mini, group):
    report = cohort(group, mini)
    assert report.n_clients.to_dict() == {"ann": 3, "bob": 2, "cat": 3}
    assert (report.instrument_id, report.instrument_version, report.min_clients) == (
        "mini",
        "0.1",
        3,
    )


def test_respondent_ids_repeat_across_advisors_as_different_people(mini, group):
    # Every advisor has a "c1"; each is counted with their own advisor only.
    assert cohort(group, mini).advisors.loc[("ann", "reliability"), "clients_n"] == 3


def test_empty_cohort(mini):
    report = cohort(pd.DataFrame(), mini)
    assert report.advisors.empty
    assert report.summary["advisors_n"].tolist() == [0, 0, 0, 0]


def choices_frame(picks: dict) -> pd.DataFrame:
    """A choices frame from {respondent: role or None}; "me" answers as self."""
    return pd.DataFrame(
        {
            "respondent": list(picks),
            "perspective": ["self" if key == "me" else "client" for key in picks],
            "value": list(picks.values()),
        }
    )


PICKS = {
    "me": "valued_helper",
    "c1": "expert",
    "c2": "expert",
    "c3": "trusted_advisor",
    "c4": None,  # did not choose
    "c5": "valued_helper",
}


def test_role_choices_shares(mini):
    result = role_choices(choices_frame(PICKS), mini)
    assert list(result.index) == ["expert", "expert_plus", "valued_helper", "trusted_advisor"]
    assert result["self"].tolist() == [False, False, True, False]
    # 4 clients chose: expert 2/4, expert_plus 0/4, valued_helper 1/4, trusted_advisor 1/4.
    assert result["clients"].tolist() == [0.5, 0.0, 0.25, 0.25]


def test_role_choices_of_exactly_the_minimum_are_shown(mini):
    picks = {"c1": "expert", "me": "expert_plus", "c2": "valued_helper", "c3": "expert"}
    result = role_choices(choices_frame(picks), mini)
    # Three clients chose, the default minimum: expert 2/3, valued_helper 1/3, and the
    # roles nobody chose (trusted_advisor, the last, too) 0.
    assert result["clients"].tolist() == approx([2 / 3, 0, 1 / 3, 0])
    # The advisor's own choice picks its row, as the report's text and chart do.
    assert list(result.index[result["self"]]) == ["expert_plus"]


def test_role_choices_hidden_below_min_clients(mini):
    result = role_choices(choices_frame(PICKS), mini, min_clients=5)  # only 4 chose
    assert result["clients"].isna().all()
    assert result["self"].sum() == 1


def test_role_choices_without_any_choice(mini):
    result = role_choices(pd.DataFrame(), mini)
    assert not result["self"].any()
    assert result["clients"].isna().all()


def test_role_choices_refuses_an_unknown_role(mini):
    with pytest.raises(ValueError, match="unknown role 'guru'"):
        role_choices(choices_frame({"me": "guru"}), mini)


def test_role_choices_errors_name_the_offending_row(mini):
    with pytest.raises(ValueError, match="unknown role 'guru'"):
        role_choices(choices_frame({"me": "expert", "c1": "expert", "c2": "guru"}), mini)
    repeat = choices_frame({"c1": "expert", "c2": "expert", "c3": "expert_plus"})
    with pytest.raises(ValueError, match="respondent 'c2' chose twice"):
        role_choices(repeat.assign(respondent=["c1", "c2", "c2"]), mini)
    with pytest.raises(ValueError, match="missing respondent id in row 1"):
        role_choices(repeat.assign(respondent=["c1", None, "c3"]), mini)
    two_selves = choices_frame({"me": "expert", "c1": "expert"}).assign(perspective="self")
    with pytest.raises(ValueError, match="^answers: more than one self respondent$"):
        role_choices(two_selves, mini)


def test_role_choices_refuses_repeats_and_two_selves(mini):
    repeat = pd.concat([choices_frame({"c1": "expert"}), choices_frame({"c1": "expert_plus"})])
    with pytest.raises(ValueError, match="respondent 'c1' chose twice"):
        role_choices(repeat, mini)
    two_selves = choices_frame({"me": "expert", "c1": "expert"}).assign(perspective="self")
    with pytest.raises(ValueError, match="more than one self respondent"):
        role_choices(two_selves, mini)
    with pytest.raises(ValueError, match="min_clients must be at least 2"):
        role_choices(choices_frame(PICKS), mini, min_clients=1)


def test_cohort_details_are_left_out_unless_asked_for(mini, group):
    report = cohort(group, mini)
    assert report.role_summary is None and report.item_summary is None


def test_cohort_role_and_item_summaries_by_hand(mini, group):
    report = cohort(group, mini, details=True)
    roles, items = report.role_summary, report.item_summary
    assert list(roles.index) == ["expert", "expert_plus", "valued_helper", "trusted_advisor"]
    assert list(items.index) == ["a1", "a2", "b1", "c1", "d1", "d2", "e1"]
    assert list(roles.columns) == list(items.columns) == ["self", "clients", "gap", "advisors_n"]
    # expert is a1 + a2, like credibility: ann and cat shown, bob (2 clients) hidden; a2
    # is not published (2 clients), so the clients' score is a1's alone.
    assert roles.loc["expert"].to_dict() == approx(
        {"self": 5, "clients": 4, "gap": -1, "advisors_n": 2})
    # trusted_advisor is e1 alone: self 6 for both; clients 5, 6, 4 -> 5; gap -1.
    assert roles.loc["trusted_advisor"].to_dict() == approx(
        {"self": 6, "clients": 5, "gap": -1, "advisors_n": 2})
    # valued_helper is c1, which c3 could not judge: 2 clients, hidden for everyone.
    assert roles.loc["valued_helper", "advisors_n"] == 0
    assert roles.loc["valued_helper", ["self", "clients", "gap"]].isna().all()
    # a1: self ann 6, cat 4; clients 4, 5, 3 -> 4; gaps -2 and 0 -> mean -1.
    assert items.loc["a1"].to_dict() == approx(
        {"self": 5, "clients": 4, "gap": -1, "advisors_n": 2})
    # a2: c2 could not judge, so 2 clients: hidden.
    assert items.loc["a2", "advisors_n"] == 0


def test_cohort_details_agree_with_compare_per_advisor(mini, group):
    report = cohort(group, mini, min_clients=2, details=True)
    alone = [compare(make_answers(responses), mini, min_clients=2)
             for responses in ADVISORS.values()]
    for summary, table in ((report.role_summary, "roles"), (report.item_summary, "items")):
        for key, row in summary.iterrows():
            shown = [getattr(r, table).loc[key] for r in alone
                     if pd.notna(getattr(r, table).loc[key, "clients_n"])]
            assert row["advisors_n"] == len(shown)
            for column in ("self", "clients", "gap"):
                expected = sum(s[column] for s in shown) / len(shown) if shown else None
                assert (pd.isna(row[column]) if expected is None
                        else row[column] == approx(expected)), (key, column)
    # The dimension part is the same with or without details.
    pd.testing.assert_frame_equal(report.advisors, cohort(group, mini, min_clients=2).advisors)
