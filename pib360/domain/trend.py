"""An advisor's rounds over time: the trust quotient and the four dimensions per round,
and whether each dimension's change since the round before lies beyond the noise.

`trend_frame(rounds)` takes (label, closing date, GapReport) triples and returns one row
per round, oldest first, indexed by label (index name "round"), with the columns of
TREND_COLUMNS:
    closed_on, instrument_version
    tq_self, tq_clients                 the trust quotient
    <dimension>_self, <dimension>_clients, <dimension>_clients_sd, <dimension>_clients_n
    <dimension>_change, <dimension>_change_low, <dimension>_change_high
                                        the clients' mean minus that of the previous round
                                        with a client figure, and its 90% interval (Welch)
    <dimension>_beyond_noise            True when that interval does not include 0
Client columns are NaN (and beyond_noise False) where client figures are not shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pib360.domain.aggregation import GapReport
from pib360.domain.instrument import DIMENSIONS
from pib360.domain.uncertainty import beyond_noise, change_interval

__all__ = ["SERIES", "TREND_COLUMNS", "trend_frame"]

SERIES = ("tq", *DIMENSIONS)
_FIGURES = ("self", "clients", "clients_sd", "clients_n")
_CHANGE = ("change", "change_low", "change_high", "beyond_noise")
TREND_COLUMNS = (
    "closed_on",
    "instrument_version",
    "tq_self",
    "tq_clients",
    *(f"{d}_{column}" for d in DIMENSIONS for column in (*_FIGURES, *_CHANGE)),
)


def trend_frame(rounds: Sequence[tuple[str, datetime.date, GapReport]]) -> pd.DataFrame:
    """The trend frame of (round label, closed date, gap report) triples, oldest first."""
    labels = [label for label, _closed_on, _report in rounds]
    if len(set(labels)) != len(labels):
        raise ValueError("trend_frame: every round needs its own label")
    rows = [_row(closed_on, report) for _label, closed_on, report in rounds]
    frame = pd.DataFrame(rows, index=pd.Index(labels, name="round", dtype=object),
                         columns=[c for c in TREND_COLUMNS if not c.endswith(_CHANGE)])
    frame = frame.sort_values("closed_on", kind="stable")
    for dimension in DIMENSIONS:
        _changes(frame, dimension)
    return frame.reindex(columns=list(TREND_COLUMNS))


def _row(closed_on: datetime.date, report: GapReport) -> dict:
    row = {"closed_on": closed_on, "instrument_version": report.instrument_version,
           "tq_self": float(report.trust_quotient["self"]),
           "tq_clients": float(report.trust_quotient["clients"])}
    for dimension in DIMENSIONS:
        for column in _FIGURES:
            row[f"{dimension}_{column}"] = float(report.dimensions.loc[dimension, column])
    return row


def _changes(frame: pd.DataFrame, dimension: str) -> None:
    """Add the change columns of one dimension: each round against the previous one that
    has a client figure."""
    shown = frame[f"{dimension}_clients"].notna()
    previous = frame.loc[shown, [f"{dimension}_{c}" for c in ("clients", "clients_sd",
                                                                "clients_n")]].shift(1)
    previous = previous.reindex(frame.index)
    change, low, high = change_interval(
        previous[f"{dimension}_clients"], previous[f"{dimension}_clients_sd"],
        previous[f"{dimension}_clients_n"], frame[f"{dimension}_clients"],
        frame[f"{dimension}_clients_sd"], frame[f"{dimension}_clients_n"])
    frame[f"{dimension}_change"] = change
    frame[f"{dimension}_change_low"] = low
    frame[f"{dimension}_change_high"] = high
    frame[f"{dimension}_beyond_noise"] = np.where(np.isnan(low), False, beyond_noise(low, high))
