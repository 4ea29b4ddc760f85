"""A group of advisors: per trust dimension, how the gaps (clients minus self) are spread.

One row per dimension: a box for the middle half of the advisors, a dot per advisor and a
square for the group's mean gap (CohortReport.summary). Advisors whose client figures are
suppressed for a dimension are left out of that row, as they are out of the summary.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from pib360.documents import _chart_style as style
from pib360.documents.formatting import capital, format_gap
from pib360.domain.aggregation import CohortReport
from pib360.domain.instrument import DIMENSIONS, Instrument

Translate = Callable[[str], str]
_MEAN_MARKER = {"marker": "s", "markersize": 6, "color": style.BLACK, "linestyle": "none"}
_ADVISOR_MARKER = {
    "marker": "o",
    "markersize": 4.5,
    "color": style.CLIENTS_COLOR,
    "alpha": 0.75,
    "linestyle": "none",
}


def _jitter(count: int) -> np.ndarray:
    """Fixed vertical offsets that spread the dots without randomness (golden-ratio steps)."""
    return ((np.arange(count) * 0.618034) % 1 - 0.5) * 0.36


def cohort_chart(
    report: CohortReport,
    instrument: Instrument,
    locale: str,
    translate: Translate,
    fmt: str = "svg",
) -> bytes:
    """Per dimension, the advisors' gaps as dots over a box, with the group's mean gap."""
    _ = translate
    labels = [capital(instrument.dimension_label(d, locale)) for d in DIMENSIONS]
    labels[-1] += "\n" + _("(lower is better)")
    gaps = [_gaps(report, dimension) for dimension in DIMENSIONS]
    limit = max(2.0, float(np.ceil(max((np.abs(g).max() for g in gaps if len(g)), default=0))))

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        rows = np.arange(len(DIMENSIONS))[::-1]
        values = blended_transform_factory(ax.transAxes, ax.transData)
        for y, dimension, dots in zip(rows, DIMENSIONS, gaps, strict=True):
            if len(dots):
                ax.boxplot(
                    [dots],
                    positions=[y],
                    orientation="horizontal",
                    widths=0.5,
                    whis=(0, 100),
                    showcaps=False,
                    patch_artist=True,
                    boxprops={"facecolor": "#EDEDED", "edgecolor": "#888888"},
                    medianprops={"color": "#888888"},
                    whiskerprops={"color": "#888888"},
                    manage_ticks=False,
                )
                ax.plot(dots, y + _jitter(len(dots)), zorder=3, **_ADVISOR_MARKER)
            mean = report.summary.loc[dimension, "gap"]
            if not np.isnan(mean):
                ax.plot([mean], [y], zorder=4, **_MEAN_MARKER)
            count = int(report.summary.loc[dimension, "advisors_n"])
            text = _("mean %(gap)s\nadvisors: %(n)d") % {
                "gap": format_gap(mean, locale), "n": count}
            ax.text(1.02, y, text, transform=values, va="center", fontsize=8.5)
        ax.axvline(0, color="#444444", linewidth=0.8, zorder=2)
        ax.set_yticks(rows, labels)
        ax.set_ylim(-0.6, len(DIMENSIONS) - 0.4)
        ax.set_xlim(-limit - 0.3, limit + 0.3)
        ax.xaxis.set_major_formatter(lambda value, _pos: format_gap(value, locale, 0))
        ax.set_xlabel(_("Gap: clients' mean minus the advisor's own score"))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        style.bottom_legend(
            figure,
            [
                Line2D([], [], label=_("One advisor"), **_ADVISOR_MARKER),
                Line2D([], [], label=_("Mean gap of the group"), **_MEAN_MARKER),
                Patch(
                    facecolor="#EDEDED", edgecolor="#888888", label=_("Middle half of the advisors")
                ),
            ],
        )

    return style.render(draw, (style.WIDTH, 4.0), fmt)


def _gaps(report: CohortReport, dimension: str) -> np.ndarray:
    """The shown gaps of one dimension, smallest first.

    Sorted by value, not in advisor order: with the fixed vertical offsets, advisor order
    would put each advisor at the same height in every row, and one advisor recognised in
    one row could be followed through all four.
    """
    if report.advisors.empty:
        return np.array([])
    gap = report.advisors.xs(dimension, level="dimension")["gap"].to_numpy(dtype=float)
    return np.sort(gap[~np.isnan(gap)])
