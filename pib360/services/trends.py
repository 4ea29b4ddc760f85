"""An advisor's trend: the trust quotient and the four dimensions over their closed rounds.

Only rounds asked with the same instrument (id) as the latest one are compared: another
questionnaire measures with other questions. The page says which rounds were left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext

from pib360.clock import local_today
from pib360.documents.formatting import capital, format_date, format_gap, format_number
from pib360.domain.instrument import DIMENSIONS, Instrument
from pib360.extensions import db
from pib360.models import FeedbackRound, RoundStatus, User
from pib360.services import instruments, reports

if TYPE_CHECKING:  # pandas and matplotlib load only when a trend is computed
    import pandas as pd


@dataclass
class Trend:
    """The trend frame of an advisor's comparable closed rounds, oldest first."""

    advisor: User
    frame: pd.DataFrame
    instrument: Instrument | None = None
    rounds: list[FeedbackRound] = field(default_factory=list)
    left_out: list[FeedbackRound] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # round id -> its label

    @property
    def columns(self) -> list[tuple[str, object, str]]:
        """Per round, oldest first: its label, closing date and instrument version."""
        return list(zip(self.frame.index, self.frame["closed_on"],
                        self.frame["instrument_version"], strict=True))


def closed_rounds(advisor: User) -> list[FeedbackRound]:
    """The advisor's closed rounds, oldest first."""
    return list(db.session.execute(
        db.select(FeedbackRound)
        .where(FeedbackRound.advisor_id == advisor.id, FeedbackRound.status == RoundStatus.CLOSED)
        .order_by(FeedbackRound.closed_at, FeedbackRound.id)
    ).scalars())


def trend(advisor: User, locale: str) -> Trend:
    """The advisor's trend; rounds with another instrument than the latest are left out."""
    from pib360.domain.trend import trend_frame

    closed = closed_rounds(advisor)
    if not closed:
        return Trend(advisor, trend_frame([]))
    latest = closed[-1]
    rounds = [r for r in closed if r.instrument_id == latest.instrument_id]
    labels = _labels(rounds, locale)
    clients = reports.client_answers_by_round([r.id for r in rounds])
    frame = trend_frame([
        (labels[r.id], local_today(r.closed_at), reports.gap_report(r, clients[r.id])[0])
        for r in rounds
    ])
    return Trend(advisor, frame, instruments.for_round(latest), rounds,
                 [r for r in closed if r.instrument_id != latest.instrument_id], labels)


def _labels(rounds: list[FeedbackRound], locale: str) -> dict[int, str]:
    """Each round's title; with its closing date (and id) where titles repeat."""
    titles = [r.title for r in rounds]
    labels = {}
    for r in rounds:
        label = r.title
        if titles.count(label) > 1:
            label = f"{label} ({format_date(local_today(r.closed_at), locale)})"
        labels[r.id] = label
    if len(set(labels.values())) < len(labels):
        labels = {r.id: f"{label} #{r.id}" for r, label in zip(rounds, labels.values(),
                                                                 strict=True)}
    return labels


@dataclass(frozen=True)
class Point:
    """One round of one series, ready for the page: positions from 0 (bottom) to 1 (top)."""

    label: str
    closed_on: object
    self: str
    clients: str
    self_at: float
    clients_at: float
    change: str | None = None  # the clients' change since the round before, formatted
    beyond_noise: bool = False
    focus: bool = False  # a focus point of the plan made after this round


@dataclass(frozen=True)
class Series:
    """The trust quotient or one dimension over the rounds."""

    key: str
    name: str
    higher_is_better: bool
    points: list[Point]


def series(result: Trend, locale: str,
           focus: dict[int, set[str]] | None = None) -> list[Series]:
    """The trust quotient and the four dimensions, each with its rounds, for the page;
    `focus` gives per round id the dimensions its plan chose as focus points."""
    by_label = {result.labels[round_id]: keys for round_id, keys in (focus or {}).items()
                if round_id in result.labels}
    from pib360.documents.texts import trust_quotient_position

    frame, instrument = result.frame, result.instrument
    low, high = instrument.scale_min, instrument.scale_max
    lowest, highest = 3 * low / high, 3 * high / low
    listed = [Series("tq", gettext("Trust quotient"), True, [
        Point(label, row["closed_on"], format_number(row["tq_self"], locale, 2),
              format_number(row["tq_clients"], locale, 2),
              trust_quotient_position(row["tq_self"], lowest, highest),
              trust_quotient_position(row["tq_clients"], lowest, highest))
        for label, row in frame.iterrows()])]
    for dimension in DIMENSIONS:
        listed.append(Series(dimension, capital(instrument.dimension_label(dimension, locale)),
                             dimension != "self_orientation", [
            Point(label, row["closed_on"], format_number(row[f"{dimension}_self"], locale),
                  format_number(row[f"{dimension}_clients"], locale),
                  (row[f"{dimension}_self"] - low) / (high - low),
                  (row[f"{dimension}_clients"] - low) / (high - low),
                  None if row[f"{dimension}_change"] != row[f"{dimension}_change"]
                  else format_gap(row[f"{dimension}_change"], locale),
                  bool(row[f"{dimension}_beyond_noise"]),
                  dimension in by_label.get(label, ()))
            for label, row in frame.iterrows()]))
    return listed
