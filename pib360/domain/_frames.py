"""Validate answer and choice frames and turn them into integer codes for vectorised scoring.

Every check raises ValueError naming the problem ("answers: unknown item id 'x12'"), since a
bad frame is a programming error in the caller, not something to paper over.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd

from pib360.domain.instrument import PERSPECTIVES, Instrument

SELF, CLIENT = PERSPECTIVES.index("self"), PERSPECTIVES.index("client")


@dataclass(frozen=True)
class CodedAnswers:
    """Scale answers as arrays: one entry per row, or per respondent where noted."""

    advisors: pd.Index  # advisor labels; an advisor's code is its position here
    respondent: np.ndarray  # per row: respondent code, unique across advisors
    item: np.ndarray  # per row: position of the item among the scale items
    score: np.ndarray  # per row: item score after reversal; NaN for "cannot judge"
    respondent_advisor: np.ndarray  # per respondent: advisor code
    respondent_is_client: np.ndarray  # per respondent: True for a client, False for self


def fail(problem: str) -> NoReturn:
    """Raise the ValueError for an invalid input frame."""
    raise ValueError(f"answers: {problem}")


def require_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The frame, checked to have `columns`; a frame without rows or columns counts as empty."""
    if not isinstance(frame, pd.DataFrame):
        fail(f"expected a pandas DataFrame, not {type(frame).__name__}")
    if frame.shape == (0, 0):
        return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        fail(f"missing column(s) {', '.join(map(repr, missing))}")
    return frame


def lookup_codes(column: pd.Series, categories: Sequence[Hashable]) -> np.ndarray:
    """Position of each value in `categories`; -1 for a missing or unknown value."""
    # Look up the (small) set of distinct values, not every row: a categorical column has
    # them already; any other column is factorised first.
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, uniques = pd.factorize(column)
    lookup = pd.Index(categories).get_indexer(pd.Index(uniques, dtype=object))
    return np.append(lookup, -1)[codes]


def id_codes(column: pd.Series, name: str, sort: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of an id column, in sorted id order where ids sort, and the ids.

    With `sort=False` the codes follow the order of first appearance, which is faster.
    """
    try:
        codes, uniques = pd.factorize(column, sort=sort)
    except TypeError:  # ids of mixed types do not sort; order of appearance will do
        codes, uniques = pd.factorize(column)
    if len(codes) and codes.min() < 0:
        fail(f"missing {name} id in row {column.index[np.argmin(codes)]!r}")
    return codes, pd.Index(uniques, name=name)


def perspective_codes(column: pd.Series) -> np.ndarray:
    """SELF or CLIENT per row."""
    codes = lookup_codes(column, PERSPECTIVES)
    if (codes < 0).any():
        row = np.argmin(codes)
        if pd.api.types.is_scalar(column.iloc[row]) and pd.isna(column.iloc[row]):
            fail(f"missing perspective in row {column.index[row]!r}")
        fail(f"unknown perspective {column.iloc[row]!r}; expected 'self' or 'client'")
    return codes


def code_answers(answers: pd.DataFrame, instrument: Instrument, by_advisor: bool) -> CodedAnswers:
    """Validate a frame of scale answers and code it; `by_advisor` reads an advisor column."""
    columns = ["respondent", "perspective", "item", "value"]
    answers = require_columns(answers, ["advisor", *columns] if by_advisor else columns)
    if by_advisor:
        advisor, advisors = id_codes(answers["advisor"], "advisor")
    else:
        advisor, advisors = np.zeros(len(answers), dtype=np.int64), pd.Index([None])
    perspective = perspective_codes(answers["perspective"])
    item = item_codes(answers["item"], instrument)
    value = answer_values(answers, instrument)
    local, _ = id_codes(answers["respondent"], "respondent")
    respondent, respondent_advisor, is_client = _respondents(advisor, perspective, local)
    check_one_answer_per_cell(answers, respondent * len(instrument.scale_items) + item)
    _check_one_self(answers, respondent, respondent_advisor, is_client, advisors, by_advisor)
    reverse = np.array([item.reverse for item in instrument.scale_items])
    score = np.where(reverse[item], instrument.reverse_score(value), value)
    return CodedAnswers(advisors, respondent, item, score, respondent_advisor, is_client)


def item_codes(column: pd.Series, instrument: Instrument) -> np.ndarray:
    """Position of each row's item among the scale items; refuses any other item."""
    codes = lookup_codes(column, [item.id for item in instrument.scale_items])
    if (codes < 0).any():
        bad = column.iloc[np.argmin(codes)]
        item = instrument.item(bad) if isinstance(bad, str) else None
        if item is not None:
            fail(f"item {bad!r} is a {item.kind} item, not a scale item")
        fail(f"unknown item id {bad!r}")
    return codes


def _is_number(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_))
    )


def answer_values(answers: pd.DataFrame, instrument: Instrument) -> np.ndarray:
    """The value column as floats, NaN for "cannot judge"; refuses values off the scale."""
    column = answers["value"]
    dtype = column.dtype
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if not numeric or pd.api.types.is_complex_dtype(dtype):
        # Object columns (or worse) are checked value by value: slow, but only for odd input.
        is_number = column.map(_is_number).to_numpy(dtype=bool)
        if not is_number.all():
            row = np.argmin(is_number)
            fail(
                f"value {column.iloc[row]!r} for item {answers['item'].iloc[row]!r} is not a number"
            )
        column = pd.to_numeric(column.astype(object))
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    outside = (values < instrument.scale_min) | (values > instrument.scale_max)
    if outside.any():
        row = np.argmax(outside)
        scale = f"{instrument.scale_min}..{instrument.scale_max}"
        item = answers["item"].iloc[row]
        fail(f"value {float(values[row])!r} for item {item!r} is outside the scale {scale}")
    return values


def check_one_answer_per_cell(answers: pd.DataFrame, cell: np.ndarray) -> None:
    """Refuse two rows in one cell: `cell` numbers each (respondent, item) pair per row."""
    # One answer per respondent and item; a repeat would silently get double weight.
    counts = np.bincount(cell, minlength=1)
    if counts.max() > 1:
        row = np.argmax(counts[cell] > 1)
        fail(
            f"respondent {answers['respondent'].iloc[row]!r} answered item "
            f"{answers['item'].iloc[row]!r} more than once"
        )


def _respondents(advisor, perspective, local) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # One number per (advisor, perspective, respondent id): ids may repeat across advisors,
    # and the self-assessment is a different respondent even under a client's id.
    n_local = int(local.max()) + 1 if len(local) else 1
    key = (advisor.astype(np.int64) * 2 + perspective) * n_local + local
    respondent, keys = pd.factorize(key, sort=True)
    is_client = (keys // n_local) % 2 == CLIENT
    return respondent, keys // (2 * n_local), is_client


def _check_one_self(answers, respondent, respondent_advisor, is_client, advisors, by_advisor):
    counts = np.bincount(respondent_advisor[~is_client], minlength=len(advisors))
    if len(counts) and counts.max() > 1:
        advisor = np.argmax(counts)
        selves = np.flatnonzero(~is_client & (respondent_advisor == advisor))
        rows = np.isin(respondent, selves)
        ids = sorted({repr(id_) for id_ in answers["respondent"].to_numpy()[rows]})
        where = f" for advisor {advisors[advisor]!r}" if by_advisor else ""
        fail(f"more than one self respondent{where}: {', '.join(ids)}")
