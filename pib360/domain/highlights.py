"""What a reader of a gap report should look at first, and statements as they are worded.

- `as_worded(report, instrument)`: the item table as agreement with each statement as
  worded (the scale the client answered), so "My advisor has to be reminded of
  commitments: you 2, clients 4" reads the way it is written; `higher_is_better` says which
  way is favourable for that statement.
- `highlights(report, instrument, count=3)`: the clients' strongest and weakest statements
  by their own (favourable) scores, and the largest blind spot and hidden strength.
- `worded_summary(summary, instrument)`: a group's per-item means as worded, likewise.
- `at_a_glance(report)`: the trust quotient and the largest dimension gap, as plain
  numbers (a coach's dashboard shows them for each advisor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pib360.domain import _scoring
from pib360.domain.aggregation import GapReport
from pib360.domain.instrument import Instrument

__all__ = ["Highlights", "as_worded", "at_a_glance", "highlights", "worded_summary"]


def as_worded(report: GapReport, instrument: Instrument) -> pd.DataFrame:
    """Per item: self, clients, gap, clients_sd, clients_n, clients_ci_low, clients_ci_high
    as agreement with the statement as worded, and whether higher is better."""
    items = report.items
    reverse = np.array([instrument.item(i).reverse for i in items.index])
    favour = _scoring.layout(instrument).favour
    worded = pd.DataFrame(index=items.index)
    for column in ("self", "clients"):
        worded[column] = np.where(reverse, instrument.reverse_score(items[column]), items[column])
    worded["gap"] = worded["clients"] - worded["self"]
    worded["clients_sd"] = items["clients_sd"]
    worded["clients_n"] = items["clients_n"]
    low, high = items["clients_ci_low"], items["clients_ci_high"]
    worded["clients_ci_low"] = np.where(reverse, instrument.reverse_score(high), low)
    worded["clients_ci_high"] = np.where(reverse, instrument.reverse_score(low), high)
    # Agreeing is favourable unless the statement is reversed or about self-orientation
    # (and a reversed self-orientation statement is favourable again).
    worded["higher_is_better"] = (favour * np.where(reverse, -1, 1)) > 0
    return worded


def worded_summary(summary: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """A per-item summary (self, clients, gap: a group report's) as agreement with each
    statement as worded, with `higher_is_better`."""
    reverse = np.array([instrument.item(i).reverse for i in summary.index])
    favour = np.array([-1.0 if instrument.item(i).dimension == "self_orientation" else 1.0
                       for i in summary.index])
    worded = summary.copy()
    for column in ("self", "clients"):
        worded[column] = np.where(reverse, instrument.reverse_score(summary[column]),
                                  summary[column])
    worded["gap"] = np.where(reverse, -summary["gap"], summary["gap"])
    worded["higher_is_better"] = (favour * np.where(reverse, -1, 1)) > 0
    return worded


@dataclass(frozen=True)
class Highlights:
    """Item ids worth reading first; empty where client figures are not shown."""

    strengths: list[str]  # the clients' most favourable scores, best first
    development: list[str]  # their least favourable, weakest first
    blind_spot: str | None  # the largest
    hidden_strength: str | None


def highlights(report: GapReport, instrument: Instrument, count: int = 3) -> Highlights:
    """The clients' `count` strongest and weakest items, and the largest gaps."""
    favour = _scoring.layout(instrument).favour
    scores = report.items["clients"].to_numpy()
    # Favourable score: as scored, or mirrored for self-orientation (lower is better).
    favourable = pd.Series(np.where(favour > 0, scores, instrument.reverse_score(scores)),
                           index=report.items.index).dropna()
    best = favourable.sort_values(ascending=False, kind="stable").index[:count]
    worst = favourable.sort_values(ascending=True, kind="stable").index[:count]
    # With few items, one can be among both: the weakest list keeps only what is not best.
    worst = [item for item in worst if item not in best]
    return Highlights(
        strengths=list(best), development=worst,
        blind_spot=report.blind_spots[0] if report.blind_spots else None,
        hidden_strength=report.hidden_strengths[0] if report.hidden_strengths else None,
    )


def at_a_glance(report: GapReport) -> dict:
    """The trust quotient (self, clients) and the dimension with the largest gap, as
    plain numbers: {"tq_self", "tq_clients" (None where hidden), "largest_gap": None or
    [dimension, self, clients, gap]}."""
    def plain(value) -> float | None:
        return None if pd.isna(value) else float(value)

    gaps = report.dimensions["gap"].dropna()
    largest = None
    if not gaps.empty:
        key = str(gaps.abs().sort_values(ascending=False, kind="stable").index[0])
        row = report.dimensions.loc[key]
        largest = [key, float(row["self"]), float(row["clients"]), float(row["gap"])]
    return {"tq_self": plain(report.trust_quotient["self"]),
            "tq_clients": plain(report.trust_quotient["clients"]), "largest_gap": largest}
