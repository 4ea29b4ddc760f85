"""The PDF building blocks shared by the advisor and the cohort report (reportlab platypus).

A4 pages with a header (what the report is about) and a footer ("page 2 of 5") drawn on
every page, DejaVu Sans (bundled with matplotlib) so that –, ë and é print, and helpers
for headings, paragraphs, tables and chart images.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from pib360.documents._chart_style import PNG_DPI

MARGIN = 1.8 * cm
WIDTH = A4[0] - 2 * MARGIN  # of the text frame
HEIGHT = A4[1] - 2 * MARGIN
FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register DejaVu Sans with reportlab, once per process."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in (FONT, BOLD, ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=23, spaceAfter=4),
    "subtitle": ParagraphStyle(
        "subtitle", fontName=FONT, fontSize=10.5, leading=15, textColor=GREY, spaceAfter=10
    ),
    "h1": ParagraphStyle(
        "h1",
        fontName=BOLD,
        fontSize=13.5,
        leading=18,
        spaceBefore=14,
        spaceAfter=6,
        keepWithNext=True,
    ),
    "h2": ParagraphStyle(
        "h2",
        fontName=BOLD,
        fontSize=10.5,
        leading=14,
        spaceBefore=8,
        spaceAfter=3,
        keepWithNext=True,
    ),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, spaceAfter=5),
    "note": ParagraphStyle(
        "note", fontName=ITALIC, fontSize=8.5, leading=12, textColor=GREY, spaceAfter=5
    ),
    "notice": ParagraphStyle(
        "notice",
        fontName=BOLD,
        fontSize=10,
        leading=14,
        spaceAfter=8,
        borderColor=colors.HexColor("#D55E00"),
        borderWidth=1,
        borderPadding=7,
        spaceBefore=6,
        backColor=colors.HexColor("#FFF4EC"),
    ),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11),
    "quote": ParagraphStyle(
        "quote",
        fontName=FONT,
        fontSize=9.5,
        leading=13.5,
        leftIndent=12,
        spaceAfter=5,
        bulletIndent=2,
    ),
}


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: names and comments may hold < or &)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def section(heading: str, *opening: Flowable, level: str = "h1") -> KeepTogether:
    """A heading kept on one page with the first flowables under it (an intro, a chart)."""
    return KeepTogether([para(heading, level), *opening])


def bullet(text: str) -> Paragraph:
    """A quoted comment as an indented paragraph after a dash."""
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES["quote"], bulletText="–")


def chart(png: bytes, width: float = WIDTH, height: float = HEIGHT - 1.5 * cm) -> Image:
    """A chart image from PNG bytes, at its natural size or scaled down to fit the frame."""
    pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
    natural = (pixels_wide / PNG_DPI * 72, pixels_high / PNG_DPI * 72)  # points
    scale = min(1.0, width / natural[0], height / natural[1])
    return Image(io.BytesIO(png), natural[0] * scale, natural[1] * scale)


def table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], numeric_from: int = 1
) -> Table:
    """A table with a bold header row; columns from `numeric_from` on are right-aligned."""
    head = ParagraphStyle("head", parent=STYLES["cell"], fontName=BOLD)
    styles = [
        [
            ParagraphStyle("cell", parent=base, alignment=2 if column >= numeric_from else 0)
            for column in range(len(widths))
        ]
        for base in (head, STYLES["cell"])
    ]
    cells = [
        [
            value
            if isinstance(value, Flowable)
            else Paragraph(escape(str(value)), styles[min(number, 1)][column])
            for column, value in enumerate(row)
        ]
        for number, row in enumerate(rows)
    ]
    result = Table(cells, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return result


def page_label(translate: Callable[[str], str]) -> Callable[[int, int], str]:
    """The footer text of a page: "Page 2 of 5", translated."""
    _ = translate
    return lambda page, pages: _("Page %(page)d of %(pages)d") % {"page": page, "pages": pages}


def _page_canvas(header: tuple[str, str], page_label: Callable[[int, int], str]) -> type:
    """A Canvas class that draws the header and "page n of m" once the page count is known."""

    class PageCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            # Keep the page; it is drawn in save(), when the total is known.
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self._decorate(number, len(self._pages))
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            self.drawString(MARGIN, height - 1.1 * cm, header[0])
            self.drawRightString(width - MARGIN, height - 1.1 * cm, header[1])
            self.setStrokeColor(RULE)
            self.line(MARGIN, height - 1.25 * cm, width - MARGIN, height - 1.25 * cm)
            self.drawRightString(width - MARGIN, 1.0 * cm, page_label(number, total))

    return PageCanvas


def build(
    story: list[Flowable],
    header: tuple[str, str],
    page_label: Callable[[int, int], str],
    title: str,
) -> bytes:
    """Lay out `story` on A4 pages with `header` (left, right) and page numbers; PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        creator="pib360",
        author="",
        subject=title,
        invariant=False,  # the real creation date; a rendered report is stored, not remade
    )
    document.build(story, canvasmaker=_page_canvas(header, page_label))
    return buffer.getvalue()
