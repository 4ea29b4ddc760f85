"""The diverging item chart: per item, the clients' mean minus the self score, as a bar from 0.

Items are grouped by trust dimension in questionnaire order, so the self-orientation items
(where lower is better, and a bar to the right is unfavourable) sit together under a heading
that says so. Blind spots are hatched vermillion bars, hidden strengths solid green ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pib360.documents import _chart_style as style
from pib360.documents.formatting import capital, format_gap
from pib360.domain.aggregation import GapReport
from pib360.domain.instrument import DIMENSIONS, Instrument, Item

Translate = Callable[[str], str]
_LABEL_WIDTH = 52  # characters per line of an item text, two lines at most


class _Row(NamedTuple):
    label: str
    item_id: str | None  # None for a group heading


def _rows(report: GapReport, instrument: Instrument, locale: str, translate: Translate) -> list:
    """Headings and items, top to bottom: per dimension, its items in questionnaire order."""
    _ = translate
    rows: list[_Row] = []
    groups = [*DIMENSIONS, None]  # None: items that measure a role only
    for dimension in groups:
        items = [i for i in instrument.scale_items if i.dimension == dimension]
        items = [i for i in items if i.id in report.items.index]
        if not items:
            continue
        if dimension is None:
            heading = _("Other items")
        else:
            heading = capital(instrument.dimension_label(dimension, locale))
            if dimension == "self_orientation":
                heading += " " + _("(lower is better)")
        rows.append(_Row(heading, None))
        rows += [_Row(_item_label(i, locale), i.id) for i in items]
    return rows


def _item_label(item: Item, locale: str) -> str:
    # A reverse-scored item is starred: agreeing with it gives a low score.
    text = item.text("client", locale) + (" *" if item.reverse else "")
    return style.wrap(text, _LABEL_WIDTH)


def _notes(report: GapReport, translate: Translate) -> str:
    _ = translate
    notes = [_("* Reverse-scored: disagreeing counts as a high score.")]
    notes.append(_("Self-orientation: lower is better, so a bar to the right is unfavourable."))
    if report.suppressed:
        notes.insert(
            0,
            _("No client figures: fewer than %(min)d clients answered.")
            % {"min": report.min_clients},
        )
    return "\n".join(notes)


def item_gap_chart(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate, fmt: str = "svg"
) -> bytes:
    """Diverging bars per item: clients' mean minus self, blind spots and strengths marked."""
    _ = translate
    rows = _rows(report, instrument, locale, _)
    gaps = report.items["gap"]

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ys = np.arange(len(rows))[::-1]
        limit = max(2.0, math.ceil(np.nanmax(np.abs(gaps.to_numpy()), initial=0.0)) + 0.5)
        for y, row in zip(ys, rows, strict=True):
            if row.item_id is None:
                ax.axhspan(y - 0.5, y + 0.5, color="#F0F0F0", zorder=0)
                continue
            _bar(ax, y, gaps[row.item_id], _item_kind(report, row.item_id), limit, locale)
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.set_yticks(ys, [row.label for row in rows], fontsize=7.5)
        for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
            if row.item_id is None:
                tick.set_fontweight("bold")
                tick.set_fontsize(8.5)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_formatter(lambda value, _pos: format_gap(value, locale, 0))
        ax.set_xlabel(_("Clients' mean minus your own score"))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        style.note(figure, _notes(report, _))
        style.bottom_legend(figure, _legend(_), columns=1)

    return style.render(draw, (style.WIDTH, 0.3 * len(rows) + 1.8), fmt)


def _item_kind(report: GapReport, item_id: str) -> str:
    if item_id in report.blind_spots:
        return "blind_spot"
    return "hidden_strength" if item_id in report.hidden_strengths else "other"


# White edges make the hatch white too, so it shows in the bars and in the legend alike.
_BAR_STYLE = {
    "blind_spot": {"facecolor": style.BLIND_SPOT_COLOR, "hatch": style.BLIND_SPOT_HATCH},
    "hidden_strength": {"facecolor": style.HIDDEN_STRENGTH_COLOR},
    "other": {"facecolor": style.NEUTRAL_COLOR},
}


def _bar(ax, y: float, gap: float, kind: str, limit: float, locale: str) -> None:
    """One item's bar and its value; a suppressed item gets a dash at 0 and no bar."""
    if np.isnan(gap):
        ax.text(0.04 * limit, y, "–", va="center", fontsize=9, color=style.NOTE_COLOR)
        return
    ax.barh([y], [gap], height=0.62, edgecolor="white", linewidth=0, **_BAR_STYLE[kind])
    offset = 0.06 * limit / 2 * (1 if gap >= 0 else -1)
    ax.text(
        gap + offset,
        y,
        format_gap(gap, locale),
        va="center",
        fontsize=7.5,
        ha="left" if gap >= 0 else "right",
    )


def _legend(translate: Translate) -> list[Patch]:
    _ = translate
    labels = {
        "blind_spot": _("Blind spot: clients see this less favourably than you"),
        "hidden_strength": _("Hidden strength: clients see this more favourably"),
        "other": _("Other item"),
    }
    return [
        Patch(label=labels[kind], edgecolor="white", linewidth=0, **_BAR_STYLE[kind])
        for kind in labels
    ]
