"""Numbers and dates as a report shows them: a decimal comma in Dutch, a point in English.

Charts, documents and (through the web layer) the HTML report all format with these, so a
figure reads the same everywhere. A missing value (NaN, a suppressed cell) reads "–".
"""

from __future__ import annotations

import datetime
import math
import numbers

__all__ = [
    "MISSING", "capital", "format_date", "format_gap", "format_number", "format_percent"
]

MISSING = "–"  # an en dash: what a suppressed or missing value shows


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:  # pandas.NA and friends refuse math.isnan
        return True


def format_number(value: float | None, locale: str, digits: int = 1) -> str:
    """`value` with `digits` decimals ("4,3" in nl, "4.3" in en); "–" when missing."""
    if _is_missing(value) or not isinstance(value, numbers.Real):
        return MISSING
    text = f"{float(value):.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # rounding -0.04 to "-0.0" would suggest a direction there is not
    text = text.replace("-", "\u2212")  # a true minus sign lines up with the digits
    return text.replace(".", ",") if locale == "nl" else text


def format_gap(value: float | None, locale: str, digits: int = 1) -> str:
    """A difference with its sign always shown ("+0,7", "−1,3", "0,0"); "–" when missing."""
    text = format_number(value, locale, digits)
    if text[0].isdigit() and text.strip("0,.") != "":
        return "+" + text
    return text


def format_percent(share: float | None, locale: str, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage ("33%"); "–" when missing."""
    if _is_missing(share) or not isinstance(share, numbers.Real):
        return MISSING
    return f"{format_number(share * 100, locale, digits)}%"


def format_date(day: datetime.date, locale: str) -> str:
    """A date in numbers: 26-11-2026 in nl, ISO 2026-11-26 in en (no month names to translate)."""
    return day.strftime("%d-%m-%Y") if locale == "nl" else day.isoformat()


def capital(text: str) -> str:
    """`text` with a capital first letter, the rest untouched ("expert+" -> "Expert+")."""
    return text[:1].upper() + text[1:]


def focus_label(instrument, kind: str, key: str, locale: str) -> str:
    """How a focus point of a development plan is named: its dimension or role, or the
    statement as clients read it."""
    kind = getattr(kind, "value", kind)
    if kind == "dimension":
        return capital(instrument.dimension_label(key, locale))
    if kind == "role":
        return capital(instrument.role_label(key, locale))
    item = instrument.item(key)
    return item.text("client", locale) if item else key
