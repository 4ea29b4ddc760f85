"""The scoring rules, vectorised over every advisor at once.

`compare` runs this for one advisor and `cohort` for thousands, so there is one
implementation of the rules. The pipeline, in order:
1. `item_matrix`: answers -> a respondent x item matrix of item scores (reversal applied);
2. `published_matrix`: every client answer to an item that fewer than `min_clients` of the
   advisor's clients answered is dropped, so it counts nowhere: not in the item, nor in the
   dimension or role it belongs to. No published figure can then depend on an answer that
   is not published, and no suppressed figure can be recovered by arithmetic;
3. `respondent_scores`: per dimension, role or item, the mean of the respondent's remaining
   items, as (sums / counts) of matrix products with a 0/1 item-membership matrix;
4. `advisor_stats`: per advisor, the self respondent's scores, and mean / sd / min / max / n
   and the 90% interval of the mean over clients (see `uncertainty`); every client value
   of a cell with fewer than `min_clients` scores is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from pib360.domain import uncertainty
from pib360.domain._frames import CodedAnswers
from pib360.domain.instrument import DIMENSIONS, ROLES, Instrument

STATS = ("self", "clients", "gap", "clients_sd", "clients_min", "clients_max", "clients_n",
         "clients_ci_low", "clients_ci_high")


@dataclass(frozen=True)
class Layout:
    """How the scale items of an instrument map onto the report's rows."""

    item_ids: tuple[str, ...]
    dimensions: np.ndarray  # items x DIMENSIONS, 1.0 where the item measures the dimension
    roles: np.ndarray  # items x ROLES
    favour: np.ndarray  # per item: +1 where higher is better, -1 where lower is better


@lru_cache(maxsize=16)
def layout(instrument: Instrument) -> Layout:
    """The item-membership matrices of an instrument (cached: instruments are immutable)."""
    items = instrument.scale_items
    dimensions = np.array([[item.dimension == d for d in DIMENSIONS] for item in items], float)
    roles = np.array([[item.role == r for r in ROLES] for item in items], float)
    # An item takes the direction of its dimension; role-only items are higher-is-better.
    favour = np.array([-1.0 if item.dimension == "self_orientation" else 1.0 for item in items])
    return Layout(tuple(item.id for item in items), dimensions, roles, favour)


def item_matrix(coded: CodedAnswers, n_items: int) -> np.ndarray:
    """Respondents x items: each item score, NaN where not answered or "cannot judge"."""
    matrix = np.full((len(coded.respondent_advisor), n_items), np.nan)
    matrix[coded.respondent, coded.item] = coded.score
    return matrix


def published_matrix(coded: CodedAnswers, matrix: np.ndarray, min_clients: int) -> np.ndarray:
    """The item matrix without the client answers to items that are not published.

    An item is published for an advisor when at least `min_clients` of their clients
    answered it. The self-assessment is the advisor's own and always kept.
    """
    clients = coded.respondent_is_client
    answered = ~np.isnan(matrix) & clients[:, None]
    counts = np.zeros((len(coded.advisors), matrix.shape[1]))
    np.add.at(counts, coded.respondent_advisor, answered)
    hidden = (counts < min_clients)[coded.respondent_advisor] & clients[:, None]
    return np.where(hidden, np.nan, matrix)


def respondent_scores(matrix: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Respondents x columns: the mean of each respondent's answered items per column."""
    answered = ~np.isnan(matrix)
    sums = np.where(answered, matrix, 0.0) @ membership
    counts = answered @ membership
    # Missing where the respondent answered none of the column's items.
    return np.divide(sums, counts, out=np.full_like(sums, np.nan), where=counts > 0)


def advisor_stats(
    coded: CodedAnswers, scores: np.ndarray, min_clients: int
) -> dict[str, np.ndarray]:
    """Advisors x columns array for each of STATS, client values of small cells hidden."""
    n_advisors = len(coded.advisors)
    clients = coded.respondent_is_client
    groups = pd.DataFrame(scores[clients]).groupby(coded.respondent_advisor[clients])

    def per_advisor(frame: pd.DataFrame) -> np.ndarray:
        # Advisors without any client are absent from the groupby: give them NaN rows.
        shape = (n_advisors, scores.shape[1])
        return frame.reindex(range(n_advisors)).to_numpy(np.float64, copy=True).reshape(shape)

    stats = {
        "clients": per_advisor(groups.mean()),
        "clients_sd": per_advisor(groups.std(ddof=1)),
        "clients_min": per_advisor(groups.min()),
        "clients_max": per_advisor(groups.max()),
        "clients_n": np.nan_to_num(per_advisor(groups.count())),
    }
    hidden = stats["clients_n"] < min_clients
    for values in stats.values():
        values[hidden] = np.nan
    stats["clients_ci_low"], stats["clients_ci_high"] = uncertainty.mean_interval(
        stats["clients"], stats["clients_sd"], stats["clients_n"])
    stats["self"] = np.full((n_advisors, scores.shape[1]), np.nan)
    stats["self"][coded.respondent_advisor[~clients]] = scores[~clients]
    stats["gap"] = stats["clients"] - stats["self"]
    return {name: stats[name] for name in STATS}


def answer_counts(coded: CodedAnswers, instrument: Instrument) -> np.ndarray:
    """Items x (scale values + "cannot judge"): how many of the first advisor's clients gave
    each answer, as answered (before reversal)."""
    values = list(instrument.scale_values)
    reverse = np.array([item.reverse for item in instrument.scale_items])
    clients = coded.respondent_is_client[coded.respondent] & (coded.respondent_advisor[
        coded.respondent] == 0)
    score = coded.score[clients]
    item = coded.item[clients]
    answered = np.where(reverse[item], instrument.reverse_score(score), score)
    column = np.where(np.isnan(answered), len(values),
                      np.nan_to_num(answered, nan=values[0]).astype(int) - values[0])
    counts = np.zeros((len(instrument.scale_items), len(values) + 1), dtype=np.int64)
    np.add.at(counts, (item, column), 1)
    return counts


def n_clients(coded: CodedAnswers) -> np.ndarray:
    """Per advisor: how many distinct clients gave at least one answer."""
    rows = ~np.isnan(coded.score)
    answered_any = np.bincount(coded.respondent[rows], minlength=len(coded.respondent_advisor))
    counted = coded.respondent_is_client & (answered_any > 0)
    return np.bincount(coded.respondent_advisor[counted], minlength=len(coded.advisors))


def trust_quotient(dimensions: np.ndarray) -> np.ndarray:
    """(credibility + reliability + intimacy) / self_orientation along the last axis."""
    # NaN in any part propagates; the loader keeps the scale >= 1, so no division by zero.
    return dimensions[..., :3].sum(axis=-1) / dimensions[..., 3]
