"""Invariants of the aggregation, checked on random rounds with hypothesis."""

import dataclasses
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pib360.domain.aggregation import GapReport, cohort, compare
from pib360.domain.instrument_file import load_instrument
from tests.domain.support import MINI_PATH, make_answers

MINI = load_instrument(MINI_PATH)
ITEMS = [item.id for item in MINI.scale_items]

# Modest example counts keep the whole domain suite well under 20 seconds; no deadline,
# since the first pandas call of a run is slow. Applied per test, not as a global profile.
domain_settings = settings(max_examples=60, deadline=None)

values = st.one_of(st.just(math.nan), st.integers(1, 7).map(float))
responses = st.dictionaries(st.sampled_from(ITEMS), values, min_size=1)
rounds = st.builds(
    lambda me, clients: ({"me": me} if me else {}) | {f"c{i}": c for i, c in enumerate(clients)},
    st.none() | responses,
    st.lists(responses, max_size=6),
)
min_clients = st.integers(2, 4)


def assert_same_report(first: GapReport, second: GapReport) -> None:
    """Two reports agree on every table, list and count."""
    for table in ("dimensions", "roles", "items"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))
    pd.testing.assert_series_equal(first.trust_quotient, second.trust_quotient)
    assert first.blind_spots == second.blind_spots
    assert first.hidden_strengths == second.hidden_strengths
    assert (first.n_clients, first.suppressed) == (second.n_clients, second.suppressed)


@domain_settings
@given(rounds, min_clients, st.data())
def test_order_of_rows_does_not_matter(spec, k, data):
    answers = make_answers(spec)
    order = data.draw(st.permutations(range(len(answers))))
    assert_same_report(compare(answers, MINI, k), compare(answers.iloc[order], MINI, k))


@domain_settings
@given(rounds, min_clients, st.data())
def test_respondent_ids_do_not_matter(spec, k, data):
    ids = st.one_of(st.integers(-1000, 1000), st.text(max_size=4))
    new_ids = data.draw(st.lists(ids, min_size=len(spec), max_size=len(spec), unique=True))
    renamed = dict(zip(spec, new_ids, strict=True))
    relabelled = make_answers(
        {renamed[key]: answers for key, answers in spec.items()},
        self_id=renamed.get("me", object()),
    )
    assert_same_report(compare(make_answers(spec), MINI, k), compare(relabelled, MINI, k))


@domain_settings
@given(rounds, min_clients, st.lists(st.sampled_from(ITEMS), min_size=1, unique=True))
def test_a_client_who_cannot_judge_anything_changes_nothing(spec, k, items):
    silent = spec | {"silent": dict.fromkeys(items, math.nan)}
    assert_same_report(compare(make_answers(spec), MINI, k), compare(make_answers(silent), MINI, k))


@domain_settings
@given(st.integers(1, 7), st.floats(1, 7))
def test_reversing_twice_is_identity(answer, value):
    assert MINI.reverse_score(MINI.reverse_score(answer)) == answer
    # Off the scale points, float subtraction may round in the last bit.
    assert math.isclose(MINI.reverse_score(MINI.reverse_score(value)), value, abs_tol=1e-12)


@domain_settings
@given(rounds, min_clients)
def test_reversed_answers_on_reversed_items_give_the_same_report(spec, k):
    # Flip every item's reverse flag and reverse every answer: each item score is reversed
    # twice, so nothing may change.
    flipped = dataclasses.replace(
        MINI,
        items=tuple(
            dataclasses.replace(item, reverse=not item.reverse) if item.kind == "scale" else item
            for item in MINI.items
        ),
    )
    answers = make_answers(spec)
    reversed_answers = answers.assign(value=MINI.reverse_score(answers["value"]))
    assert_same_report(compare(answers, MINI, k), compare(reversed_answers, flipped, k))


@domain_settings
@given(st.lists(rounds, min_size=1, max_size=4), min_clients)
def test_cohort_equals_compare_per_advisor(specs, k):
    frames = {f"adv{i}": make_answers(spec) for i, spec in enumerate(specs)}
    frames = {name: frame for name, frame in frames.items() if len(frame)}
    all_answers = pd.concat(
        [frame.assign(advisor=name) for name, frame in frames.items()] or [pd.DataFrame()]
    )
    report = cohort(all_answers, MINI, k)
    assert sorted(report.advisors.index.unique("advisor")) == sorted(frames)
    alone = {name: compare(frame, MINI, k).dimensions for name, frame in frames.items()}
    for name, dimensions in alone.items():
        pd.testing.assert_frame_equal(report.advisors.loc[name], dimensions)
    for dimension, summary in report.summary.iterrows():
        shown = [
            d.loc[dimension] for d in alone.values() if not np.isnan(d.loc[dimension, "clients_n"])
        ]
        assert summary["advisors_n"] == len(shown)
        if shown:
            expected = np.mean([row["clients"] for row in shown])
            assert math.isclose(summary["clients"], expected, rel_tol=1e-12)


@domain_settings
@given(rounds, min_clients)
def test_shown_client_values_are_consistent(spec, k):
    report = compare(make_answers(spec), MINI, k)
    assert report.suppressed == (report.n_clients < k)
    for table in (report.dimensions, report.roles, report.items):
        shown = table[table["clients_n"].notna()]
        assert (shown["clients_n"] >= k).all()
        assert (shown["clients_n"] <= report.n_clients).all()
        assert (shown["clients_min"] <= shown["clients"] + 1e-12).all()
        assert (shown["clients"] <= shown["clients_max"] + 1e-12).all()
        hidden = table[table["clients_n"].isna()]
        assert (
            hidden[["clients", "gap", "clients_sd", "clients_min", "clients_max"]]
            .isna()
            .all()
            .all()
        )
    assert not set(report.blind_spots) & set(report.hidden_strengths)
