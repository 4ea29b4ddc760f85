"""Attack: a round title that matplotlib would read as mathtext.

"$\\foo$" in a round title once made every later trend chart of the advisor fail (an
unknown TeX symbol), and "$x^2$" would have been drawn as a formula: a 500 for the advisor
and their coaches, for good. The web pages now draw their own charts, but the PDFs' charts
are still matplotlib's: every chart draws its text as written, and the pages and the PDF
of such rounds show the titles as typed.
"""

import subprocess

from markupsafe import escape

from pib360.documents import _chart_style as style
from tests.helpers import log_in, make_closed_round, make_user

# mathtext and the characters TeX gives a meaning
MATHTEXT = ["$\\foo$", "$x^{2}_{i}$", "\\$ $\\frac{a}{b}", "50$ and 20$", "$$", "^_\\"]


def test_mathtext_in_round_titles_is_shown_as_typed(client, tmp_path):
    advisor = make_user()
    log_in(client)
    rounds = [make_closed_round(advisor, title=title) for title in MATHTEXT]
    page = client.get(f"/trend/{advisor.id}")
    assert page.status_code == 200
    assert all(str(escape(title)) in page.get_data(as_text=True) for title in MATHTEXT)
    pdf = client.get(f"/reports/{rounds[0].id}/report.pdf")
    assert pdf.status_code == 200
    (tmp_path / "report.pdf").write_bytes(pdf.get_data())
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert MATHTEXT[0] in text


def test_every_chart_draws_its_text_as_written():
    def draw(figure):
        axes = figure.add_subplot(ylim=(0, len(MATHTEXT)))
        for y, text in enumerate(MATHTEXT):
            axes.text(0, y, text)

    svg = style.render(draw, (4.0, 3.0), "svg").decode()
    assert all(str(escape(text)).replace("&#39;", "'") in svg for text in MATHTEXT)
