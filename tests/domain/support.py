"""Shared test data for the domain tests: the worked example and a frame builder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

MINI_PATH = Path(__file__).parent / "data" / "mini.toml"
NAN = np.nan

# The worked example of test_aggregation.py, on the mini instrument (scale 1..7; a2 and d2
# are reverse-scored, so their answer v scores 8 - v). "me" is the self-assessment.
SCENARIO: dict[str, dict[str, float]] = {
    "me": {"a1": 6, "a2": 2, "b1": 3, "c1": 5, "d1": 1, "d2": 3, "e1": 6},
    "c1": {"a1": 4, "a2": 4, "b1": 5, "c1": 3, "d1": 4, "d2": 4, "e1": 5},
    "c2": {"a1": 5, "a2": NAN, "b1": 6, "c1": 4, "d1": 3, "d2": 5, "e1": 6},
    "c3": {"a1": 3, "a2": 1, "b1": 4, "c1": NAN, "d1": 5, "d2": 3, "e1": 4},
}


def make_answers(
    responses: Mapping[object, Mapping[str, float]], self_id: object = "me"
) -> pd.DataFrame:
    """An answers frame from {respondent: {item: value}}; `self_id` answers as self."""
    rows = [
        {
            "respondent": respondent,
            "perspective": "self" if respondent == self_id else "client",
            "item": item,
            "value": float(value),
        }
        for respondent, answers in responses.items()
        for item, value in answers.items()
    ]
    columns = ["respondent", "perspective", "item", "value"]
    return pd.DataFrame(rows, columns=columns).astype({"value": np.float64})
