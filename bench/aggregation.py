"""Time cohort() against a bare pandas groupby on a synthetic cohort of advisors.

    .venv/bin/python bench/aggregation.py [--advisors 20000] [--clients 10] [--repeat 3]

Every advisor has a self-assessment and `--clients` clients who answer every scale item of
the default instrument (5% "cannot judge"): 20,000 advisors make 5,280,000 answer rows.
The baseline is the least pandas needs to reach respondent-level dimension scores: reverse
the reverse-scored items, look up each item's dimension, and
groupby([advisor, perspective, respondent, dimension])["value"].mean(). cohort() does all
that plus validation, client statistics, k-anonymity and the summary. Both run on the same
frame in the same process; the best of `--repeat` runs is reported.
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from pib360.domain.aggregation import cohort
from pib360.domain.instrument import Instrument
from pib360.domain.instrument_file import load_instrument

MB = 1024 * 1024


def synthetic_answers(
    instrument: Instrument, advisors: int, clients: int, dtype: str, seed: int = 1
) -> pd.DataFrame:
    """One row per answer, shaped like the answers a service loads from the database."""
    rng = np.random.default_rng(seed)
    items = [item.id for item in instrument.scale_items]
    per_advisor = 1 + clients  # respondent 0 of each advisor is the self-assessment
    rows = advisors * per_advisor * len(items)
    respondent = np.arange(rows) // len(items)  # globally unique, like response ids
    value = rng.integers(instrument.scale_min, instrument.scale_max + 1, rows).astype(float)
    value[rng.random(rows) < 0.05] = np.nan
    perspective = pd.Categorical.from_codes(
        (respondent % per_advisor != 0).astype(np.int8), categories=["self", "client"]
    )
    item = pd.Categorical.from_codes(np.tile(np.arange(len(items)), rows // len(items)), items)
    frame = pd.DataFrame(
        {
            "advisor": respondent // per_advisor,
            "respondent": respondent,
            "perspective": perspective,
            "item": item,
            "value": value,
        }
    )
    if dtype == "str":
        frame = frame.astype({"perspective": "str", "item": "str"})
    return frame


def baseline(answers: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """Respondent dimension means with plain pandas: reversal, lookup, groupby-mean."""
    items = instrument.scale_items
    reverse = pd.Series({item.id: item.reverse for item in items})
    dimension = pd.Series({item.id: item.dimension for item in items})
    codes = reverse.index.get_indexer(answers["item"])
    value = answers["value"].to_numpy()
    value = np.where(reverse.to_numpy()[codes], instrument.reverse_score(value), value)
    scored = answers.assign(value=value, dimension=dimension.to_numpy()[codes])
    keys = ["advisor", "perspective", "respondent", "dimension"]
    return scored.groupby(keys, observed=True, sort=False)["value"].mean()


def best_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def traced_peak(run: Callable[[], object]) -> float:
    """Peak memory allocated while `run` runs, in MB (a separate, untimed run)."""
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / MB


def check(report, respondent_means: pd.Series) -> None:
    """cohort()'s client means agree with the baseline's respondent means."""
    clients = respondent_means.xs("client", level="perspective")
    expected = clients.groupby(level=["advisor", "dimension"], observed=True).mean()
    shown = report.advisors["clients"].dropna()
    pd.testing.assert_series_equal(
        shown, expected.reindex(shown.index), check_names=False, rtol=1e-9
    )


def main() -> None:
    """Build the cohort, time both, print times, ratio and memory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--advisors", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--dtype",
        choices=["category", "str"],
        default="category",
        help="dtype of the perspective and item columns",
    )
    args = parser.parse_args()

    instrument = load_instrument()
    answers = synthetic_answers(instrument, args.advisors, args.clients, args.dtype)
    frame_mb = answers.memory_usage(deep=True).sum() / MB
    print(
        f"answers: {len(answers):,} rows ({args.advisors:,} advisors x {1 + args.clients} "
        f"respondents x {len(instrument.scale_items)} items), perspective/item as "
        f"{args.dtype}, {frame_mb:,.0f} MB"
    )

    cohort_s, report = best_time(lambda: cohort(answers, instrument), args.repeat)
    baseline_s, means = best_time(lambda: baseline(answers, instrument), args.repeat)
    check(report, means)
    print(f"cohort():  {cohort_s:6.2f} s   (best of {args.repeat})")
    print(f"baseline:  {baseline_s:6.2f} s   (best of {args.repeat})")
    print(f"ratio cohort/baseline: {cohort_s / baseline_s:.2f}")
    cohort_mb = traced_peak(lambda: cohort(answers, instrument))
    baseline_mb = traced_peak(lambda: baseline(answers, instrument))
    print(f"peak allocated: cohort() {cohort_mb:,.0f} MB, baseline {baseline_mb:,.0f} MB")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(f"process peak RSS: {max_rss:,.0f} MB")


if __name__ == "__main__":
    main()
