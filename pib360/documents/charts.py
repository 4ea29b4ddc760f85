"""Charts of a gap report for its PDF, as PNG (or SVG) bytes, drawn with matplotlib.

The web pages draw their charts in the page itself (templates/_charts.html), so they
reflow on a phone; these are for print. Every function takes the report's `locale` and a
`translate` function (the service passes flask_babel.gettext inside force_locale), draws
on a matplotlib Figure (never the global pyplot interface) and is deterministic. Numbers
come from `aggregation`.

- dimension_chart(report, instrument, locale, translate, fmt="svg") -> bytes
    The four trust dimensions: self (hollow diamond) against the clients' mean (filled
    circle) and its 90% margin (grey bar), with values and client counts. Never the lowest
    or highest score: each is one client's own.
- role_chart(report, ...) -> bytes: the same for the four roles.
- role_choice_chart(role_choices, instrument, locale, translate, fmt) -> bytes
- cohort_chart(cohort_report, ...) -> bytes: see `_cohort_chart`.
- norm_chart(placements, instrument, locale, translate, fmt) -> bytes: see `_norm_chart`.
When client figures are suppressed, a chart shows the self-assessment and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from pib360.documents import _chart_style as style
from pib360.documents._cohort_chart import cohort_chart
from pib360.documents._norm_chart import norm_chart
from pib360.documents.formatting import capital, format_number, format_percent
from pib360.documents.texts import suppressed_note
from pib360.domain.aggregation import GapReport
from pib360.domain.instrument import Instrument

__all__ = ["cohort_chart", "dimension_chart", "norm_chart", "role_chart", "role_choice_chart"]

Translate = Callable[[str], str]


def dimension_chart(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate, fmt: str = "svg"
) -> bytes:
    """Dot chart of the four trust dimensions: self against the clients' mean and spread."""
    _ = translate
    labels = [capital(instrument.dimension_label(d, locale)) for d in report.dimensions.index]
    # Self-orientation runs the other way; say so where the reader looks for its name.
    labels[-1] += "\n" + _("(lower is better)")
    return _profile_chart(report, report.dimensions, labels, instrument, locale, _, fmt)


def role_chart(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate, fmt: str = "svg"
) -> bytes:
    """Dot chart of the four advisor roles: self against the clients' mean and spread."""
    labels = [capital(instrument.role_label(role, locale)) for role in report.roles.index]
    return _profile_chart(report, report.roles, labels, instrument, locale, translate, fmt)


def _profile_chart(
    report: GapReport,
    table: pd.DataFrame,
    labels: Sequence[str],
    instrument: Instrument,
    locale: str,
    translate: Translate,
    fmt: str,
) -> bytes:
    _ = translate

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        _dumbbells(ax, table, labels, locale, _)
        ax.set_xlim(instrument.scale_min - 0.3, instrument.scale_max + 0.3)
        ax.set_xticks(list(instrument.scale_values))
        ax.set_xlabel(
            _("Score from %(low)d (low) to %(high)d (high)")
            % {"low": instrument.scale_min, "high": instrument.scale_max}
        )
        ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
        ax.set_axisbelow(True)
        handles = [style.self_handle(_("You (self-assessment)"))]
        if report.suppressed:
            style.note(figure, suppressed_note(report.min_clients, _))
        else:
            handles += [
                style.clients_handle(_("Clients (mean)")),
                style.spread_handle(_("90% margin of the clients' mean")),
            ]
        style.bottom_legend(figure, handles)

    return style.render(draw, (style.WIDTH, 0.62 * len(table) + 1.3), fmt)


def _dumbbells(
    ax: Axes, table: pd.DataFrame, labels: Sequence[str], locale: str, translate: Translate
) -> None:
    """One row per table row, first on top: spread bar, self-to-clients line, both markers."""
    _ = translate
    rows = np.arange(len(table))[::-1]
    values = blended_transform_factory(ax.transAxes, ax.transData)
    for y, row in zip(rows, table.itertuples(), strict=True):
        if pd.notna(row.clients_ci_low) and pd.notna(row.clients_ci_high):
            # The 90% margin of the mean, never lowest to highest: a lowest or highest
            # score is one client's own, and no figure may rest on a single client.
            margin = [row.clients_ci_low, row.clients_ci_high]
            ax.plot(margin, [y, y], zorder=1, **style.SPREAD_LINE)
        if pd.notna(row.clients) and pd.notna(row.self):
            ax.plot([row.self, row.clients], [y, y], color="#555555", linewidth=1, zorder=2)
        if pd.notna(row.clients):
            ax.plot([row.clients], [y], zorder=4, **style.CLIENTS_MARKER)
        if pd.notna(row.self):
            ax.plot([row.self], [y], zorder=3, **style.SELF_MARKER)
        ax.text(1.02, y, _row_values(row, locale, _), transform=values, va="center", fontsize=8.5)
    ax.set_yticks(rows, labels)
    ax.set_ylim(-0.6, len(table) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


def _row_values(row, locale: str, translate: Translate) -> str:
    _ = translate
    text = _("you %(value)s") % {"value": format_number(row.self, locale)}
    if pd.isna(row.clients_n):
        return text
    figures = {"value": format_number(row.clients, locale), "n": int(row.clients_n)}
    return text + "\n" + _("clients %(value)s (n = %(n)d)") % figures


def role_choice_chart(
    role_choices: pd.DataFrame,
    instrument: Instrument,
    locale: str,
    translate: Translate,
    fmt: str = "svg",
) -> bytes:
    """Bars of the share of clients choosing each role, and a diamond at the advisor's choice."""
    _ = translate
    labels = [capital(instrument.role_label(role, locale)) for role in role_choices.index]
    shown = bool(role_choices["clients"].notna().any())

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        rows = np.arange(len(role_choices))[::-1]
        if shown:
            shares = role_choices["clients"].to_numpy(dtype=float) * 100
            ax.barh(rows, shares, height=0.55, color=style.CLIENTS_COLOR)
            for y, share in zip(rows, role_choices["clients"], strict=True):
                ax.text(share * 100 + 1.5, y, format_percent(share, locale), va="center")
        # The advisor's own choice sits in a column of its own, right of the bars.
        chosen = rows[role_choices["self"].to_numpy(dtype=bool)]
        ax.plot(np.full(len(chosen), 112.0), chosen, linestyle="none", **style.SELF_MARKER)
        ax.text(112, len(rows) - 0.45, _("your own\nchoice"), ha="center", va="bottom", fontsize=8)
        ax.set_yticks(rows, labels)
        ax.set_xlim(0, 120)
        ax.spines["bottom"].set_bounds(0, 100)
        ax.set_ylim(-0.6, len(rows) - 0.1)
        ax.set_xticks(
            range(0, 101, 25), [format_percent(t / 100, locale) for t in range(0, 101, 25)]
        )
        ax.set_xlabel(_("Share of the clients who chose this role"))
        ax.tick_params(axis="y", length=0)
        handles = [style.self_handle(_("Your own choice"))]
        if shown:
            handles.append(Patch(color=style.CLIENTS_COLOR, label=_("Clients' choices")))
        else:
            style.note(figure, _("Too few clients chose a role to show their choices."))
        style.bottom_legend(figure, handles)

    return style.render(draw, (style.WIDTH, 0.5 * len(role_choices) + 1.5), fmt)
