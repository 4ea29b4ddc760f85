"""The story of one advisor's gap report PDF, top to bottom as issue 5 lays it out.

Responses, trust quotient, dimensions, roles, blind spots and hidden strengths, all items,
comments, and how to read it all. A suppressed report keeps the self-assessment and says
why there are no client figures (and no comments).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether

from pib360.documents import _pdf as pdf
from pib360.documents import _report_tables as tables
from pib360.documents import charts
from pib360.documents.formatting import format_date, format_gap, format_number, format_percent
from pib360.documents.texts import explanation, suppressed_note
from pib360.domain.instrument import DIMENSIONS

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent

Translate = Callable[[str], str]


def build_report(content: ReportContent, translate: Translate) -> bytes:
    """The report's PDF bytes."""
    _ = translate
    pdf.register_fonts()
    suppressed = content.gap_report.suppressed
    story = _opening(content, _) + _trust(content, _) + _roles(content, _)
    if not suppressed:
        story += _gaps(content, _)
    story += _items(content, _)
    if not suppressed:
        story += _comments(content, _)
    story += _how_to_read(content, _)
    instrument = f"{content.instrument.id} {content.instrument.version}"
    closed = _("Closed on %(date)s") % {"date": format_date(content.closed_on, content.locale)}
    left = textwrap.shorten(f"{content.advisor_name} – {content.round_title}", 80, placeholder="…")
    instrument_label, title = _("Instrument"), _("Gap report")
    header = (left, f"{closed} · {instrument_label} {instrument}")
    return pdf.build(story, header, pdf.page_label(_), title=f"{title}: {left}")


def _opening(content: ReportContent, _: Translate) -> list[Flowable]:
    locale = content.locale
    closed_on, instrument_label = _("Closed on"), _("Instrument")
    story = [
        pdf.para(_("Gap report"), "title"),
        pdf.para(
            f"{content.advisor_name} · {content.round_title}\n"
            f"{closed_on} {format_date(content.closed_on, locale)} · "
            f"{instrument_label} {content.instrument.id} {content.instrument.version}",
            "subtitle",
        ),
        pdf.para(_("Responses"), "h1"),
        pdf.table(
            [
                [_("Clients invited"), _("Clients who responded"), _("Response rate")],
                [content.invited, content.responded, format_percent(content.response_rate, locale)],
            ],
            [5 * cm] * 3,
            numeric_from=0,
        ),
    ]
    report = content.gap_report
    if report.suppressed:
        story.append(
            pdf.para(
                suppressed_note(report.min_clients, _)
                + " "
                + _("This report shows your self-assessment only."),
                "notice",
            )
        )
    else:
        story.append(
            pdf.para(
                _(
                    "A client figure is shown only when at least %(min)d clients answered; "
                    "n is the number of clients behind a figure."
                )
                % {"min": report.min_clients},
                "note",
            )
        )
    return story


def _stat_rows(table: pd.DataFrame, names: list[str], locale: str, clients: bool) -> list[list]:
    """Formatted rows: name, you, and when client figures exist: clients, gap, n."""
    rows = []
    for name, (_key, row) in zip(names, table.iterrows(), strict=True):
        cells = [name, format_number(row["self"], locale)]
        if clients:
            n = "–" if pd.isna(row.get("clients_n")) else str(int(row["clients_n"]))
            cells += [format_number(row["clients"], locale), format_gap(row["gap"], locale), n]
        rows.append(cells)
    return rows


def _stat_table(first: str, rows: list[list], content: ReportContent, _: Translate) -> Flowable:
    clients = not content.gap_report.suppressed
    head = [first, _("You")] + ([_("Clients"), _("Gap"), "n"] if clients else [])
    widths = [9.2 * cm, 2.0 * cm] + ([2.0 * cm, 2.0 * cm, 1.2 * cm] if clients else [])
    return pdf.table([head, *rows], widths)


def _table_of(first: str, table: pd.DataFrame, names: list[str], content, _) -> Flowable:
    clients = not content.gap_report.suppressed
    return _stat_table(first, _stat_rows(table, names, content.locale, clients), content, _)


def _trust(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale, instrument = content.gap_report, content.locale, content.instrument
    dims = tables.dimension_table(content)
    names = list(dims["name"])
    names[-1] += " " + _("(lower is better)")
    rows = _stat_rows(dims, names, locale, not report.suppressed)
    # The quotient has no gap or n of its own: those cells stay empty rather than read "–".
    quotient = report.trust_quotient
    tq_row = [_("Trust quotient"), format_number(quotient["self"], locale)]
    rows.append(
        tq_row + ([] if report.suppressed else [format_number(quotient["clients"], locale), "", ""])
    )
    intro = _(
        "Trust quotient = (credibility + reliability + intimacy) / self-orientation. "
        "Below: its four parts, your own score against your clients'."
    )
    return [
        pdf.section(
            _("Trust quotient"),
            pdf.para(intro),
            _stat_table(_("Part of the trust equation"), rows, content, _),
        ),
        pdf.section(
            _("Trust dimensions"),
            pdf.chart(charts.dimension_chart(report, instrument, locale, _, "png")),
            level="h2",
        ),
    ]


def _roles(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale, instrument = content.gap_report, content.locale, content.instrument
    roles = tables.role_table(content)
    return [
        pdf.section(
            _("Role profile"),
            pdf.para(_("How strongly you show the behaviour of each of the four advisor roles.")),
            pdf.chart(charts.role_chart(report, instrument, locale, _, "png")),
        ),
        _table_of(_("Role"), roles, list(roles["name"]), content, _),
        pdf.section(
            _("Which role describes you best?"),
            pdf.chart(charts.role_choice_chart(content.role_choices, instrument, locale, _, "png")),
            level="h2",
        ),
    ]


def _gaps(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale = content.gap_report, content.locale
    items = tables.item_table(content)
    intro = _(
        "Items on which your clients' mean differs from your own score by at least "
        "%(threshold)s point: less favourable (blind spots) or more favourable "
        "(hidden strengths)."
    ) % {"threshold": format_number(report.gap_threshold, locale)}
    story: list[Flowable] = [pdf.para(_("Blind spots and hidden strengths"), "h1"), pdf.para(intro)]
    for title, ids in (
        (_("Blind spots"), report.blind_spots),
        (_("Hidden strengths"), report.hidden_strengths),
    ):
        if ids:
            texts = [_statement(items.loc[i]) for i in ids]
            listing = _table_of(_("Statement"), items.loc[ids], texts, content, _)
        else:
            listing = pdf.para(_("None."), "note")
        story.append(pdf.section(title, listing, level="h2"))
    # The heading and intro stay with the first list.
    return [KeepTogether(story[:3]), *story[3:]]


def _statement(row: pd.Series) -> str:
    return row["text"] + (" *" if row["reverse"] else "")


def _items(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale, instrument = content.gap_report, content.locale, content.instrument
    items = tables.item_table(content)
    story = [pdf.para(_("All items"), "h1")]
    if not report.suppressed:
        chart = pdf.chart(charts.item_gap_chart(report, instrument, locale, _, "png"))
        story = [pdf.section(_("All items"), chart)]
    for dimension in [*DIMENSIONS, None]:
        ids = [
            i.id for i in instrument.scale_items if i.dimension == dimension and i.id in items.index
        ]
        if not ids:
            continue
        title = items.loc[ids[0], "dimension"] if dimension else _("Other items")
        story.append(pdf.para(title, "h2"))
        texts = [_statement(items.loc[i]) for i in ids]
        story.append(_table_of(_("Statement"), items.loc[ids], texts, content, _))
    if items["reverse"].any():
        story.append(pdf.para(_("* Reverse-scored: disagreeing counts as a high score."), "note"))
    return story


def _comments(content: ReportContent, _: Translate) -> list[Flowable]:
    story = [
        pdf.para(_("Comments from clients"), "h1"),
        pdf.para(_("Unattributed and in random order."), "note"),
    ]
    questions = [i for i in content.instrument.text_items if content.comments.get(i.id)]
    for item in questions:
        story.append(pdf.para(item.text("client", content.locale), "h2"))
        story += [pdf.bullet(text) for text in content.comments[item.id]]
    if not questions:
        story.append(pdf.para(_("No comments."), "note"))
    return story


def _how_to_read(content: ReportContent, _: Translate) -> list[Flowable]:
    report = content.gap_report
    story = [pdf.para(_("How to read this report"), "h1")]
    for section in explanation(
        content.instrument,
        content.locale,
        _,
        min_clients=report.min_clients,
        gap_threshold=report.gap_threshold,
    ):
        story.append(pdf.para(section.heading, "h2"))
        story += [pdf.para(paragraph) for paragraph in section.paragraphs]
    return story
