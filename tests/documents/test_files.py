"""files: the gap report as PDF, CSV and XLSX, and the anonymous cohort PDF."""

import datetime
import io
import math
from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pib360.documents.files import (
    CohortContent,
    ReportContent,
    cohort_pdf,
    report_csv,
    report_pdf,
    report_xlsx,
)
from pib360.documents.formatting import format_gap, format_number
from pib360.domain.aggregation import cohort
from pib360.domain.instrument import ROLES
from tests.documents import gap_samples
from tests.domain.support import make_answers

RESPONDENT_IDS = (gap_samples.SELF, *gap_samples.CLIENTS)


def english(text: str) -> str:
    return text


def content_for(instrument, clients=4, locale="en", **changes) -> ReportContent:
    """The scenario's report content, with `clients` clients."""
    values = {
        "advisor_name": "Anneke de Vries-Öztürk",
        "round_title": "Spring round – SME clients",
        "closed_on": gap_samples.CLOSED_ON,
        "locale": locale,
        "instrument": instrument,
        "gap_report": gap_samples.gap_report(instrument, clients),
        "role_choices": gap_samples.choices(instrument, clients),
        "invited": 6,
        "responded": clients,
        "comments": gap_samples.COMMENTS,
    }
    return ReportContent(**(values | changes))


@pytest.fixture(scope="module")
def content(instrument) -> ReportContent:
    return content_for(instrument)


@pytest.fixture(scope="module")
def pdf_pages(content) -> list[str]:
    """The text of each page of the scenario's PDF."""
    reader = PdfReader(io.BytesIO(report_pdf(content, english)))
    for page in reader.pages:  # A4 portrait, in points
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.5)
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded, for phrases a table cell wrapped."""
    return " ".join(text.split())


# ReportContent


def test_response_rate_is_responded_over_invited(instrument, content):
    assert content.response_rate == pytest.approx(4 / 6)
    assert math.isnan(content_for(instrument, invited=0, responded=0).response_rate)


def test_report_content_refuses_inconsistent_input(instrument, mini, content):
    with pytest.raises(ValueError, match="locale"):
        replace(content, locale="de")
    with pytest.raises(ValueError, match="not with mini 0.1"):
        replace(content, instrument=mini)
    with pytest.raises(ValueError, match="not an open question"):
        replace(content, comments={"cr1": ["hello"]})


# PDF


def test_every_pdf_page_names_advisor_round_date_and_instrument(pdf_pages):
    assert len(pdf_pages) >= 3
    for number, text in enumerate(pdf_pages, start=1):
        assert "Anneke de Vries-Öztürk" in text
        assert "Spring round – SME clients" in text
        assert "2026-03-14" in text
        assert "pib360 1.0" in text
        assert f"Page {number} of {len(pdf_pages)}" in text


def test_pdf_shows_the_figures_of_the_report(content, pdf_pages):
    text = flat("\n".join(pdf_pages))
    report = content.gap_report
    assert f"{content.responded} of {content.invited} invited clients answered" in text
    assert format_number(report.dimensions.loc["credibility", "clients"], "en") in text
    assert format_number(report.trust_quotient["clients"], "en") in text
    assert format_gap(report.items.loc["re1", "gap"], "en") in text
    for heading in ("Trust quotient", "Role profile", "Blind spots", "Hidden strengths"):
        assert heading in text
    assert "How to read this report" in text and "The trust equation" in text


def test_pdf_lists_blind_spots_with_their_texts_and_the_comments(instrument, content, pdf_pages):
    text = flat("\n".join(pdf_pages))
    assert content.gap_report.blind_spots[0] == "cr1"
    assert instrument.item("cr1").text("client", "en") in text
    assert instrument.item("re1").text("client", "en") in text
    for comments in gap_samples.COMMENTS.values():
        for comment in comments:
            assert comment in text  # escaped for reportlab, printed as written
    assert instrument.item("keep_doing").text("client", "en") in text


def test_pdf_is_translated(instrument):
    content = content_for(instrument, locale="nl")
    pdf = report_pdf(content, lambda text: "@@" + text)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "@@Gap report" in text and "@@Page 1 of" in text
    assert "Geloofwaardigheid" in text  # names from the instrument, in Dutch
    assert "14-03-2026" in text  # Dutch date
    assert format_number(content.gap_report.dimensions.loc["credibility", "clients"], "nl") in text


def test_suppressed_pdf_says_why_and_shows_the_self_assessment_alone(instrument):
    content = content_for(instrument, clients=2)
    pages = PdfReader(io.BytesIO(report_pdf(content, english))).pages
    text = flat("\n".join(page.extract_text() for page in pages))
    assert "Fewer than 3 clients answered, so no client figures are shown" in text
    assert "This report shows your self-assessment only." in text
    assert format_number(content.gap_report.dimensions.loc["credibility", "self"], "en") in text
    assert "Clients (mean)" not in text and "Blind spots" not in text
    assert "Clear about fees." not in text  # with so few clients a comment could be traced


# CSV and XLSX


def test_csv_holds_the_aggregated_tables_and_no_respondent(content):
    csv = report_csv(content, english)
    assert csv.startswith("\ufeff".encode())  # Excel reads the accents as UTF-8
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert set(table["Section"]) == {
        "Trust dimensions",
        "Roles",
        "Items",
        "Trust quotient",
        "Role choice",
    }
    dims = table[table["Section"] == "Trust dimensions"].set_index("Id")
    expected = content.gap_report.dimensions
    assert dims.loc["credibility", "Clients (mean)"] == pytest.approx(
        expected.loc["credibility", "clients"], abs=5e-4
    )
    assert dims.loc["credibility", "Clients (number)"] == 4
    items = table[table["Section"] == "Items"].set_index("Id")
    assert math.isnan(items.loc["in5", "Clients (mean)"])  # suppressed cell: empty
    choices = table[table["Section"] == "Role choice"].set_index("Id")
    assert choices.loc["expert", "Share of clients choosing it"] == 0.5
    assert choices.loc["valued_helper", "Your own choice"] == 1
    for respondent in RESPONDENT_IDS:
        assert respondent.encode() not in csv
    assert len(table) == 4 + 4 + 24 + 1 + 4  # aggregates only


def test_dutch_csv_uses_semicolons_and_decimal_commas(instrument):
    content = content_for(instrument, locale="nl")
    table = pd.read_csv(io.BytesIO(report_csv(content, english)), sep=";", decimal=",")
    clients = table.set_index("Id").loc["credibility", "Clients (mean)"]
    assert clients == pytest.approx(
        content.gap_report.dimensions.loc["credibility", "clients"], abs=5e-4
    )


def test_xlsx_has_a_sheet_per_table_and_no_respondent(content):
    workbook = load_workbook(io.BytesIO(report_xlsx(content, english)))
    assert workbook.sheetnames == [
        "About this report",
        "Trust dimensions",
        "Roles",
        "Items",
        "Trust quotient",
        "Role choice",
    ]
    about = {row[0]: row[1] for row in workbook["About this report"].iter_rows(values_only=True)}
    assert about["Advisor"] == "Anneke de Vries-Öztürk" and about["Instrument"] == "pib360 1.0"
    rows = list(workbook["Trust dimensions"].iter_rows(values_only=True))
    header, credibility = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "Clients (mean)" in header and credibility["Id"] == "credibility"
    expected = content.gap_report.dimensions.loc["credibility", "clients"]
    assert credibility["Clients (mean)"] == pytest.approx(expected)
    items = {row[0]: row for row in workbook["Items"].iter_rows(values_only=True)}
    mean = items["Id"].index("Clients (mean)")
    assert items["in5"][mean] is None  # suppressed cell: empty, not 0 or "nan"
    assert items["cr1"][mean] == pytest.approx(3.25)
    cells = [
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]
    assert not any(respondent in cell for cell in cells for respondent in RESPONDENT_IDS)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula(text: str) -> str:
    """A translate that makes every label a formula a spreadsheet would run."""
    return "=" + text


@pytest.mark.parametrize("name, title, shown", [
    ("=HYPERLINK(\"http://x.example\")", "@SUM(A1)", ("'=HYPERLINK(\"http://x.example\")",
                                                     "'@SUM(A1)")),
    ("+31 6", "-1", ("'+31 6", "'-1")),
    ("\tname", "\rtitle", ("'\tname", "'\ntitle")),  # XML reads a carriage return back as \n
    ("Ann\x00\x0b", "=1+1\x1f", ("Ann", "'=1+1")),  # XML cannot hold most control characters
])
def test_spreadsheets_hold_no_formula_and_numbers_stay_numbers(instrument, name, title, shown):
    content = content_for(instrument, advisor_name=name, round_title=title)
    workbook = load_workbook(io.BytesIO(report_xlsx(content, formula)))
    about = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert (about["'=Advisor"], about["'=Feedback round"]) == shown
    cells = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for cell in row]
    assert [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)] == []
    assert not any("\x00" in c or "\x0b" in c for c in cells if isinstance(c, str))
    assert any(isinstance(c, float) and c < 0 for c in cells)  # a negative gap
    table = pd.read_csv(io.BytesIO(report_csv(content, formula)), encoding="utf-8-sig")
    texts = [*table.columns, *(v for v in table.to_numpy().ravel() if isinstance(v, str))]
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    assert (table["'=Gap"].dropna() < 0).any()  # numbers are read back as numbers


# Cohort


@pytest.fixture(scope="module")
def group(instrument):
    data = gap_samples.responses(instrument)
    frames = [
        make_answers(data, self_id=gap_samples.SELF).assign(advisor=name)
        for name in ("advisor-ann-xq", "advisor-bob-xq")
    ]
    return cohort(pd.concat(frames, ignore_index=True), instrument)


def test_cohort_pdf_shows_aggregates_without_names(instrument, group):
    roles = pd.DataFrame(
        {"self": 5.0, "clients": 4.5, "gap": -0.5, "advisors_n": 2}, index=pd.Index(ROLES)
    )
    items = gap_samples.gap_report(instrument).items[["self", "clients", "gap"]]
    content = CohortContent(
        title="PiB programme 2026, group 3",
        created_on=datetime.date(2026, 5, 1),
        locale="en",
        instrument=instrument,
        cohort=group,
        role_summary=roles,
        item_summary=items.assign(advisors_n=2),
        top_items=3,
    )
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(cohort_pdf(content, english))).pages]
    for number, page in enumerate(pages, start=1):
        assert "PiB programme 2026, group 3" in page and "2026-05-01" in page
        assert "pib360 1.0" in page and f"Page {number} of {len(pages)}" in page
    text = flat("\n".join(pages))
    assert "advisor-ann-xq" not in text and "advisor-bob-xq" not in text
    assert format_number(group.summary.loc["credibility", "clients"], "en") in text
    assert "Trusted advisor" in text and "Items with the largest mean gap" in text
    assert instrument.item("re1").text("client", "en") in text  # gap +4.25, the largest
