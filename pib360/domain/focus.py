"""Focus points of a development plan, measured: where to start, and what changed.

- `weakest(report, instrument)`: the dimension and the role the clients scored least favourably (for
  self-orientation, the highest score), or None where no client figure is published. The
  report offers the reflection prompts of these two.
- `suggestions(report, instrument)`: focus points worth considering, most telling first:
  the weakest dimension and role, the clients' weakest statements and the largest blind spot.
- `focus_progress(points, before, after, instrument)`: per focus point, the clients' score
  in the round the plan was made after and in a later round, the change and its 90%
  interval (Welch, as `uncertainty.change_interval`), whether it is beyond the noise, and
  whether it went the favourable way. Statements are as worded (`highlights.as_worded`).

A focus point is a pair (kind, key): ("dimension", "intimacy"), ("role", "trusted_advisor")
or ("item", "in3"). Every figure is one the reports publish; an unpublished one is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pib360.domain.aggregation import GapReport
from pib360.domain.highlights import as_worded, highlights
from pib360.domain.instrument import Instrument
from pib360.domain.uncertainty import beyond_noise, change_interval

__all__ = ["KINDS", "PROGRESS_COLUMNS", "focus_progress", "suggestions", "weakest"]

KINDS = ("dimension", "role", "item")
PROGRESS_COLUMNS = ("kind", "key", "before", "after", "change", "change_low", "change_high",
                    "beyond_noise", "improved", "higher_is_better")

FocusPoint = tuple[str, str]


def weakest(report: GapReport, instrument: Instrument) -> tuple[str | None, str | None]:
    """The dimension and the role the clients scored least favourably. Dimensions are
    compared by their distance from the best they can be: for self-orientation the scale's
    bottom, for the other three its top."""
    scores = report.dimensions["clients"].astype(float)
    shortfall = instrument.scale_max - scores
    if "self_orientation" in scores.index:
        shortfall["self_orientation"] = scores["self_orientation"] - instrument.scale_min
    return _lowest(-shortfall), _lowest(report.roles["clients"].astype(float))


def _lowest(scores: pd.Series) -> str | None:
    scores = scores.dropna()
    if scores.empty:
        return None
    return str(scores.sort_values(kind="stable").index[0])


def suggestions(report: GapReport, instrument: Instrument) -> list[FocusPoint]:
    """Focus points to consider, without repeats: the weakest dimension and role, the
    clients' weakest statements, then the largest blind spot."""
    dimension, role = weakest(report, instrument)
    found: list[FocusPoint] = []
    if dimension:
        found.append(("dimension", dimension))
    if role:
        found.append(("role", role))
    chosen = highlights(report, instrument)
    for item in [*chosen.development, chosen.blind_spot]:
        if item and ("item", item) not in found:
            found.append(("item", item))
    return found


def focus_progress(points: Sequence[FocusPoint], before: GapReport, after: GapReport,
                   instrument: Instrument, after_instrument: Instrument | None = None
                   ) -> pd.DataFrame:
    """The clients' score of each focus point then and now, and the change (see module)."""
    then = _figures(before, instrument)
    now = _figures(after, after_instrument or instrument)
    rows = []
    for kind, key in points:
        if kind not in KINDS:
            raise ValueError(f"focus_progress: unknown kind of focus point {kind!r}")
        a = then[kind].reindex([key]).iloc[0]
        b = now[kind].reindex([key]).iloc[0]
        change, low, high = change_interval(a["clients"], a["clients_sd"], a["clients_n"],
                                            b["clients"], b["clients_sd"], b["clients_n"])
        better = _higher_is_better(kind, key, then, now)
        beyond = bool(beyond_noise(low, high)) if not np.isnan(low) else False
        rows.append({
            "kind": kind, "key": key, "before": float(a["clients"]),
            "after": float(b["clients"]), "change": float(change),
            "change_low": float(low), "change_high": float(high), "beyond_noise": beyond,
            "improved": bool(beyond and (change > 0) == better),
            "higher_is_better": better,
        })
    return pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))


def _figures(report: GapReport, instrument: Instrument) -> dict[str, pd.DataFrame]:
    return {"dimension": report.dimensions, "role": report.roles,
            "item": as_worded(report, instrument)}


def _higher_is_better(kind: str, key: str, then: dict, now: dict) -> bool:
    if kind == "dimension":
        return key != "self_orientation"
    if kind == "role":
        return True
    for figures in (now, then):
        if key in figures["item"].index:
            return bool(figures["item"].loc[key, "higher_is_better"])
    return True
