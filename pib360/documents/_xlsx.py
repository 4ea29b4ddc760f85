"""The aggregated tables of a gap report as an Excel workbook (openpyxl)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pib360.documents import _report_tables as tables
from pib360.documents._spreadsheet import cell_value
from pib360.documents.texts import suppressed_note

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent

Translate = Callable[[str], str]
# Excel shows numbers in the reader's own locale, so only the number of decimals is set here.
_FORMATS = {"clients_n": "0", "clients_share": "0%"}
_WIDE = {"text": 70, "name": 24, "dimension": 20, "role": 20}


def write_workbook(target: IO[bytes], content: ReportContent, translate: Translate) -> None:
    """Write the about sheet and one sheet per aggregated table to `target`."""
    _ = translate
    workbook = Workbook()
    about = workbook.active
    about.title = _sheet_title(_("About this report"))
    for label, value in tables.facts(content, translate):
        about.append([cell_value(label), cell_value(value)])
    if content.gap_report.suppressed:
        note = suppressed_note(content.gap_report.min_clients, _)
        about.append([cell_value(_("Note")), cell_value(note)])
    about.column_dimensions["A"].width = 36
    about.column_dimensions["B"].width = 60
    titles = tables.column_titles(content, translate)
    for key, table in tables.all_tables(content, translate).items():
        sheet = workbook.create_sheet(_sheet_title(tables.section_titles(translate)[key]))
        _write_table(sheet, table.reset_index(), titles)
    workbook.save(target)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in sheet names and cuts names at 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def _write_table(sheet: Worksheet, table: pd.DataFrame, titles: dict[str, str]) -> None:
    sheet.append([cell_value(titles[column]) for column in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([cell_value(value) for value in row])
    for number, column in enumerate(table.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = _WIDE.get(column, 14)
        number_format = _FORMATS.get(column, "0.00")
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, float):
                cell.number_format = number_format
            if column == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
