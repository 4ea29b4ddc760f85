"""Answers -> gap reports: how an advisor sees themself against how their clients see them.

One straight pipeline serves `compare` (one advisor) and `cohort` (many at once), in
`_scoring`: code the answers -> drop the client answers to items that are not published
(fewer than `min_clients` answered them) -> respondent scores per dimension, role and item
-> client statistics per advisor, small cells hidden -> the tables below. Every client
figure is thus computed from published answers only: changing an answer to a suppressed
item changes no published number.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pib360.domain import _scoring
from pib360.domain._frames import (
    CLIENT,
    SELF,
    CodedAnswers,
    code_answers,
    fail,
    id_codes,
    lookup_codes,
    perspective_codes,
    require_columns,
)
from pib360.domain.instrument import DIMENSIONS, ROLES, Instrument
from pib360.domain.versions import RULES_VERSION

__all__ = ["RULES_VERSION", "CohortReport", "GapReport", "cohort", "compare", "role_choices"]

# A float mean such as 13/3 - 10/3 must still count as a gap of exactly 1.
_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class GapReport:
    """Self-assessment against client perception for one advisor.

    `dimensions`, `roles` and `items` have the columns self, clients, gap, clients_sd,
    clients_min, clients_max, clients_n, clients_ci_low and clients_ci_high (the 90%
    interval of the clients' mean); every client value resting on fewer than `min_clients`
    clients is NaN. Item scores are reversed where an item is reverse-scored;
    `highlights.as_worded` turns them back into agreement with the statement.
    `distributions` counts per item how many clients gave each answer (columns: the scale
    values, then "cannot_judge"), as answered; all NaN for an item that is not published.
    """

    dimensions: pd.DataFrame
    roles: pd.DataFrame
    items: pd.DataFrame
    trust_quotient: pd.Series  # indexed self, clients
    blind_spots: list[str]  # item ids, largest difference first
    hidden_strengths: list[str]
    n_clients: int
    suppressed: bool
    min_clients: int
    gap_threshold: float
    instrument_id: str
    instrument_version: str
    distributions: pd.DataFrame | None = None


@dataclass(frozen=True, eq=False)
class CohortReport:
    """Per-advisor dimension tables for a group of advisors, and their summary.

    With `cohort(..., details=True)` it also carries the summaries per role and per item,
    computed by the same rules; otherwise those are None.
    """

    advisors: pd.DataFrame  # indexed (advisor, dimension), columns as GapReport.dimensions
    summary: pd.DataFrame  # indexed by dimension: self, clients, gap, advisors_n
    n_clients: pd.Series  # per advisor: clients with at least one answer
    min_clients: int
    instrument_id: str
    instrument_version: str
    role_summary: pd.DataFrame | None = None  # indexed by role, columns as summary
    item_summary: pd.DataFrame | None = None  # indexed by item id, columns as summary


def compare(
    answers: pd.DataFrame,
    instrument: Instrument,
    min_clients: int = 3,
    gap_threshold: float = 1.0,
) -> GapReport:
    """Compare the self-assessment with the clients' answers of one advisor."""
    _check_min_clients(min_clients)
    _check_gap_threshold(gap_threshold)
    layout = _scoring.layout(instrument)
    coded = code_answers(answers, instrument, by_advisor=False)
    blocks = [layout.dimensions, layout.roles, np.eye(len(layout.item_ids))]
    stats = _statistics(coded, blocks, min_clients)
    row = {name: values[0] for name, values in stats.items()}  # the one and only advisor
    n_dims, n_roles = len(DIMENSIONS), len(ROLES)
    items = _table(row, slice(n_dims + n_roles, None), pd.Index(layout.item_ids, name="item"))
    blind_spots, hidden_strengths = _gaps(items["gap"], layout.favour, gap_threshold)
    n_clients = int(_scoring.n_clients(coded)[0])
    quotient = {key: _scoring.trust_quotient(row[key][:n_dims]) for key in ("self", "clients")}
    return GapReport(
        dimensions=_table(row, slice(0, n_dims), pd.Index(DIMENSIONS, name="dimension")),
        roles=_table(row, slice(n_dims, n_dims + n_roles), pd.Index(ROLES, name="role")),
        items=items,
        trust_quotient=pd.Series(quotient, name="trust_quotient", dtype=np.float64),
        blind_spots=blind_spots,
        hidden_strengths=hidden_strengths,
        n_clients=n_clients,
        suppressed=n_clients < min_clients,
        min_clients=min_clients,
        gap_threshold=float(gap_threshold),
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        distributions=_distributions(coded, instrument, items),
    )


def _distributions(coded, instrument: Instrument, items: pd.DataFrame) -> pd.DataFrame:
    """How many clients gave each answer per item; all NaN where the item is not published."""
    columns = [*instrument.scale_values, "cannot_judge"]
    counts = pd.DataFrame(_scoring.answer_counts(coded, instrument), index=items.index,
                          columns=columns).astype(float)
    counts.loc[items["clients_n"].isna()] = np.nan
    return counts


def cohort(
    answers: pd.DataFrame, instrument: Instrument, min_clients: int = 3, details: bool = False
) -> CohortReport:
    """Compare self and clients per dimension for every advisor in `answers` at once.

    `details` adds the summaries per role and per item, in the same vectorised pass.
    """
    _check_min_clients(min_clients)
    coded = code_answers(answers, instrument, by_advisor=True)
    layout = _scoring.layout(instrument)
    blocks = [layout.dimensions]
    if details:
        blocks += [layout.roles, np.eye(len(layout.item_ids))]
    stats = _statistics(coded, blocks, min_clients)
    n_dims, n_roles = len(DIMENSIONS), len(ROLES)
    dimensions = pd.Index(DIMENSIONS, name="dimension")
    advisors = _per_advisor(stats, slice(0, n_dims), coded.advisors, dimensions)
    role_summary = item_summary = None
    if details:
        roles = pd.Index(ROLES, name="role")
        items = pd.Index(layout.item_ids, name="item")
        role_summary = _summary(
            _per_advisor(stats, slice(n_dims, n_dims + n_roles), coded.advisors, roles), roles
        )
        item_summary = _summary(
            _per_advisor(stats, slice(n_dims + n_roles, None), coded.advisors, items), items
        )
    return CohortReport(
        advisors=advisors,
        summary=_summary(advisors, dimensions),
        n_clients=pd.Series(_scoring.n_clients(coded), index=coded.advisors, name="n_clients"),
        min_clients=min_clients,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        role_summary=role_summary,
        item_summary=item_summary,
    )


def _statistics(
    coded: CodedAnswers, blocks: list[np.ndarray], min_clients: int
) -> dict[str, np.ndarray]:
    """The pipeline from coded answers to client statistics per advisor and column."""
    matrix = _scoring.item_matrix(coded, blocks[0].shape[0])
    published = _scoring.published_matrix(coded, matrix, min_clients)
    scores = _scoring.respondent_scores(published, np.hstack(blocks))
    return _scoring.advisor_stats(coded, scores, min_clients)


def _per_advisor(
    stats: dict[str, np.ndarray], columns: slice, advisors: pd.Index, rows: pd.Index
) -> pd.DataFrame:
    """The stats of some columns as one table indexed (advisor, row)."""
    index = pd.MultiIndex.from_product([advisors, rows], names=["advisor", rows.name])
    # Arrays are advisors x columns; ravel() walks them advisor by advisor, like the index.
    return pd.DataFrame(
        {name: values[:, columns].ravel() for name, values in stats.items()}, index=index
    )


def role_choices(
    choices: pd.DataFrame, instrument: Instrument, min_clients: int = 3
) -> pd.DataFrame:
    """The role the advisor chose, and the share of choosing clients per role."""
    _check_min_clients(min_clients)
    choices = require_columns(choices, ["respondent", "perspective", "value"])
    options = instrument.choice_item.options if instrument.choice_item else ROLES
    perspective = perspective_codes(choices["perspective"])
    role = lookup_codes(choices["value"], options)
    unknown = (role < 0) & choices["value"].notna().to_numpy()
    if unknown.any():
        fail(f"unknown role {choices['value'].iloc[np.argmax(unknown)]!r}")
    local, _ = id_codes(choices["respondent"], "respondent")
    _check_one_choice_each(choices, perspective, local)
    chosen = role >= 0
    self_choice = np.zeros(len(options), dtype=bool)
    self_choice[role[chosen & (perspective == SELF)]] = True
    counts = np.bincount(role[chosen & (perspective == CLIENT)], minlength=len(options))
    # Shares resting on fewer than min_clients choosing clients are not shown at all.
    shares = counts / counts.sum() if counts.sum() >= min_clients else np.full(len(options), np.nan)
    return pd.DataFrame(
        {"self": self_choice, "clients": shares}, index=pd.Index(options, name="role")
    )


def _check_min_clients(min_clients: int) -> None:
    if isinstance(min_clients, bool) or not isinstance(min_clients, numbers.Integral):
        raise ValueError(f"min_clients must be an integer, not {min_clients!r}")
    if min_clients < 2:
        # A figure from a single client is that client's answer: never shown.
        raise ValueError(f"min_clients must be at least 2, not {min_clients}")


def _check_gap_threshold(gap_threshold: float) -> None:
    if isinstance(gap_threshold, bool) or not isinstance(gap_threshold, numbers.Real):
        raise ValueError(f"gap_threshold must be a number, not {gap_threshold!r}")
    if not 0 < gap_threshold < math.inf:
        raise ValueError(f"gap_threshold must be positive and finite, not {gap_threshold!r}")


def _table(row: dict[str, np.ndarray], columns: slice, index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({name: values[columns] for name, values in row.items()}, index=index)


def _gaps(gap: pd.Series, favour: np.ndarray, threshold: float) -> tuple[list[str], list[str]]:
    """Blind spots and hidden strengths, largest difference first, then questionnaire order."""
    favourable = gap.to_numpy() * favour  # > 0: clients see the item more favourably
    order = np.argsort(-np.abs(favourable), kind="stable")  # NaN (suppressed) sorts last
    blind = [gap.index[i] for i in order if favourable[i] <= -threshold + _TOLERANCE]
    hidden = [gap.index[i] for i in order if favourable[i] >= threshold - _TOLERANCE]
    return blind, hidden


def _summary(advisors: pd.DataFrame, rows: pd.Index) -> pd.DataFrame:
    """Means per row (dimension, role or item) over the advisors whose client values are
    shown for it."""
    shown = advisors[advisors["clients_n"].notna()]
    by_row = shown.groupby(level=rows.name, sort=False)
    summary = by_row[["self", "clients", "gap"]].mean()
    summary["advisors_n"] = by_row.size()
    summary = summary.reindex(rows)
    return summary.fillna({"advisors_n": 0}).astype({"advisors_n": np.int64})


def _check_one_choice_each(choices: pd.DataFrame, perspective, local) -> None:
    key = perspective * (int(local.max()) + 1 if len(local) else 1) + local
    counts = np.bincount(key, minlength=1)
    if counts.max() > 1:
        fail(f"respondent {choices['respondent'].iloc[np.argmax(counts[key] > 1)]!r} chose twice")
    if len(np.unique(local[perspective == SELF])) > 1:
        fail("more than one self respondent")
