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

import datetime
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from pib360.documents import _report_tables as tables
from pib360.documents._cohort_pdf import build_cohort
from pib360.documents._report_pdf import build_report
from pib360.documents._spreadsheet import cell_value
from pib360.documents._xlsx import write_workbook
from pib360.domain.aggregation import CohortReport, GapReport
from pib360.domain.instrument import LOCALES, Instrument

__all__ = [
    "CohortContent",
    "ReportContent",
    "cohort_pdf",
    "report_csv",
    "report_pdf",
    "report_xlsx",
]

Translate = Callable[[str], str]


def _check_report_source(locale: str, instrument: Instrument, report) -> None:
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {', '.join(LOCALES)}, not {locale!r}")
    if (report.instrument_id, report.instrument_version) != (instrument.id, instrument.version):
        raise ValueError(
            f"report computed with {report.instrument_id} {report.instrument_version}, "
            f"not with {instrument.id} {instrument.version}"
        )


@dataclass(frozen=True, eq=False)
class ReportContent:
    """Everything one advisor's gap report shows; the PDF and the web page both read it."""

    advisor_name: str
    round_title: str
    closed_on: datetime.date
    locale: str
    instrument: Instrument
    gap_report: GapReport
    role_choices: pd.DataFrame  # from aggregation.role_choices
    invited: int
    responded: int
    # text item id -> the clients' comments, already shuffled by the service
    comments: Mapping[str, Sequence[str]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        _check_report_source(self.locale, self.instrument, self.gap_report)
        if self.invited < 0 or self.responded < 0:
            raise ValueError("invited and responded cannot be negative")
        for item_id in self.comments:
            item = self.instrument.item(item_id)
            if item is None or item.kind != "text":
                raise ValueError(f"comments: {item_id!r} is not an open question")

    @property
    def response_rate(self) -> float:
        """Responded / invited, between 0 and 1; NaN when nobody was invited."""
        return self.responded / self.invited if self.invited else float("nan")


@dataclass(frozen=True, eq=False)
class CohortContent:
    """A group report without advisor names; role and item summaries are optional.

    `role_summary` and `item_summary`, when given, are indexed by role / item id with the
    columns of CohortReport.summary (self, clients, gap, advisors_n).
    """

    title: str
    created_on: datetime.date
    locale: str
    instrument: Instrument
    cohort: CohortReport
    role_summary: pd.DataFrame | None = None
    item_summary: pd.DataFrame | None = None
    top_items: int = 10  # how many items with the largest mean gap to list

    def __post_init__(self) -> None:
        _check_report_source(self.locale, self.instrument, self.cohort)


def report_csv(content: ReportContent, translate: Translate) -> bytes:
    """The aggregated tables of the report as one CSV, a section column telling them apart."""
    sections = tables.section_titles(translate)
    frames = [
        table.reset_index().assign(section=sections[key])
        for key, table in tables.all_tables(content, translate).items()
    ]
    combined = pd.concat(frames, ignore_index=True)
    order = list(tables.column_titles(translate))
    combined = combined[[column for column in order if column in combined.columns]]
    for column in ("reverse", "self_choice"):
        combined[column] = combined[column].map({True: 1, False: 0}).astype("Int64")
    combined["clients_n"] = combined["clients_n"].round().astype("Int64")
    numbers = combined.select_dtypes(np.floating).columns
    combined[numbers] = combined[numbers].round(3)
    # Every text cell, titles too, as the XLSX writes it: never a formula.
    texts = [c for c in combined.columns if not pd.api.types.is_numeric_dtype(combined[c])]
    combined[texts] = combined[texts].map(cell_value)
    titles = tables.column_titles(translate)
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
