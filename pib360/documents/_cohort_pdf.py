"""The group report PDF: a cohort's aggregates for a programme evaluation, with no names.

Per dimension (and, when given, per role and item) the mean self score, clients' mean and
gap over the advisors whose client figures could be shown, and how many advisors that is.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from pib360.documents import _pdf as pdf
from pib360.documents._cohort_chart import cohort_chart
from pib360.documents.formatting import capital, format_date, format_gap, format_number
from pib360.documents.texts import explanation
from pib360.domain.highlights import worded_summary

if TYPE_CHECKING:
    from pib360.documents.content import CohortContent

Translate = Callable[[str], str]


def build_cohort(content: CohortContent, translate: Translate) -> bytes:
    """The group report's PDF bytes."""
    _ = translate
    pdf.register_fonts()
    story = _opening(content, _) + _dimensions(content, _)
    if content.role_summary is not None:
        story += _roles(content, _)
    if content.item_summary is not None:
        story += _items(content, _)
    story.append(pdf.para(_("How to read this report"), "h1"))
    for section in explanation(
        content.instrument, content.locale, _, min_clients=content.cohort.min_clients
    ):
        story.append(pdf.para(section.heading, "h2"))
        story += [pdf.para(paragraph) for paragraph in section.paragraphs]
    created = _("Created on %(date)s") % {"date": format_date(content.created_on, content.locale)}
    instrument = f"{content.instrument.id} {content.instrument.version}"
    left = textwrap.shorten(content.title, 80, placeholder="…")
    instrument_label, title = _("Instrument"), _("Group report")
    header = (left, f"{created} · {instrument_label} {instrument}")
    return pdf.build(story, header, pdf.page_label(_), title=f"{title}: {left}")


def _opening(content: CohortContent, _: Translate) -> list[Flowable]:
    cohort = content.cohort
    return [
        pdf.para(_("Group report"), "title"),
        pdf.para(content.title, "subtitle"),
        pdf.para(
            _(
                "Advisors in this report: %(n)d. Each figure is a mean over the advisors whose "
                "client figures "
                "could be shown (at least %(min)d clients answered); the last column says how "
                "many advisors that is. No advisor is named."
            )
            % {"n": len(cohort.n_clients), "min": cohort.min_clients}
        ),
    ]


def _summary_table(first: str, summary: pd.DataFrame, names: list[str], locale: str, _) -> Flowable:
    head = [first, _("Self (mean)"), _("Clients (mean)"), _("Gap (mean)"), _("Advisors")]
    rows = [
        [
            name,
            format_number(row["self"], locale),
            format_number(row["clients"], locale),
            format_gap(row["gap"], locale),
            str(int(row["advisors_n"])),
        ]
        for name, (_key, row) in zip(names, summary.iterrows(), strict=True)
    ]
    return pdf.table([head, *rows], [5.5 * cm, 2.9 * cm, 3.2 * cm, 2.9 * cm, 2.4 * cm])


def _dimensions(content: CohortContent, _: Translate) -> list[Flowable]:
    instrument, locale = content.instrument, content.locale
    summary = content.cohort.summary
    names = [capital(instrument.dimension_label(d, locale)) for d in summary.index]
    names[-1] += " " + _("(lower is better)")
    return [
        pdf.para(_("Trust dimensions"), "h1"),
        _summary_table(_("Trust dimension"), summary, names, locale, _),
        pdf.para(_("Spread of the gaps"), "h2"),
        pdf.chart(cohort_chart(content.cohort, instrument, locale, _, "png")),
    ]


def _roles(content: CohortContent, _: Translate) -> list[Flowable]:
    instrument, locale = content.instrument, content.locale
    summary = content.role_summary
    names = [capital(instrument.role_label(role, locale)) for role in summary.index]
    return [pdf.para(_("Roles"), "h1"), _summary_table(_("Role"), summary, names, locale, _)]


def _items(content: CohortContent, _: Translate) -> list[Flowable]:
    instrument, locale = content.instrument, content.locale
    summary = content.item_summary
    # Largest difference first, in either direction; items without a figure are left out.
    order = np.argsort(-summary["gap"].abs().fillna(-1).to_numpy(), kind="stable")
    top = summary.iloc[order[: content.top_items]]
    top = worded_summary(top[top["gap"].notna()], instrument)
    head = [_("Statement"), _("Trust dimension"), _("Self (mean)"), _("Clients (mean)"),
            _("Gap (mean)"), _("Advisors")]
    rows = [head]
    for item_id, row in top.iterrows():
        item = instrument.item(item_id)
        better = ("▲ " + _("higher is better") if row["higher_is_better"]
                  else "▼ " + _("lower is better"))
        rows.append([f"{item.text('client', locale)}\n{better}",
                     capital(instrument.dimension_label(item.dimension, locale))
                     if item.dimension else "",
                     format_number(row["self"], locale), format_number(row["clients"], locale),
                     format_gap(row["gap"], locale), str(int(row["advisors_n"]))])
    return [
        pdf.para(_("Items with the largest mean gap"), "h1"),
        pdf.para(_("Agreement with each statement as it is worded."), "note"),
        pdf.table(rows, [6.0 * cm, 2.8 * cm, 2.0 * cm, 2.2 * cm, 2.2 * cm, 1.8 * cm],
                  numeric_from=2),
    ]
