"""The instrument quality tables as one CSV, and as plain text for the command line.

Both read what `services.quality` computed (`domain.psychometrics` tables with their flags);
labels come from `translate` and the instrument. The CSV follows the report's CSV: UTF-8
with a BOM, ';' and a decimal comma in Dutch, ',' and a point in English, and every text
cell through `cell_value`, so an item text is never a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable

import pandas as pd

from pib360.documents._spreadsheet import cell_value
from pib360.documents.formatting import capital, format_number, format_percent
from pib360.domain.instrument import DIMENSIONS, Instrument

Translate = Callable[[str], str]


def scale_name(scale: str, instrument: Instrument, locale: str) -> str:
    """A dimension's or role's name."""
    label = (instrument.dimension_label(scale, locale) if scale in DIMENSIONS
             else instrument.role_label(scale, locale))
    return capital(label)


def quality_rows(reliability: pd.DataFrame, items: pd.DataFrame, instrument: Instrument,
                 locale: str, translate: Translate) -> list[list]:
    """Header and rows, numbers as numbers: the scales first, then the items."""
    _ = translate
    rows: list[list] = [[_("Section"), _("Scale or item"), _("Items"), _("Respondents"),
                         _("Alpha"), _("Alpha, lower bound"), _("Alpha, upper bound"), "SEM",
                         _("Mean"), "SD", _("Cannot judge"), _("Item-total correlation"),
                         _("Flags")]]
    for scale, row in reliability.iterrows():
        rows.append([_("Scale"), scale_name(scale, instrument, locale), int(row["items"]),
                     int(row["n"]),
                     row["alpha"], row["alpha_ci_low"], row["alpha_ci_high"], row["sem"],
                     None, None, None, None, _("alpha below 0.70") if row["flag"] else ""])
    flag_names = {"item_total": _("weak item-total correlation"),
                  "cannot_judge": _("often cannot judge")}
    for item_id, row in items.iterrows():
        rows.append([_("Item"), f"{item_id}: {instrument.item(item_id).text('client', locale)}",
                     None, int(row["n"]), None, None, None, None, row["mean"], row["sd"],
                     row["cannot_judge_share"], row["item_total"],
                     ", ".join(flag_names[flag] for flag in row["flags"])])
    return rows


def quality_csv(reliability: pd.DataFrame, items: pd.DataFrame, instrument: Instrument,
                locale: str, translate: Translate) -> bytes:
    """The quality tables as one CSV for a spreadsheet."""
    dutch = locale == "nl"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dutch else ",", lineterminator="\r\n")
    for row in quality_rows(reliability, items, instrument, locale, translate):
        writer.writerow([_csv_cell(value, dutch) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object, dutch: bool) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.3f}" if not math.isinf(value) else ""
        return text.replace(".", ",") if dutch else text
    return str(value)


def quality_text(reliability: pd.DataFrame, items: pd.DataFrame, instrument: Instrument,
                 locale: str, translate: Translate) -> str:
    """The quality tables as aligned plain text, for `pib360 instrument-quality`."""
    _ = translate
    lines = [f"{_('Scale'):<28}{_('Items'):>12}{'n':>6}{_('Alpha'):>8}  95%{'':>10}{'SEM':>6}"]
    for scale, row in reliability.iterrows():
        interval = (f"{format_number(row['alpha_ci_low'], locale, 2)}–"
                    f"{format_number(row['alpha_ci_high'], locale, 2)}")
        lines.append(f"{scale_name(scale, instrument, locale):<28}{int(row['items']):>12}"
                     f"{int(row['n']):>6}"
                     f"{format_number(row['alpha'], locale, 2):>8}  {interval:<13}"
                     f"{format_number(row['sem'], locale, 2):>6}"
                     + ("  ! " + _("alpha below 0.70") if row["flag"] else ""))
    lines += ["", f"{_('Item'):<8}{'n':>6}{_('Mean'):>7}{'SD':>6}{'?':>7}{'r_it':>7}"]
    for item_id, row in items.iterrows():
        flags = {"item_total": _("weak item-total correlation"),
                 "cannot_judge": _("often cannot judge")}
        lines.append(f"{item_id:<8}{int(row['n']):>6}{format_number(row['mean'], locale, 2):>7}"
                     f"{format_number(row['sd'], locale, 2):>6}"
                     f"{format_percent(row['cannot_judge_share'], locale):>7}"
                     f"{format_number(row['item_total'], locale, 2):>7}"
                     + "".join(f"  ! {flags[flag]}" for flag in row["flags"]))
    return "\n".join(lines)
