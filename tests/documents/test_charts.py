"""charts: valid, deterministic SVG/PNG in the report's language, without pyplot; and the
alt texts (from texts) that describe them."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from pib360.documents import charts, texts
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
        "item_gap": lambda fmt: charts.item_gap_chart(report, instrument, locale, translate, fmt),
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


@pytest.mark.parametrize("name", ["dimension", "role", "item_gap", "role_choice"])
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
    frame = charts.trend_frame([(MATHTEXT, gap_samples.CLOSED_ON, report)])
    draws["trend"] = lambda fmt: charts.trend_chart(frame, instrument, "en", with_mathtext, fmt)
    draws["cohort"] = lambda fmt: charts.cohort_chart(group, instrument, "en", with_mathtext, fmt)
    for name, draw in draws.items():
        image = draw(fmt)  # mathtext would fail on "\\foo", or draw "x^2_i" as a formula
        if fmt == "svg":
            assert MATHTEXT in svg_text(image), name


def test_a_label_the_font_cannot_draw_gives_no_warning(instrument, report):
    # Warnings are errors in the test suite; in a server, one per chart would flood the log.
    frame = charts.trend_frame([("春 2027 🙂", gap_samples.CLOSED_ON, report)])
    assert "春 2027 🙂" in svg_text(charts.trend_chart(frame, instrument, "en", english))


def test_item_gap_chart_shows_item_texts_and_marks_suppressed_cells(instrument, report):
    text = svg_text(charts.item_gap_chart(report, instrument, "en", english))
    assert "My advisor keeps agreements and meets deadlines." in text  # re1, short
    assert "Blind spot" in text and "Hidden strength" in text
    assert np.isnan(report.items.loc["in5", "gap"])  # the scenario's per-cell suppression
    assert "–" in text
    assert "+4.2" in text and "−3.8" in text  # re1 and cr1, signed


def test_long_item_texts_are_wrapped_to_at_most_two_lines(instrument, report):
    root = ET.fromstring(charts.item_gap_chart(report, instrument, "nl", english))
    lines = [t.strip() for t in root.itertext() if t.strip()]
    texts = [item.text("client", "nl") for item in instrument.scale_items]
    longest = max(texts, key=len)
    assert len(longest) > 80 and longest not in lines
    first_line = next(line for line in lines if longest.startswith(line))
    assert 30 < len(first_line) <= 52


def test_suppressed_charts_show_self_only_and_say_why(instrument, suppressed):
    assert suppressed.suppressed
    text = svg_text(charts.dimension_chart(suppressed, instrument, "en", english))
    assert "Fewer than 3 clients answered" in text
    assert "Clients (mean)" not in text and not re.search(r"clients \d", text)
    self_score = suppressed.dimensions.loc["credibility", "self"]
    assert f"you {self_score:.1f}" in text
    for fmt in ("svg", "png"):  # no client value anywhere: nothing to crash on
        charts.item_gap_chart(suppressed, instrument, "en", english, fmt)
        charts.role_chart(suppressed, instrument, "en", english, fmt)


def test_role_choice_chart_without_client_shares(instrument):
    choices = gap_samples.choices(instrument, clients=2)
    assert choices["clients"].isna().all()
    text = svg_text(charts.role_choice_chart(choices, instrument, "en", english))
    assert "Too few clients chose a role" in text and "%" in text


def test_unknown_format_is_refused(instrument, report):
    with pytest.raises(ValueError, match="chart format"):
        charts.dimension_chart(report, instrument, "en", english, "jpg")


def test_alt_texts_describe_the_figures_in_the_report_language(instrument, report, suppressed):
    alt = texts.dimension_alt_text(report, instrument, "nl", english)
    clients = f"{report.dimensions.loc['credibility', 'clients']:.1f}".replace(".", ",")
    assert "Geloofwaardigheid" in alt and clients in alt and "lower is better" in alt
    items = texts.item_gap_alt_text(report, instrument, "en", english)
    assert "My advisor answers my specialist questions clearly and directly" in items  # cr1
    assert "Blind spots" in items and "Hidden strengths" in items
    assert "fewer than 3 clients" in texts.role_alt_text(suppressed, instrument, "en", english)
    choice = texts.role_choice_alt_text(gap_samples.choices(instrument), instrument, "en", english)
    assert "Expert 50%" in choice and "You chose Valued helper" in choice
    assert texts.dimension_alt_text(report, instrument, "en", marked).startswith("@@")


def test_trend_frame_holds_one_row_per_round_oldest_first(instrument, report, suppressed):
    later = gap_samples.CLOSED_ON.replace(year=2027)
    frame = charts.trend_frame(
        [("Spring 2027", later, suppressed), ("Spring 2026", gap_samples.CLOSED_ON, report)]
    )
    assert list(frame.columns) == list(charts.TREND_COLUMNS)
    assert list(frame.index) == ["Spring 2026", "Spring 2027"]
    assert frame.index.name == "round"
    first = frame.loc["Spring 2026"]
    assert first["tq_clients"] == report.trust_quotient["clients"]
    assert first["intimacy_self"] == report.dimensions.loc["intimacy", "self"]
    assert first["instrument_version"] == "1.0"
    assert np.isnan(frame.loc["Spring 2027", "credibility_clients"])  # suppressed round
    with pytest.raises(ValueError, match="own label"):
        charts.trend_frame([("A", later, report), ("A", later, report)])


def test_trend_chart_renders_every_series(instrument, report, suppressed):
    frame = charts.trend_frame(
        [("Round 1", gap_samples.CLOSED_ON, report), ("Round 2", gap_samples.CLOSED_ON, suppressed)]
    )
    svg = charts.trend_chart(frame, instrument, "en", english)
    text = svg_text(svg)
    assert "Trust quotient" in text and "Self-orientation (lower is better)" in text
    assert "Round 2" in text
    assert charts.trend_chart(frame, instrument, "en", english) == svg
    assert charts.trend_chart(frame.iloc[:0], instrument, "en", english)  # no rounds: no crash
    alt = texts.trend_alt_text(frame, instrument, "en", english)
    assert "2 rounds" in alt and "–" in alt  # the suppressed round's client figures


def test_cohort_chart_leaves_out_suppressed_advisors(instrument, group):
    assert group.summary.loc["credibility", "advisors_n"] == 2  # cat is suppressed
    svg = charts.cohort_chart(group, instrument, "en", english)
    text = svg_text(svg)
    assert "Credibility" in text and "advisors: 2" in text
    assert charts.cohort_chart(group, instrument, "en", english) == svg
    assert "ann" not in text and "bob" not in text
    alt = texts.cohort_alt_text(group, instrument, "nl", english)
    assert "Geloofwaardigheid: mean gap" in alt and "(advisors: 2)" in alt


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
        "    charts.item_gap_chart(report, instrument, 'nl', str, fmt)\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
