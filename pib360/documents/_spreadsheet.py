"""Cells for spreadsheets: what CSV and XLSX both write, as data and never as a formula."""

from __future__ import annotations

import math
import re

# A cell that starts with one of these is a formula to Excel, LibreOffice and Google
# Sheets (OWASP: CSV injection): a round title "=HYPERLINK(...)" would run in the reader's
# spreadsheet. A leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0, and so XLSX, cannot hold. The forms drop these, but a name or title may
# have been stored before they did.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_value(value: object) -> object:
    """`value` as a spreadsheet cell: a number stays a number, NaN becomes an empty cell,
    and text loses what XML cannot hold and gets an apostrophe before a formula start."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        text = _NOT_XML.sub("", value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value
