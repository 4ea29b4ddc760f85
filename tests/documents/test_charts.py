"""charts (for the PDFs): valid, deterministic SVG/PNG in the report's language, without
pyplot."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from pib360.documents import charts
from pib360.domain.aggregation import cohort
from tests.documents import gap_samples
from tests.domain.support import make_answers


def english(text: str) -> str:
    return text


def marked(text: str) -> str:
    """A translate that shows where it was applied (and keeps %(name)s placeholders intact)."""
    return "@@" + text


@pytest.fixture(scope="module")
def report(instrument):
    return gap_samples.gap_report(instrument)


@pytest.fixture(scope="module")
def suppressed(instrument):
    return gap_samples.gap_report(instrument, clients=2)


@pytest.fixture(scope="module")
def group(instrument):
    data = gap_samples.responses(instrument)
    frames = [
        make_answers(data, self_id=gap_samples.SELF).assign(advisor="ann"),
        # bob rates himself lower on everything (answers stay on the scale)
        make_answers(
            {
                who: {i: max(1.0, v - 2) if who == gap_samples.SELF else v for i, v in row.items()}
                for who, row in data.items()
            },
            self_id=gap_samples.SELF,
        ).assign(advisor="bob"),
        # cat has two clients only: her client figures are suppressed
        make_answers(
            {who: data[who] for who in (gap_samples.SELF, *gap_samples.CLIENTS[:2])},
            self_id=gap_samples.SELF,
        ).assign(advisor="cat"),
    ]
    return cohort(pd.concat(frames, ignore_index=True), instrument)


def report_charts(instrument, report, choices, locale="en", translate=english):
    """(name, callable(fmt)) for every chart of one report."""
    return {
        "dimension": lambda fmt: charts.dimension_chart(report, instrument, locale, translate, fmt),
        "role": lambda fmt: charts.role_chart(report, instrument, locale, translate, fmt),
        "role_choice": lambda fmt: charts.role_choice_chart(
            choices, instrument, locale, translate, fmt
        ),
    }


def svg_text(svg: bytes) -> str:
    """All text of an SVG document, checked to parse as XML with an <svg> root."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return " ".join(root.itertext())


def test_dimension_chart_is_svg_naming_every_dimension(instrument, report):
    text = svg_text(charts.dimension_chart(report, instrument, "en", english))
    for label in ("Credibility", "Reliability", "Intimacy", "Self-orientation"):
        assert label in text
    assert "(lower is better)" in text  # self-orientation runs the other way
    assert "Clients (mean)" in text and "You (self-assessment)" in text  # the legend
    credibility = report.dimensions.loc["credibility"]
    assert f"clients {credibility['clients']:.1f} (n = 4)" in text


def test_dutch_charts_use_dutch_labels_and_decimal_commas(instrument, report):
    text = svg_text(charts.dimension_chart(report, instrument, "nl", english))
    assert "Geloofwaardigheid" in text and "Zelfgerichtheid" in text
    clients = report.dimensions.loc["credibility", "clients"]
    assert f"{clients:.1f}".replace(".", ",") in text


@pytest.mark.parametrize("name", ["dimension", "role", "role_choice"])
def test_charts_are_deterministic_svg_and_png(instrument, report, name):
    draw = report_charts(instrument, report, gap_samples.choices(instrument))[name]
    svg = draw("svg")
    assert draw("svg") == svg  # byte for byte: the web layer caches closed rounds' charts
    assert b"<dc:date>" not in svg  # no timestamp
    svg_text(svg)
    assert draw("png").startswith(b"\x89PNG\r\n\x1a\n")


def test_png_is_deterministic_too(instrument, report):
    assert charts.role_chart(report, instrument, "en", english, "png") == charts.role_chart(
        report, instrument, "en", english, "png"
    )


def test_translate_is_applied_to_every_chart(instrument, report):
    choices = gap_samples.choices(instrument)
    for name, draw in report_charts(instrument, report, choices, translate=marked).items():
        assert "@@" in svg_text(draw("svg")), name


MATHTEXT = "$\\foo$ x^2_i \\ $"


def with_mathtext(text: str) -> str:
    """A translate putting matplotlib mathtext (and TeX's special characters) in every label."""
    return MATHTEXT + text


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_every_chart_draws_dollars_and_backslashes_as_plain_text(
        instrument, report, group, fmt):
    choices = gap_samples.choices(instrument)
    draws = report_charts(instrument, report, choices, translate=with_mathtext)
    draws["cohort"] = lambda fmt: charts.cohort_chart(group, instrument, "en", with_mathtext, fmt)
    for name, draw in draws.items():
        image = draw(fmt)  # mathtext would fail on "\\foo", or draw "x^2_i" as a formula
        if fmt == "svg":
            assert MATHTEXT in svg_text(image), name


def test_a_label_the_font_cannot_draw_gives_no_warning(instrument, report):
    # Warnings are errors in the test suite; in a server, one per chart would flood the log.
    def cjk(text: str) -> str:
        return "春 2027 🙂 " + text

    assert "春 2027 🙂" in svg_text(charts.dimension_chart(report, instrument, "en", cjk))


def test_suppressed_charts_show_self_only_and_say_why(instrument, suppressed):
    assert suppressed.suppressed
    text = svg_text(charts.dimension_chart(suppressed, instrument, "en", english))
    assert "Fewer than 3 clients answered" in text
    assert "Clients (mean)" not in text and not re.search(r"clients \d", text)
    self_score = suppressed.dimensions.loc["credibility", "self"]
    assert f"you {self_score:.1f}" in text
    for fmt in ("svg", "png"):  # no client value anywhere: nothing to crash on
        charts.role_chart(suppressed, instrument, "en", english, fmt)


def test_role_choice_chart_without_client_shares(instrument):
    choices = gap_samples.choices(instrument, clients=2)
    assert choices["clients"].isna().all()
    text = svg_text(charts.role_choice_chart(choices, instrument, "en", english))
    assert "Too few clients chose a role" in text and "%" in text


def test_unknown_format_is_refused(instrument, report):
    with pytest.raises(ValueError, match="chart format"):
        charts.dimension_chart(report, instrument, "en", english, "jpg")


def test_cohort_chart_leaves_out_suppressed_advisors(instrument, group):
    assert group.summary.loc["credibility", "advisors_n"] == 2  # cat is suppressed
    svg = charts.cohort_chart(group, instrument, "en", english)
    text = svg_text(svg)
    assert "Credibility" in text and "advisors: 2" in text
    assert charts.cohort_chart(group, instrument, "en", english) == svg
    assert "ann" not in text and "bob" not in text


def test_charts_never_import_pyplot():
    # In a fresh interpreter: this test process may have imported pyplot through a plugin.
    script = (
        "import sys\n"
        "from pib360.documents import charts\n"
        "from pib360.domain.instrument_file import load_instrument\n"
        "from tests.documents import gap_samples\n"
        "instrument = load_instrument()\n"
        "report = gap_samples.gap_report(instrument)\n"
        "for fmt in ('svg', 'png'):\n"
        "    charts.dimension_chart(report, instrument, 'nl', str, fmt)\n"
        "    charts.role_chart(report, instrument, 'nl', str, fmt)\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
