"""One advisor's closed rounds over time: the trust quotient and the four dimensions.

The trend frame (built by `trend_frame`, read by `trend_chart` and the web layer's table):
one row per round, oldest first, indexed by the round label (index name "round"), with the
columns of TREND_COLUMNS:
    closed_on            datetime.date the round closed
    instrument_version   the instrument version its report was computed with
    tq_self, tq_clients  the trust quotient, self and clients
    <dimension>_self, <dimension>_clients   for credibility, reliability, intimacy,
                         self_orientation: the dimension score, self and clients' mean
Client columns are NaN for a round (or a dimension) whose client figures are suppressed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pib360.documents import _chart_style as style
from pib360.documents.formatting import capital, format_number
from pib360.domain.aggregation import GapReport
from pib360.domain.instrument import DIMENSIONS, Instrument

Translate = Callable[[str], str]
SERIES = ("tq", *DIMENSIONS)
TREND_COLUMNS = (
    "closed_on",
    "instrument_version",
    *(f"{series}_{who}" for series in SERIES for who in ("self", "clients")),
)


def trend_frame(rounds: Sequence[tuple[str, datetime.date, GapReport]]) -> pd.DataFrame:
    """The trend frame of (round label, closed date, gap report) triples, oldest round first."""
    labels = [label for label, _closed_on, _report in rounds]
    if len(set(labels)) != len(labels):
        raise ValueError("trend_frame: every round needs its own label")
    rows = [_trend_row(closed_on, report) for _label, closed_on, report in rounds]
    frame = pd.DataFrame(
        rows, index=pd.Index(labels, name="round", dtype=object), columns=list(TREND_COLUMNS)
    )
    return frame.sort_values("closed_on", kind="stable")


def _trend_row(closed_on: datetime.date, report: GapReport) -> dict:
    row = {"closed_on": closed_on, "instrument_version": report.instrument_version}
    for who in ("self", "clients"):
        row[f"tq_{who}"] = float(report.trust_quotient[who])
        for dimension in DIMENSIONS:
            row[f"{dimension}_{who}"] = float(report.dimensions.loc[dimension, who])
    return row


def trend_chart(
    frame: pd.DataFrame, instrument: Instrument, locale: str, translate: Translate, fmt: str = "svg"
) -> bytes:
    """Small line charts of the trust quotient and each dimension, self and clients per round."""
    _ = translate
    titles = {"tq": _("Trust quotient (higher is better)")}
    for dimension in DIMENSIONS:
        titles[dimension] = capital(instrument.dimension_label(dimension, locale))
    titles["self_orientation"] += " " + _("(lower is better)")
    ticks = [style.wrap(str(label), 14) for label in frame.index]

    def draw(figure: Figure) -> None:
        grid = figure.add_gridspec(3, 2)
        panels = [figure.add_subplot(grid[0, :])]
        panels += [figure.add_subplot(grid[1 + i // 2, i % 2]) for i in range(len(DIMENSIONS))]
        for ax, series in zip(panels, SERIES, strict=True):
            _panel(ax, frame, series, locale)
            ax.set_title(titles[series], loc="left")
            ax.set_xticks(range(len(frame)), ticks, fontsize=7.5)
            if series != "tq":
                ax.set_ylim(instrument.scale_min - 0.4, instrument.scale_max + 0.6)
        style.bottom_legend(
            figure,
            [
                # Neutral words: the advisor and their coach both read this chart.
                style.self_handle(_("Self-assessment")),
                style.clients_handle(_("Clients (mean)")),
            ],
        )

    return style.render(draw, (style.WIDTH, 8.2), fmt)


def _panel(ax: Axes, frame: pd.DataFrame, series: str, locale: str) -> None:
    """Self (dashed, hollow diamonds) and clients (solid, filled circles) over the rounds."""
    xs = np.arange(len(frame))
    own, clients = frame[f"{series}_self"].to_numpy(), frame[f"{series}_clients"].to_numpy()
    ax.plot(xs, own, linestyle="--", linewidth=1.2, **style.SELF_MARKER)
    ax.plot(xs, clients, linestyle="-", linewidth=1.6, **style.CLIENTS_MARKER)
    for x, a, b in zip(xs, own, clients, strict=True):
        # The higher of the two values is labelled above its marker, the lower one below.
        for value, above in ((a, not b > a), (b, b > a)):
            if not np.isnan(value):
                ax.annotate(
                    format_number(value, locale),
                    (x, value),
                    fontsize=7,
                    xytext=(0, 7 if above else -8),
                    textcoords="offset points",
                    ha="center",
                    va="bottom" if above else "top",
                )
    ax.set_xlim(-0.5, max(len(frame), 1) - 0.5)  # an empty frame still gets a valid axis
    ax.margins(y=0.25)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(
        lambda value, _pos: format_number(value, locale, 0 if float(value).is_integer() else 1)
    )
