"""Attack: a name or title that a spreadsheet program runs as a formula (CSV injection).

An advisor named "=HYPERLINK(...)" or a round titled "@SUM(...)" reached the report's
XLSX and CSV as it was, so the coach who opened the file ran it. Every text cell that
starts with =, +, -, @, a tab or a carriage return now starts with an apostrophe;
numbers stay numbers.
"""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.helpers import log_in, make_closed_round, make_user

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def as_cell(text: str) -> str:
    """`text` as a spreadsheet shows it: without what XML cannot hold, an apostrophe before
    a formula, and (reading XML back) a carriage return as a line feed."""
    text = text.replace("\x0b", "").replace("\x1f", "")
    return ("'" + text if text.startswith(FORMULA) else text).replace("\r", "\n")


HOSTILE_NAMES = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "@SUM(1+1)*cmd|' /C calc'!A0",
                 "+31 6 1234", "-2+3", "\tTab", "\rCR", "$\\foo$ & <b>"]


@pytest.mark.parametrize("name, title", [
    (HOSTILE_NAMES[0], HOSTILE_NAMES[1]), (HOSTILE_NAMES[2], HOSTILE_NAMES[3]),
    (HOSTILE_NAMES[4], HOSTILE_NAMES[5]), (HOSTILE_NAMES[6], "=1+1\x0b\x1f"),
])
def test_the_report_files_of_a_hostile_round_neutralise_formulas(client, name, title):
    advisor = make_user(name=name)
    log_in(client)
    feedback_round = make_closed_round(advisor, self_scores=7, client_scores=(2, 3, 2),
                                       title=title)
    files = {}
    for kind in ("pdf", "csv", "xlsx"):
        response = client.get(f"/reports/{feedback_round.id}/report.{kind}")
        assert response.status_code == 200, kind
        files[kind] = response.get_data()
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    about = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert about["Adviseur"] == as_cell(name) and about["Feedbackronde"] == as_cell(title)
    cells = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for cell in row]
    assert [cell for cell in cells if isinstance(cell, str) and cell.startswith(FORMULA)] == []
    assert any(isinstance(cell, float) and cell < 0 for cell in cells)  # numbers stay numbers
    rows = csv.reader(io.StringIO(files["csv"].decode("utf-8-sig")), delimiter=";")
    cells = [cell for row in rows for cell in row]
    numbers = [cell for cell in cells if re.fullmatch(r"-?[0-9]+(,[0-9]+)?", cell)]
    assert any(number.startswith("-") for number in numbers)  # a negative gap, as a number
    assert [c for c in cells if c.startswith(FORMULA) and c not in numbers] == []
    assert client.get(f"/trend/{advisor.id}").status_code == 200
