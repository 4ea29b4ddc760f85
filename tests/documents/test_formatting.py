"""formatting: numbers and dates in the report's language, and a dash for what is missing."""

import datetime

import numpy as np
import pandas as pd

from pib360.documents.formatting import format_date, format_gap, format_number, format_percent


def test_format_number_uses_the_locale_decimal_mark_and_a_dash_for_missing():
    assert format_number(13 / 3, "nl") == "4,3"
    assert format_number(13 / 3, "en", digits=2) == "4.33"
    assert format_number(float("nan"), "nl") == "–"
    assert format_number(None, "en") == "–"
    assert format_number(pd.NA, "en") == "–"
    assert format_number(-0.04, "en") == "0.0"  # no "-0.0"
    assert format_number(-1.25, "en", 2) == "−1.25"  # a true minus sign
    assert format_gap(0.7, "nl") == "+0,7" and format_gap(0.0, "en") == "0.0"
    assert format_percent(2 / 3, "nl") == "67%" and format_percent(np.nan, "nl") == "–"
    assert format_date(datetime.date(2026, 3, 4), "nl") == "04-03-2026"
    assert format_date(datetime.date(2026, 3, 4), "en") == "2026-03-04"
