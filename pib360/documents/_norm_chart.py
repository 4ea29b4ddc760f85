"""The report's figures on the installation's norm, for the PDF (the page draws its own).

One row per measure (trust quotient, then the dimensions): the middle 80% of the norm's
advisors as a light band, the middle half darker, the median as a line, and the clients'
figure as a dot. Each row runs along its own scale: the dimensions from the lowest to the
highest score, the trust quotient on its logarithmic range, as on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pib360.documents import _chart_style as style
from pib360.documents.formatting import capital, format_number
from pib360.documents.texts import norm_position
from pib360.domain.instrument import Instrument, trust_quotient_scale
from pib360.domain.norm_base import Placement

Translate = Callable[[str], str]


def norm_chart(placements: Sequence[Placement], instrument: Instrument, locale: str,
               translate: Translate, fmt: str = "svg") -> bytes:
    """The clients' figures on the norm, one row per measure that has a norm."""
    _ = translate
    rows = [p for p in placements if p.norm is not None]

    def label(placement: Placement) -> str:
        if placement.measure == "trust_quotient":
            return _("Trust quotient")
        name = capital(instrument.dimension_label(placement.measure, locale))
        return name + ("\n" + _("(lower is better)") if placement.lower_is_better else "")

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ys = np.arange(len(rows))[::-1]
        for y, placement in zip(ys, rows, strict=True):
            at = {level: norm_position(placement.measure, placement.norm.at(level), instrument)
                  for level in (10, 25, 50, 75, 90)}
            ax.barh(y, at[90] - at[10], left=at[10], height=0.5, color="#E3E8EE")
            ax.barh(y, at[75] - at[25], left=at[25], height=0.5, color="#B9C6D6")
            ax.plot([at[50], at[50]], [y - 0.32, y + 0.32], color=style.TEXT_COLOR, linewidth=2)
            value = norm_position(placement.measure, placement.value, instrument)
            if value == value:
                ax.plot([value], [y], linestyle="none", **style.CLIENTS_MARKER)
            # Each row has its own scale: its ends, in small grey figures.
            for end, text in zip((0, 1), _ends(placement.measure, instrument, locale),
                                 strict=True):
                ax.text(end, y - 0.42, text, ha="center", va="top", fontsize=7,
                        color=style.NOTE_COLOR)
        ax.set_yticks(ys, [label(p) for p in rows])
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.75, len(rows) - 0.5)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        style.bottom_legend(figure, [
            Patch(color="#E3E8EE", label=_("middle 80%% of the advisors") % {}),
            Patch(color="#B9C6D6", label=_("middle half")),
            Line2D([], [], color=style.TEXT_COLOR, linewidth=2, label=_("median")),
            style.clients_handle(_("Your clients' figure")),
        ], columns=2)

    return style.render(draw, (style.WIDTH, 0.62 * max(len(rows), 1) + 1.2), fmt)


def _ends(measure: str, instrument: Instrument, locale: str) -> tuple[str, str]:
    """The lowest and highest value a row's scale can show."""
    if measure == "trust_quotient":
        scale = trust_quotient_scale(instrument)
        return format_number(scale.lowest, locale, 2), format_number(scale.highest, locale, 0)
    return str(instrument.scale_min), str(instrument.scale_max)
