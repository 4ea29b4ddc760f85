"""The gap report of a closed round: page, charts, downloads, command line."""

import csv
import datetime
import io
import re
import subprocess
import uuid

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, Response
from pib360.services import instruments, rounds
from tests.helpers import log_in, make_round, make_user


def client_answers(instrument, value: int) -> dict:
    """Every item `value`, except the self-orientation items, all 2."""
    answers = {item.id: (2 if item.dimension == "self_orientation" else value)
               for item in instrument.scale_items}
    answers[instrument.choice_item.id] = "valued_helper"
    return answers


def closed_round(advisor, values=(6, 5, 7), min_clients=3, comments=()):
    """A closed round: self 4 on every item; one client per value in `values`."""
    feedback_round = make_round(advisor, self_value=4, min_clients=min_clients)
    instrument = instruments.for_round(feedback_round)
    for number, value in enumerate(values):
        answers = client_answers(instrument, value)
        if number < len(comments):
            answers[instrument.text_items[0].id] = comments[number]
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id, answers=answers))
        db.session.add(Invitation(feedback_round=feedback_round, email=f"c{number}@example.com",
                                  used=True))
    db.session.add(Invitation(feedback_round=feedback_round, email="late@example.com"))
    db.session.commit()
    rounds.close_round(feedback_round)
    return feedback_round


# Hand-computed: each trust dimension has 6 items, one of them reverse-scored (8 - value).
# A client answering v everywhere scores (5v + 8 - v) / 6 on a dimension:
#   v=6: 32/6 = 5.333, v=5: 28/6 = 4.667, v=7: 36/6 = 6.0 -> clients' mean 5.333 ("5,3").
# Self answers 4 everywhere: 4 after reversal too, so the gap is +1.333 ("+1,3").
# Self-orientation: clients answer 2 everywhere: (5*2 + 8-2) / 6 = 16/6 = 2.667 ("2,7").
# Trust quotient: self (4+4+4)/4 = 3.00; clients (3 * 5.333) / 2.667 = 6.00.


@pytest.fixture
def advisor(app):
    return make_user()


@pytest.fixture
def owner(client, advisor):
    log_in(client)
    return client


def statement_figures(page: str, text: str) -> tuple[str, str]:
    """The direction and the figures beside a statement in the page's list of statements."""
    entry = page.split(f'<p class="statement-text">{text}</p>')[-1].split("</li>")[0]
    direction = re.search(r'class="direction \w+">([^<]+)<', entry)[1]
    figures = re.sub(r"<[^>]+>|\s+", " ", entry.split('class="figures-line">')[1].split("</p>")[0])
    return direction.strip(), " ".join(figures.split())


def test_report_page_shows_the_hand_computed_figures(owner, advisor):
    feedback_round = closed_round(advisor, comments=["Blijf zo helder.", "Meer doorvragen."])
    page = owner.get(f"/reports/{feedback_round.id}").get_data(as_text=True)
    assert "Anna Jansen" in page and feedback_round.title in page
    assert ">3,00<" in page and ">6,00<" in page  # trust quotient, self and clients
    assert "5,3" in page and "+1,3" in page and "2,7" in page
    assert "3 van 4 uitgenodigde klanten hebben geantwoord (75%)" in page
    assert "Blijf zo helder." in page and "Meer doorvragen." in page
    assert "<img" not in page and 'class="track' in page  # charts drawn in the page
    # Beside each statement: agreement as worded. Clients answered 6, 5, 7 to every
    # statement (mean 6) except the self-orientation ones (2); the advisor 4 to all.
    instrument = instruments.for_round(feedback_round)
    for item in instrument.scale_items:
        direction, figures = statement_figures(page, item.text("client", "nl"))
        clients = "2,0" if item.dimension == "self_orientation" else "6,0"
        gap = "−2,0" if item.dimension == "self_orientation" else "+2,0"
        assert figures.startswith(f"Uzelf 4,0 · klanten {clients} (3 klanten) · verschil {gap}")
        agreeing_is_good = (item.dimension == "self_orientation") == item.reverse
        assert direction == ("▲ hoger is beter" if agreeing_is_good else "▼ lager is beter")


def test_report_below_the_minimum_shows_the_self_assessment_alone(owner, advisor):
    feedback_round = closed_round(advisor, values=(6, 5), comments=["Geheim."])
    page = owner.get(f"/reports/{feedback_round.id}").get_data(as_text=True)
    assert "Geen klantcijfers in dit rapport." in page
    assert "5,3" not in page and "6,00" not in page
    assert ">3,00<" in page  # the advisor's own trust quotient
    assert "Geheim." not in page


def test_downloads_are_rendered_once(owner, advisor, app):
    from pib360.models import ReportFile

    feedback_round = closed_round(advisor)
    first = owner.get(f"/reports/{feedback_round.id}/report.xlsx")
    assert first.status_code == 200
    assert owner.get(f"/reports/{feedback_round.id}/report.xlsx").data == first.data
    stored = db.session.execute(db.select(ReportFile.name)).scalars().all()
    assert len(stored) == 1 and stored[0].startswith("report.xlsx@")
    assert owner.get(f"/reports/{feedback_round.id}/report.docx").status_code == 404


def test_pdf_download_holds_the_figures_and_names_the_round_on_every_page(owner, advisor):
    feedback_round = closed_round(advisor)
    response = owner.get(f"/reports/{feedback_round.id}/report.pdf")
    assert response.mimetype == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    assert len(pages) > 1
    for text in pages:
        assert "Anna Jansen" in text and feedback_round.title in text and "1.0" in text
    everything = "\n".join(pages)
    assert "5,3" in everything and "+1,3" in everything


def test_csv_and_xlsx_hold_aggregates_only(owner, advisor):
    feedback_round = closed_round(advisor)
    response = owner.get(f"/reports/{feedback_round.id}/report.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    credibility = next(row for row in body if row[header.index("Id")] == "credibility")
    assert credibility[header.index("Klanten (gemiddelde)")] == "5,333"
    assert credibility[header.index("Klanten (aantal)")] == "3"
    workbook = load_workbook(io.BytesIO(owner.get(
        f"/reports/{feedback_round.id}/report.xlsx").data))
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True)
              for cell in row]
    assert any(isinstance(v, float) and abs(v - 16 / 3) < 1e-9 for v in values)
    assert not any(isinstance(v, str) and "@example.com" in v for v in values)


def test_no_figure_rests_on_a_single_client(owner, advisor):
    """A lowest or highest score is one client's own: the report shows the spread as a
    standard deviation instead, on the page and in the downloads."""
    feedback_round = closed_round(advisor)
    page = owner.get(f"/reports/{feedback_round.id}").get_data(as_text=True)
    assert "90%-marge" in page and "Laagste" not in page and "hoogste" not in page
    header = owner.get(f"/reports/{feedback_round.id}/report.csv").data.decode("utf-8-sig")
    header = header.splitlines()[0]
    assert "standaardafwijking" in header
    assert "laagste" not in header and "hoogste" not in header


def test_open_rounds_have_no_report(owner, advisor):
    feedback_round = make_round(advisor)
    assert owner.get(f"/reports/{feedback_round.id}").status_code == 404
    assert owner.get(f"/reports/{feedback_round.id}/report.pdf").status_code == 404


def test_report_page_uses_a_constant_number_of_queries(app, owner, advisor):
    from pib360.services import report_rendering

    small = closed_round(advisor, values=(6, 5, 7)).id
    large = closed_round(advisor, values=[5, 6, 7, 4] * 50).id  # 200 responses
    for round_id in (small, large):  # as the background job stores it
        report_rendering.page_body(db.session.get(FeedbackRound, round_id), "nl", own=True)
    app.config["REPORTS_RENDER_ON_REQUEST"] = False  # the page reads, never renders
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert owner.get(f"/reports/{small}").status_code == 200
        small_count = len(statements)
        statements.clear()
        assert owner.get(f"/reports/{large}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # The user, the round, its stored page, the round's own plan with the round that
    # measures it, and the norm (when the round has client figures): not one answer.
    assert len(statements) == small_count <= 6, "\n".join(s[:60] for s in statements)


def test_report_command_writes_the_files(runner, advisor, tmp_path):
    feedback_round = closed_round(advisor)
    pdf, table = tmp_path / "r.pdf", tmp_path / "r.csv"
    result = runner.invoke(args=["pib360", "report", str(feedback_round.id),
                                 "--pdf", str(pdf), "--csv", str(table)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "5,333" in table.read_text(encoding="utf-8-sig")
    open_round = make_round(advisor)
    result = runner.invoke(args=["pib360", "report", str(open_round.id), "--pdf", str(pdf)])
    assert result.exit_code != 0 and "not closed" in result.output


@pytest.mark.parametrize("version", ["RENDERING", "RULES_VERSION"])
def test_a_file_stored_by_other_rules_or_looks_is_never_served(owner, advisor, monkeypatch,
                                                                version):
    from pib360.domain import versions
    from pib360.models import ReportFile
    from pib360.services import reports

    feedback_round = closed_round(advisor)
    url = f"/reports/{feedback_round.id}/report.csv"
    fresh = owner.get(url).data
    stored = db.session.execute(db.select(ReportFile)).scalar_one()
    stored.content = b"figures that are no longer right"
    db.session.commit()
    assert owner.get(url).data == stored.content  # the same rules: the stored file
    module = versions if version == "RULES_VERSION" else reports
    monkeypatch.setattr(module, version, getattr(module, version) + ".next")
    assert owner.get(url).data == fresh


def test_statements_read_as_worded_on_the_page_in_the_pdf_and_in_the_xlsx(owner, advisor,
                                                                        tmp_path):
    """Clients answered 6, 5, 7 to every statement (2 to the self-orientation ones), the
    advisor 4: beside each statement, as worded, stand 4 and 6 (or 2), whatever the
    reversal, with the favourable direction: a reversed statement, or one about
    self-orientation, is better lower, a reversed self-orientation one better higher."""
    feedback_round = closed_round(advisor)
    instrument = instruments.for_round(feedback_round)
    expected = {}
    for item in instrument.scale_items:
        self_orientation = item.dimension == "self_orientation"
        higher = self_orientation == item.reverse
        expected[item.id] = ("2,0" if self_orientation else "6,0",
                             "−2,0" if self_orientation else "+2,0",
                             "hoger is beter" if higher else "lager is beter")
    assert {direction for _c, _g, direction in expected.values()} == {
        "hoger is beter", "lager is beter"}  # the instrument has both kinds

    page = owner.get(f"/reports/{feedback_round.id}").get_data(as_text=True)
    for item in instrument.scale_items:
        clients, gap, direction = expected[item.id]
        shown_direction, figures = statement_figures(page, item.text("client", "nl"))
        assert shown_direction.endswith(direction)
        assert figures.startswith(f"Uzelf 4,0 · klanten {clients} (3 klanten) · verschil {gap}")

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(owner.get(f"/reports/{feedback_round.id}/report.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    every_statement = text.split("Alle uitspraken")[-1]
    for item in instrument.scale_items:
        clients, gap, direction = expected[item.id]
        start = " ".join(item.text("client", "nl").split()[:4])
        block = every_statement.split(start, 1)[1][:400]
        first_line = block.splitlines()[0]
        assert re.search(rf"4,0\s+{clients}\s+{re.escape(gap)}", first_line), (start, first_line)
        assert direction in " ".join(block.split()[:40]), (start, block)

    workbook = load_workbook(io.BytesIO(owner.get(
        f"/reports/{feedback_round.id}/report.xlsx").data))
    sheet = workbook["Uitspraken"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("Uitspraak")]: row for row in sheet.iter_rows(min_row=2,
                                                                          values_only=True)}
    for item in instrument.scale_items:
        clients, gap, direction = expected[item.id]
        row = rows[item.text("client", "nl")]
        assert row[header.index("Uzelf")] == 4
        assert row[header.index("Klanten (gemiddelde)")] == pytest.approx(
            float(clients.replace(",", ".")))
        assert row[header.index("Gunstige richting")] == direction


def test_downloads_have_names_a_person_recognises(owner, advisor, tmp_path):
    feedback_round = closed_round(advisor)
    feedback_round.title = "Najaar 2026 – Zoë's klanten"
    db.session.commit()
    pdf = owner.get(f"/reports/{feedback_round.id}/report.pdf")
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="spiegelrapport-anna-jansen-najaar-2026-zoe-s-klanten.pdf"')
    (tmp_path / "r.pdf").write_bytes(pdf.data)
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert "Title:           Spiegelrapport: Anna Jansen – Najaar 2026 – Zoë's klanten" in info
    year = str(datetime.date.today().year)
    assert re.search(rf"CreationDate:\s+\w+ \w+ +\d+ [\d:]+ {year}", info)  # a real date
    csv_response = owner.get(f"/reports/{feedback_round.id}/report.csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.headers["Content-Disposition"].endswith('zoe-s-klanten.csv"')
