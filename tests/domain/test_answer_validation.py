"""compare() and cohort() refuse malformed answer frames with a message naming the problem."""

import numpy as np
import pandas as pd
import pytest

from pib360.domain.aggregation import cohort, compare


def frame(**changes) -> pd.DataFrame:
    """Two valid rows, with `changes` applied to the second (a client's) row."""
    rows = [
        {"respondent": "me", "perspective": "self", "item": "a1", "value": 6.0},
        {"respondent": "c1", "perspective": "client", "item": "a1", "value": 4.0},
    ]
    rows[1].update(changes)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (frame().drop(columns="value"), "missing column.*'value'"),
        (frame(item="x12"), "unknown item id 'x12'"),
        (frame(item="pick"), "item 'pick' is a choice item, not a scale item"),
        (frame(item="keep"), "item 'keep' is a text item, not a scale item"),
        (frame(value=8.0), "value 8.0 for item 'a1' is outside the scale 1..7"),
        (frame(value=0.5), "value 0.5 for item 'a1' is outside the scale 1..7"),
        (frame(value=np.inf), "outside the scale"),
        (frame(value="5"), "value '5' for item 'a1' is not a number"),
        (frame(value=True), "value True for item 'a1' is not a number"),
        (frame(perspective="boss"), "unknown perspective 'boss'"),
        (frame(perspective=None), "missing perspective in row 1"),
        (frame(respondent=None), "missing respondent id"),
        (frame(perspective="self"), "more than one self respondent: 'c1', 'me'"),
        (frame(respondent="me", perspective="self"), "'me' answered item 'a1' more than once"),
    ],
)
def test_malformed_answers_are_refused(mini, answers, message):
    with pytest.raises(ValueError, match=message):
        compare(answers, mini)


def test_answers_must_be_a_dataframe(mini):
    with pytest.raises(ValueError, match="expected a pandas DataFrame, not list"):
        compare([{"respondent": "me"}], mini)


def test_an_all_boolean_value_column_is_refused(mini):
    with pytest.raises(ValueError, match="not a number"):
        compare(frame(value=True).astype({"value": bool}), mini)


def test_a_repeated_cannot_judge_is_still_a_repeat(mini):
    answers = pd.concat([frame(value=np.nan), frame(value=np.nan).iloc[[1]]])
    with pytest.raises(ValueError, match="more than once"):
        compare(answers, mini)


@pytest.mark.parametrize(
    "answers",
    [
        frame(value=None).astype({"value": object}),  # None for "cannot judge"
        frame().astype({"value": "Int64"}),  # nullable integers
        frame().astype({"item": "category", "perspective": "category"}),
        frame(respondent=7),  # ids of mixed types
        frame().assign(extra="ignored"),
    ],
    ids=["object-none", "Int64", "categorical", "mixed-ids", "extra-column"],
)
def test_ordinary_variants_of_a_frame_are_accepted(mini, answers):
    compare(answers, mini, min_clients=2)


def test_cohort_needs_the_advisor_column(mini):
    with pytest.raises(ValueError, match="missing column.*'advisor'"):
        cohort(frame(), mini)


def test_cohort_names_the_advisor_with_two_self_respondents(mini):
    answers = pd.concat(
        [frame().assign(advisor="ann"), frame(perspective="self").assign(advisor="bob")]
    )
    with pytest.raises(ValueError, match="more than one self respondent for advisor 'bob'"):
        cohort(answers, mini)


def test_cohort_refuses_a_missing_advisor(mini):
    with pytest.raises(ValueError, match="missing advisor id"):
        cohort(frame().assign(advisor=[1, None]), mini)
