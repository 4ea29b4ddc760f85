"""The look shared by every chart, and rendering a Figure to deterministic SVG or PNG bytes.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and every series also has
its own marker shape or fill, so a chart still reads when printed in greyscale:
self = hollow diamond, clients = filled circle, the clients' spread = a wide grey bar.
"""

from __future__ import annotations

import io
import textwrap
import threading
import warnings
from collections.abc import Callable

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

FORMATS = ("svg", "png")
PNG_DPI = 200  # sharp enough for print when placed at its natural size in the PDF
WIDTH = 6.85  # inches: the text width of an A4 page in the PDF, so charts print unscaled

# Okabe-Ito
ORANGE, SKY_BLUE, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PURPLE, BLACK = "#0072B2", "#D55E00", "#CC79A7", "#000000"
SELF_COLOR, CLIENTS_COLOR = VERMILLION, BLUE
SPREAD_COLOR, NEUTRAL_COLOR, TEXT_COLOR, NOTE_COLOR = "#C8C8C8", "#B4B4B4", "#222222", "#555555"
BLIND_SPOT_COLOR, HIDDEN_STRENGTH_COLOR, BLIND_SPOT_HATCH = VERMILLION, GREEN, "////"

# The diamond is hollow and larger than the circle, so a self score equal to the clients'
# mean shows as a dot inside a diamond rather than one marker hiding the other.
SELF_MARKER = {
    "marker": "D",
    "markersize": 10,
    "markerfacecolor": "none",
    "markeredgecolor": SELF_COLOR,
    "markeredgewidth": 2,
    "color": SELF_COLOR,
}
CLIENTS_MARKER = {
    "marker": "o",
    "markersize": 7,
    "markerfacecolor": CLIENTS_COLOR,
    "markeredgecolor": CLIENTS_COLOR,
    "color": CLIENTS_COLOR,
}
SPREAD_LINE = {"color": SPREAD_COLOR, "linewidth": 7, "solid_capstyle": "round"}

_STYLE = {
    # A fixed salt and text kept as text: the same chart gives the same bytes every time.
    "svg.hashsalt": "pib360",
    "svg.fonttype": "none",
    # Text is drawn as written: a round title such as "$\foo$" is not mathtext to render
    # (nor to fail on), whatever chart it appears in.
    "text.parse_math": False,
    "font.family": "sans-serif",  # DejaVu Sans, which matplotlib bundles; fallbacks in SVG
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "axes.labelcolor": TEXT_COLOR,
    "text.color": TEXT_COLOR,
    "xtick.color": "#444444",
    "ytick.color": TEXT_COLOR,
    "legend.frameon": False,
    "hatch.linewidth": 1.0,
}
_METADATA: dict[str, dict[str, str | None]] = {"svg": {"Date": None}, "png": {}}

# rcParams are process-global: a second thread entering or leaving rc_context while a chart
# renders would change its style (and its bytes), so charts render one at a time. They are
# rendered once per closed round and cached, so the lock costs nothing that matters.
_LOCK = threading.Lock()


def render(draw: Callable[[Figure], None], size: tuple[float, float], fmt: str) -> bytes:
    """Build a Figure of `size` inches with `draw` and return it as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with _LOCK, matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        # A name or title in a script DejaVu Sans lacks (or with an emoji) is fine: the SVG
        # keeps the text, for the browser's fonts to draw. Not worth a warning per chart.
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        figure = Figure(figsize=size, layout="constrained")
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()


def wrap(text: str, width: int, max_lines: int = 2) -> str:
    """`text` wrapped at `width` characters, cut with an ellipsis after `max_lines` lines."""
    return "\n".join(textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …"))


def self_handle(label: str) -> Line2D:
    """The legend entry of the self-assessment marker."""
    return Line2D([], [], linestyle="none", label=label, **_without_color(SELF_MARKER))


def clients_handle(label: str) -> Line2D:
    """The legend entry of the clients' mean marker."""
    return Line2D([], [], linestyle="none", label=label, **_without_color(CLIENTS_MARKER))


def spread_handle(label: str) -> Line2D:
    """The legend entry of the clients' spread bar."""
    return Line2D([], [], label=label, **SPREAD_LINE)


def _without_color(style: dict) -> dict:
    return {key: value for key, value in style.items() if key != "color"}


def bottom_legend(figure: Figure, handles: list, columns: int | None = None) -> None:
    """A frameless legend under the plot: one row, or two when the labels are long."""
    if columns is None:
        # Long (e.g. Dutch) labels in one row would run off the figure's edge.
        label_length = sum(len(handle.get_label()) for handle in handles)
        columns = len(handles) if label_length <= 75 else 2
    figure.legend(handles=handles, loc="outside lower center", ncols=columns)


def note(figure: Figure, text: str) -> None:
    """A small grey line of explanation at the top of the figure."""
    figure.suptitle(text, fontsize=8.5, color=NOTE_COLOR, x=0.01, ha="left")
