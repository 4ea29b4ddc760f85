"""Instrument quality: how reliable each scale is, and how each item behaves, pooled over
closed rounds, so that an admin (or a coach, over the rounds shared with them) can judge
the questionnaire.

The figures come from `domain.psychometrics` over the clients' answers to the published
cells only (the report's rule: an answer to an item fewer than the round's minimum of
clients answered counts nowhere). They appear only when at least MIN_RESPONDENTS clients
from at least MIN_ROUNDS rounds are pooled, so no figure can be traced to one round.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pib360.extensions import db
from pib360.models import FeedbackRound, Role, RoundStatus, Share, User
from pib360.services import instruments, reports

if TYPE_CHECKING:
    import pandas as pd

    from pib360.domain.instrument import Instrument

MIN_RESPONDENTS = 30
MIN_ROUNDS = 10
# The plain-language flags, and where they start.
LOW_ALPHA = 0.70
LOW_ITEM_TOTAL = 0.30
HIGH_CANNOT_JUDGE = 0.30


@dataclass
class Quality:
    """The quality figures of one instrument version, or why there are none."""

    instrument: Instrument
    rounds: int = 0
    respondents: int = 0
    reliability: pd.DataFrame | None = None  # scale_reliability, with a `flag` column
    items: pd.DataFrame | None = None  # item_statistics, with a `flags` column (a list)
    versions: list[tuple[str, str, int]] = field(default_factory=list)  # id, version, rounds

    @property
    def enough(self) -> bool:
        return self.respondents >= MIN_RESPONDENTS and self.rounds >= MIN_ROUNDS


def _closed_rounds(viewer: User | None):
    """The closed rounds `viewer` may pool: all for an admin (or the command line, None),
    for a coach those of the advisors who share with them."""
    query = db.select(FeedbackRound).where(FeedbackRound.status == RoundStatus.CLOSED)
    if viewer is not None and viewer.role is not Role.ADMIN:
        query = query.join(Share, Share.advisor_id == FeedbackRound.advisor_id).where(
            Share.coach_id == viewer.id)
    return list(db.session.execute(query.order_by(FeedbackRound.id)).scalars())


def versions(viewer: User | None) -> list[tuple[str, str, int]]:
    """(instrument id, version, closed rounds) of every version `viewer` has rounds of."""
    counts = Counter((r.instrument_id, r.instrument_version) for r in _closed_rounds(viewer))
    current = instruments.current()
    counts.setdefault((current.id, current.version), 0)
    return [(key[0], key[1], count) for key, count in sorted(counts.items())]


def quality(viewer: User | None, instrument_id: str | None = None,
            version: str | None = None) -> Quality:
    """The quality figures of an instrument version (the current one by default)."""
    instrument = (instruments.get(instrument_id, version) if instrument_id and version
                  else instruments.current())
    closed = _closed_rounds(viewer)
    result = _figures(instrument, closed)
    result.versions = versions(viewer)
    return result


def comparison(viewer: User | None) -> list[Quality]:
    """The figures of every version `viewer` has closed rounds of, to set side by side;
    empty while there is only one such version."""
    closed = _closed_rounds(viewer)
    keys = sorted({(r.instrument_id, r.instrument_version) for r in closed})
    if len(keys) < 2:
        return []
    return [_figures(instruments.get(*key), closed, item_figures=False) for key in keys]


def _figures(instrument: Instrument, closed: list[FeedbackRound],
             item_figures: bool = True) -> Quality:
    """The figures of one version over its rounds among `closed`, if enough are pooled."""
    rounds = [r for r in closed
              if (r.instrument_id, r.instrument_version) == (instrument.id, instrument.version)]
    result = Quality(instrument)
    answers = _published_answers(instrument, rounds)
    if answers.empty:
        return result
    result.respondents = int(answers["respondent"].nunique())
    result.rounds = int(answers["round"].nunique())
    if not result.enough:
        return result
    from pib360.domain.psychometrics import item_statistics, scale_reliability

    answers = answers.drop(columns="round")
    result.reliability = scale_reliability(answers, instrument)
    result.reliability["flag"] = result.reliability["alpha"] < LOW_ALPHA
    if not item_figures:
        return result
    items = item_statistics(answers, instrument)
    items["flags"] = [
        [name for name, raised in (("item_total", row.item_total < LOW_ITEM_TOTAL),
                                   ("cannot_judge", row.cannot_judge_share > HIGH_CANNOT_JUDGE))
         if raised]
        for row in items.itertuples()
    ]
    result.items = items
    return result


def _published_answers(instrument: Instrument, rounds: list[FeedbackRound]) -> pd.DataFrame:
    """The clients' scale answers of `rounds` in published cells, one frame; respondent
    ids unique across rounds; clients left with no answer at all are not counted."""
    import pandas as pd

    clients = reports.client_answers_by_round([r.id for r in rounds])
    frames = []
    for feedback_round in rounds:
        scale, _choices = reports.answers_frames(instrument, {}, clients[feedback_round.id])
        scale = scale[scale["perspective"] == "client"]
        answered = scale["value"].notna()
        published = answered.groupby(scale["item"]).transform("sum") >= feedback_round.min_clients
        # An unpublished answer is left out as if not given; "cannot judge" stays.
        scale = scale[published | ~answered]
        scale = scale[scale.groupby("respondent")["value"].transform("count") > 0]
        frames.append(scale.assign(respondent=f"{feedback_round.id}:" +
                                   scale["respondent"].astype(str), round=feedback_round.id))
    if not frames:
        return pd.DataFrame(columns=["respondent", "perspective", "item", "value", "round"])
    return pd.concat(frames, ignore_index=True)
