"""The report PDF's section on the norm: the same words and figures as the page's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from pib360.documents import _pdf as pdf
from pib360.documents import charts
from pib360.documents.formatting import capital, format_date, format_number

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent
    from pib360.domain.norm_base import Placement

Translate = Callable[[str], str]


def norm_section(content: ReportContent, _: Translate) -> list[Flowable]:
    """Where the clients' figures stand among the installation's advisors, or how many
    more advisors the norm needs; nothing when the report has no client figures."""
    base, placements = content.norm_base, content.norm_placements
    if base is None or not placements:
        return []
    locale, instrument = content.locale, content.instrument
    heading = _("Compared with other advisors")
    names = {"id": base.instrument_id, "version": base.instrument_version}
    shown = [p for p in placements if p.norm is not None]
    if not shown:
        text = (_("There is no norm yet for questionnaire %(id)s %(version)s. Advisors with a "
                  "closed round still needed: %(num)d of %(min)d.")
                % {**names, "num": max(base.shortfall, 1), "min": base.min_advisors})
        return [pdf.section(heading, pdf.para(text))]
    intro = (_("The norm is made of the clients' figures from the latest closed round of each "
               "advisor in this installation who used questionnaire %(id)s %(version)s: %(n)d "
               "advisors, computed on %(date)s.")
             % {**names, "n": base.advisors,
                "date": format_date(base.computed_at.date(), locale)}
             + " " + _("It compares with the advisors who use this installation, not with "
                       "advisors in general."))
    rows = [[_("Measure"), _("Your clients"), _("Median"), _("Percentile")]]
    for placement in shown:
        digits = 2 if placement.measure == "trust_quotient" else 1
        name = (_("Trust quotient") if placement.measure == "trust_quotient"
                else capital(instrument.dimension_label(placement.measure, locale)))
        if placement.lower_is_better:
            name += " " + _("(lower is better)")
        rows.append([name, format_number(placement.value, locale, digits),
                     format_number(placement.norm.at(50), locale, digits),
                     _percentile(placement, _)])
    return [
        pdf.section(heading, pdf.para(intro),
                    pdf.chart(charts.norm_chart(placements, instrument, locale, _, "png"))),
        pdf.table(rows, [7.2 * cm, 3.0 * cm, 2.6 * cm, 3.4 * cm], numeric_from=1),
        pdf.para(_("For self-orientation lower is better: a low percentile is favourable."),
                 "note"),
    ]


def _percentile(placement: Placement, _: Translate) -> str:
    at = placement.position
    if at is None:
        return "–"
    if at.beyond == "below":
        return _("below 10")
    if at.beyond == "above":
        return _("above 90")
    return str(at.percentile)
