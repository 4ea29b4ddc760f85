"""An advisor's trend: the trust quotient and the four dimensions over their closed rounds.

Only rounds asked with the same instrument (id) as the latest one are compared: another
questionnaire measures with other questions. The page says which rounds were left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import force_locale, gettext

from pib360.clock import local_today
from pib360.documents.formatting import capital, format_date, format_number
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
    from pib360.documents import charts

    closed = closed_rounds(advisor)
    if not closed:
        return Trend(advisor, charts.trend_frame([]))
    latest = closed[-1]
    rounds = [r for r in closed if r.instrument_id == latest.instrument_id]
    labels = _labels(rounds, locale)
    clients = reports.client_answers_by_round([r.id for r in rounds])
    frame = charts.trend_frame([
        (labels[r.id], local_today(r.closed_at), reports.gap_report(r, clients[r.id])[0])
        for r in rounds
    ])
    return Trend(advisor, frame, instruments.for_round(latest), rounds,
                 [r for r in closed if r.instrument_id != latest.instrument_id])


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


def chart(result: Trend, locale: str) -> bytes:
    """The trend chart as SVG."""
    from pib360.documents import charts

    with force_locale(locale):
        return charts.trend_chart(result.frame, result.instrument, locale, gettext, "svg")


def alt_text(result: Trend, locale: str) -> str:
    """The trend chart, in words."""
    from pib360.documents import texts

    return texts.trend_alt_text(result.frame, result.instrument, locale, gettext)


def table(result: Trend, locale: str) -> list[tuple[str, str, list[str]]]:
    """The chart's figures as rows (series, who, one formatted value per round)."""
    names = {"tq": gettext("Trust quotient")}
    names |= {d: result.instrument.dimension_label(d, locale) for d in DIMENSIONS}
    rows = []
    for series, name in names.items():
        for who, label in (("self", gettext("Self-assessment")),
                           ("clients", gettext("Clients (mean)"))):
            # The trust quotient with two decimals, as on the report page.
            digits = 2 if series == "tq" else 1
            values = [format_number(v, locale, digits)
                      for v in result.frame[f"{series}_{who}"]]
            rows.append((capital(name), label, values))
    return rows
