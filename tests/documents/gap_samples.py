"""Hand-made gap reports on the default instrument, for the chart and document tests.

Four clients and a self-assessment. The self answers 5 everywhere and the clients 3, 4, 5
and 6, except:
- cr1: self 7, clients 3, 3, 4, 3 -> a blind spot (clients' mean 3.25, gap -3.75);
- re1: self 2, clients 6, 6, 7, 6 -> a hidden strength (clients' mean 6.25, gap +4.25);
- in5: only two clients judged it -> its client figures are suppressed (NaN) per cell.
Respondent ids are distinctive so a test can prove they never reach a download.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from pib360.domain.aggregation import GapReport, compare, role_choices
from pib360.domain.instrument import Instrument
from tests.domain.support import make_answers

SELF = "resp-self-xq"
CLIENTS = ("resp-alpha-xq", "resp-bravo-xq", "resp-charlie-xq", "resp-delta-xq")
CLOSED_ON = datetime.date(2026, 3, 14)
COMMENTS = {
    "keep_doing": ["Always reachable & calm <when> it matters.", "Clear about fees."],
    "do_differently": ["Ask more questions before proposing a solution."],
}


def responses(instrument: Instrument) -> dict[str, dict[str, float]]:
    """{respondent: {item: answer}} of the scenario in the module docstring."""
    ids = [item.id for item in instrument.scale_items]
    base = dict(zip((SELF, *CLIENTS), (5, 3, 4, 5, 6), strict=True))
    data = {who: dict.fromkeys(ids, float(value)) for who, value in base.items()}
    data[SELF] |= {"cr1": 7.0, "re1": 2.0}
    for client, cr1, re1 in zip(CLIENTS, (3, 3, 4, 3), (6, 6, 7, 6), strict=True):
        data[client] |= {"cr1": float(cr1), "re1": float(re1)}
    for client in CLIENTS[2:]:
        data[client]["in5"] = np.nan  # "cannot judge"
    return data


def gap_report(instrument: Instrument, clients: int = 4) -> GapReport:
    """The scenario's report, with only the first `clients` clients (below 3: suppressed)."""
    data = responses(instrument)
    kept = {who: data[who] for who in (SELF, *CLIENTS[:clients])}
    return compare(make_answers(kept, self_id=SELF), instrument)


def choices(instrument: Instrument, clients: int = 4) -> pd.DataFrame:
    """role_choices of the scenario: self picks valued_helper; clients expert (2), others."""
    picks = dict(
        zip(
            (SELF, *CLIENTS[:clients]),
            ("valued_helper", "expert", "expert", "trusted_advisor", "expert_plus"),
            strict=False,
        )
    )
    frame = pd.DataFrame(
        {
            "respondent": list(picks),
            "perspective": ["self" if who == SELF else "client" for who in picks],
            "value": list(picks.values()),
        }
    )
    return role_choices(frame, instrument)
