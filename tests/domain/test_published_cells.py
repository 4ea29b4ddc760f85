"""Attack: recover a suppressed answer by arithmetic on the figures around it.

With the minimum at 3, one client answers only cr6 ("cannot judge" on the rest of
credibility) while three others answer cr1-cr5. cr6 is hidden, but if credibility still
counted that client, cr6 = 4 x credibility - (3/5) x (sum of the cr1-cr5 means) would give
their answer back. The rule: every client figure rests on published answers only.
"""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pib360.domain.aggregation import cohort, compare
from pib360.domain.instrument_file import load_instrument
from tests.domain.support import make_answers

INSTRUMENT = load_instrument()
ITEMS = [item.id for item in INSTRUMENT.scale_items]
CREDIBILITY = [item.id for item in INSTRUMENT.dimension_items("credibility")]


def scoring(score: int) -> dict[str, float]:
    """Answers to every item that score `score` each (reverse-scored items answered so)."""
    return {item.id: float(INSTRUMENT.reverse_score(score) if item.reverse else score)
            for item in INSTRUMENT.scale_items}


def test_the_worked_attack_recovers_nothing():
    answers = {"me": scoring(4)}
    for number, score in enumerate((5, 6, 7)):
        answers[f"c{number}"] = {**scoring(score), "cr6": math.nan}
    answers["lone"] = {**dict.fromkeys(CREDIBILITY, math.nan), "cr6": scoring(1)["cr6"]}
    report = compare(make_answers(answers), INSTRUMENT)
    assert math.isnan(report.items.loc["cr6", "clients"])
    credibility = report.dimensions.loc["credibility"]
    assert credibility["clients_n"] == 3  # the lone client has no published item here
    assert credibility["clients"] == 6  # the three clients' 5, 6 and 7
    published = report.items.loc[CREDIBILITY[:5], "clients"].sum()
    recovered = 4 * credibility["clients"] - 3 / 5 * published
    assert recovered != 1
    assert report.roles.loc["expert", "clients_n"] == 3  # cr6 is an expert item too


# Random rounds in which "cannot judge" is common, so that many cells are suppressed.
value = st.one_of(st.just(math.nan), st.just(math.nan), st.integers(1, 7).map(float))
response = st.lists(value, min_size=len(ITEMS), max_size=len(ITEMS)).map(
    lambda values: dict(zip(ITEMS, values, strict=True)))
rounds = st.builds(
    lambda me, clients: {"me": me} | {f"c{i}": c for i, c in enumerate(clients)},
    response, st.lists(response, min_size=2, max_size=7))


def suppressed_cells(spec: dict, items: pd.DataFrame) -> list[tuple[str, str]]:
    """(client, item) of every client answer to an item whose figures are not shown."""
    hidden = set(items.index[items["clients_n"].isna()])
    return [(who, item) for who, answers in spec.items() if who != "me"
            for item, answer in answers.items() if item in hidden and not math.isnan(answer)]


def changed(spec: dict, cells, new_values) -> dict:
    """The round with other (still given) answers in `cells`."""
    result = {who: dict(answers) for who, answers in spec.items()}
    for (who, item), new in zip(cells, new_values, strict=True):
        result[who][item] = float(new)
    return result


@settings(max_examples=80, deadline=None)
@given(rounds, st.integers(3, 4), st.data())
def test_changing_a_suppressed_answer_changes_no_published_number(spec, k, data):
    report = compare(make_answers(spec), INSTRUMENT, k)
    cells = suppressed_cells(spec, report.items)
    new = data.draw(st.lists(st.integers(1, 7), min_size=len(cells), max_size=len(cells)))
    again = compare(make_answers(changed(spec, cells, new)), INSTRUMENT, k)
    for table in ("dimensions", "roles", "items"):  # also: what was hidden stays hidden
        pd.testing.assert_frame_equal(getattr(report, table), getattr(again, table))
    pd.testing.assert_series_equal(report.trust_quotient, again.trust_quotient)
    assert (report.blind_spots, report.hidden_strengths) == (
        again.blind_spots, again.hidden_strengths)


@settings(max_examples=40, deadline=None)
@given(st.lists(rounds, min_size=2, max_size=4), st.data())
def test_the_group_report_rests_on_published_answers_only(specs, data):
    def frame(round_specs):
        return pd.concat([make_answers(spec).assign(advisor=number)
                          for number, spec in enumerate(round_specs)], ignore_index=True)

    alone = [compare(make_answers(spec), INSTRUMENT, 3).items for spec in specs]
    cells = [suppressed_cells(spec, items) for spec, items in zip(specs, alone, strict=True)]
    edited = [changed(spec, c, data.draw(st.lists(st.integers(1, 7), min_size=len(c),
                                                  max_size=len(c))))
              for spec, c in zip(specs, cells, strict=True)]
    before = cohort(frame(specs), INSTRUMENT, 3, details=True)
    after = cohort(frame(edited), INSTRUMENT, 3, details=True)
    pd.testing.assert_frame_equal(before.advisors, after.advisors)
    for summary in ("summary", "role_summary", "item_summary"):
        pd.testing.assert_frame_equal(getattr(before, summary), getattr(after, summary))
    assert np.array_equal(before.n_clients, after.n_clients)
