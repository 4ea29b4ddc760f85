"""Gap reports as files: PDF (A4), and the aggregated tables as CSV and XLSX.

The service fills a `ReportContent` (or `CohortContent`) and passes `translate`
(flask_babel.gettext inside force_locale(content.locale)); every label comes out in the
report's language, names and texts from the instrument. All figures come from
`aggregation`; the only arithmetic here is the response rate. Public API:

- ReportContent(...), .response_rate; CohortContent(...)
- report_pdf(content, translate) -> bytes: the full report; every page names the advisor,
  the round, its closing date and the instrument version, with page numbers.
- report_csv(content, translate) -> bytes: one table (UTF-8 with BOM so Excel reads accents;
  ';' and a decimal comma in Dutch, ',' and a point in English) with a section column.
- report_xlsx(content, translate) -> bytes: a sheet per table, plus one about the report.
- cohort_pdf(content, translate) -> bytes: a group's aggregates, without advisor names.
Per-cell suppressed (NaN) figures show as "–" in the PDF and as empty cells in CSV/XLSX.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd

from pib360.documents import _report_tables as tables
from pib360.documents._cohort_pdf import build_cohort
from pib360.documents._report_pdf import build_report
from pib360.documents._spreadsheet import cell_value
from pib360.documents._xlsx import write_workbook
from pib360.documents.content import CohortContent, ReportContent

__all__ = [
    "CohortContent",
    "ReportContent",
    "cohort_pdf",
    "report_csv",
    "report_pdf",
    "report_xlsx",
]

Translate = Callable[[str], str]


def report_csv(content: ReportContent, translate: Translate) -> bytes:
    """The aggregated tables of the report as one CSV, a section column telling them apart."""
    sections = tables.section_titles(translate)
    frames = [
        table.reset_index().assign(section=sections[key])
        for key, table in tables.all_tables(content, translate).items()
    ]
    combined = pd.concat(frames, ignore_index=True)
    titles = tables.column_titles(content, translate)
    order = list(titles)
    combined = combined[[column for column in order if column in combined.columns]]
    combined["self_choice"] = combined["self_choice"].map({True: 1, False: 0}).astype("Int64")
    counts = ["clients_n", *(c for c in combined.columns if c.startswith("answers_"))]
    combined[counts] = combined[counts].round().astype("Int64")
    numbers = combined.select_dtypes(np.floating).columns
    combined[numbers] = combined[numbers].round(3)
    # Every text cell, titles too, as the XLSX writes it: never a formula.
    texts = [c for c in combined.columns if not pd.api.types.is_numeric_dtype(combined[c])]
    combined[texts] = combined[texts].map(cell_value)
    combined = combined.rename(columns=lambda column: cell_value(titles[column]))
    dutch = content.locale == "nl"
    text = combined.to_csv(
        index=False, sep=";" if dutch else ",", decimal="," if dutch else ".", lineterminator="\r\n"
    )
    return text.encode("utf-8-sig")


def report_xlsx(content: ReportContent, translate: Translate) -> bytes:
    """The aggregated tables of the report as an Excel workbook, one sheet per table."""
    buffer = io.BytesIO()
    write_workbook(buffer, content, translate)
    return buffer.getvalue()


def report_pdf(content: ReportContent, translate: Translate) -> bytes:
    """The gap report as an A4 PDF, with the same content and charts as the web page."""
    return build_report(content, translate)


def cohort_pdf(content: CohortContent, translate: Translate) -> bytes:
    """The group report as an A4 PDF: aggregates per dimension (and role, item); no names."""
    return build_cohort(content, translate)
