"""Measurement quality of the scales: how reliable each one is, and how each item behaves.

Public names:
- `scale_reliability(answers, instrument, perspective="client")`: one row per scale, the
  four trust dimensions then the four roles (index "scale"), with `items`, `n`, Cronbach's
  `alpha`, its 95% interval by Feldt's method (`alpha_ci_low`, `alpha_ci_high`) and the
  standard error of measurement `sem` on the scale's mean-score metric.
- `item_statistics(answers, instrument, perspective="client")`: one row per scale item
  (index "item", questionnaire order) with `dimension`, `role`, `reverse`, `mean`, `sd`,
  `n`, `cannot_judge_share` and the corrected item-total correlation `item_total`.

`answers` is the frame `aggregation.compare` takes (respondent, perspective, item, value;
None or NaN for "cannot judge"), checked the same way. Only the rows of `perspective` count,
so respondent ids must be unique across the rounds pooled in one frame. A respondent counts
for a scale only if they answered every item of it (listwise deletion), and reverse-scored
items are reversed first; only an item's `mean` and `sd` describe the answers as given.
These are figures about the questionnaire, not about one advisor: a caller that shows them
decides how many respondents they must rest on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import f as f_distribution

from pib360.domain import _scoring
from pib360.domain._frames import (
    answer_values,
    check_one_answer_per_cell,
    id_codes,
    item_codes,
    perspective_codes,
    require_columns,
)
from pib360.domain.instrument import DIMENSIONS, PERSPECTIVES, ROLES, Instrument

__all__ = ["item_statistics", "scale_reliability"]

_CONFIDENCE = 0.95
# Scores lie on a scale of a few points: a variance this small is the rounding left over
# from a constant, and dividing by it would turn noise into a figure.
_ZERO_VARIANCE = 1e-12


def scale_reliability(
    answers: pd.DataFrame, instrument: Instrument, perspective: str = "client"
) -> pd.DataFrame:
    """Cronbach's alpha with its Feldt interval and the SEM, per dimension and per role."""
    scores = _score_matrix(answers, instrument, perspective)
    layout = _scoring.layout(instrument)
    membership = np.hstack([layout.dimensions, layout.roles])
    scales = [_complete_covariance(scores, np.flatnonzero(column)) for column in membership.T]
    n = np.array([count for count, _ in scales])
    items = np.array([len(covariance) for _, covariance in scales])
    alpha = np.array([_alpha(count, covariance) for count, covariance in scales])
    # The sd of a respondent's mean score is the sd of their sum score over k.
    total_variance = np.array([covariance.sum() for _, covariance in scales])
    sd = np.sqrt(np.clip(total_variance, 0, None)) / np.maximum(items, 1)
    low, high = _feldt_interval(alpha, n, items)
    # alpha <= 1 in exact arithmetic; the clip keeps a rounded 1 + 1e-16 from giving NaN.
    sem = sd * np.sqrt(np.clip(1 - alpha, 0, None))
    table = {"items": items, "n": n, "alpha": alpha, "alpha_ci_low": low}
    table |= {"alpha_ci_high": high, "sem": sem}
    return pd.DataFrame(table, index=pd.Index([*DIMENSIONS, *ROLES], name="scale"))


def item_statistics(
    answers: pd.DataFrame, instrument: Instrument, perspective: str = "client"
) -> pd.DataFrame:
    """Per scale item: mean and sd as answered, answers, "cannot judge" share, item-total r."""
    scores = _score_matrix(answers, instrument, perspective)
    items = instrument.scale_items
    reverse = np.array([item.reverse for item in items], dtype=bool)
    n, mean, sd = _moments(scores)
    respondents = scores.shape[1]
    table = {
        "dimension": [item.dimension for item in items],
        "role": [item.role for item in items],
        "reverse": reverse,
        # Reversal is a reflection: it maps the mean back and leaves the sd alone.
        "mean": np.where(reverse, instrument.reverse_score(mean), mean),
        "sd": sd,
        "n": n,
        "cannot_judge_share": 1 - n / respondents if respondents else np.full(len(n), np.nan),
        "item_total": _item_total(scores, _scoring.layout(instrument).dimensions),
    }
    return pd.DataFrame(table, index=pd.Index([item.id for item in items], name="item"))


def _score_matrix(answers: pd.DataFrame, instrument: Instrument, perspective: str) -> np.ndarray:
    """Scale items x respondents of `perspective`: item scores, reversed where the item is,
    NaN where the respondent could not judge the item or has no row for it."""
    if perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be 'self' or 'client', not {perspective!r}")
    answers = require_columns(answers, ["respondent", "perspective", "item", "value"])
    # The whole frame is checked, the other perspective's rows too: a bad frame is a bug.
    kept = perspective_codes(answers["perspective"]) == PERSPECTIVES.index(perspective)
    item = item_codes(answers["item"], instrument)
    value = answer_values(answers, instrument)
    if not kept.all():
        answers, item, value = answers[kept], item[kept], value[kept]
    respondent, respondents = id_codes(answers["respondent"], "respondent", sort=False)
    # Item by item, so that a scale's items are whole rows: the work per scale below reads
    # contiguous memory. A flat index is much faster than scores[item, respondent].
    cell = item * len(respondents) + respondent
    check_one_answer_per_cell(answers, cell)
    scores = np.full((len(instrument.scale_items), len(respondents)), np.nan)
    scores.ravel()[cell] = value
    reverse = [position for position, item in enumerate(instrument.scale_items) if item.reverse]
    scores[reverse] = instrument.reverse_score(scores[reverse])
    return scores


def _moments(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per item: its answers, their mean and their sd (NaN below one and two answers)."""
    unanswered = np.isnan(scores)
    n = scores.shape[1] - unanswered.sum(axis=1)
    nan = np.full(len(n), np.nan)
    deviations = np.where(unanswered, 0, scores)
    mean = np.divide(deviations.sum(axis=1), n, out=nan.copy(), where=n > 0)
    deviations -= mean[:, None]
    deviations[unanswered] = 0
    squares = np.einsum("ij,ij->i", deviations, deviations)  # without a squared copy
    return n, mean, np.sqrt(np.divide(squares, n - 1, out=nan.copy(), where=n > 1))


def _complete_covariance(scores: np.ndarray, items: np.ndarray) -> tuple[int, np.ndarray]:
    """How many respondents answered every one of `items`, and the items' covariance
    matrix over them (NaN when fewer than two)."""
    if not len(items):
        return 0, np.empty((0, 0))  # a scale without items has nobody who answered it
    block = scores[items]
    # A gap makes the respondent's sum NaN: one pass finds who answered everything.
    block = np.compress(~np.isnan(block.sum(axis=0)), block, axis=1)
    n = block.shape[1]
    if n < 2:
        return n, np.full((len(items), len(items)), np.nan)
    centred = block - block.mean(axis=1, keepdims=True)
    return n, centred @ centred.T / (n - 1)


def _alpha(n: int, covariance: np.ndarray) -> float:
    """Cronbach's alpha, k/(k-1) (1 - sum of item variances / variance of the sum score)."""
    k = len(covariance)
    if k < 2 or n < 3:
        return np.nan
    item_variance, total_variance = np.trace(covariance), covariance.sum()
    if total_variance <= _ZERO_VARIANCE:
        return np.nan
    return k / (k - 1) * (1 - item_variance / total_variance)


def _feldt_interval(alpha: np.ndarray, n: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, ...]:
    """Feldt's interval: 1 - (1 - alpha) F, F the F(n-1, (n-1)(k-1)) quantiles."""
    low, high = np.full(len(alpha), np.nan), np.full(len(alpha), np.nan)
    known = ~np.isnan(alpha)  # implies n >= 3 and k >= 2, so both df are positive
    df1, df2 = n[known] - 1, (n[known] - 1) * (k[known] - 1)
    tail = (1 - _CONFIDENCE) / 2
    low[known] = 1 - (1 - alpha[known]) * f_distribution.ppf(1 - tail, df1, df2)
    high[known] = 1 - (1 - alpha[known]) * f_distribution.ppf(tail, df1, df2)
    return low, high


def _item_total(scores: np.ndarray, dimensions: np.ndarray) -> np.ndarray:
    """Per item: its correlation with the sum of the other items of its dimension, over the
    respondents who answered every item of the dimension; NaN where that is undefined."""
    result = np.full(len(scores), np.nan)
    for membership in dimensions.T:
        items = np.flatnonzero(membership)
        n, covariance = _complete_covariance(scores, items)
        if len(items) < 2 or n < 2:
            continue
        # With R = total - item: cov(item, R) = row sum - var(item), and
        # var(R) = var(total) - 2 row sum + var(item); all read off the covariance matrix.
        item_variance, row_sum = np.diag(covariance), covariance.sum(axis=1)
        rest_variance = covariance.sum() - 2 * row_sum + item_variance
        defined = (item_variance > _ZERO_VARIANCE) & (rest_variance > _ZERO_VARIANCE)
        denominator = np.sqrt(np.where(defined, item_variance * rest_variance, 1.0))
        result[items] = np.where(defined, (row_sum - item_variance) / denominator, np.nan)
    return result
