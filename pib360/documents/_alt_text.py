"""Plain-language descriptions of the charts, for the alt text of their images.

Each says what the chart shows and then its figures, so a reader who cannot see the chart
learns the same as one who can.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pib360.documents.formatting import capital, format_gap, format_number, format_percent
from pib360.domain.aggregation import CohortReport, GapReport
from pib360.domain.instrument import DIMENSIONS, Instrument

Translate = Callable[[str], str]


def _profile_row(name: str, row: pd.Series, locale: str, translate: Translate) -> str:
    _ = translate
    figures = {"name": name, "self": format_number(row["self"], locale)}
    if pd.isna(row["clients"]):
        return _("%(name)s: you %(self)s, no client figure.") % figures
    figures |= {
        "clients": format_number(row["clients"], locale),
        "sd": format_number(row["clients_sd"], locale),
        "n": int(row["clients_n"]),
    }
    return (
        _(
            "%(name)s: you %(self)s, clients %(clients)s "
            "(standard deviation %(sd)s, %(n)d clients)."
        )
        % figures
    )


def _profile(
    intro: str, table: pd.DataFrame, names: list[str], report: GapReport, locale: str, _
) -> str:
    parts = [intro]
    parts += [
        _profile_row(n, row, locale, _)
        for n, (_key, row) in zip(names, table.iterrows(), strict=True)
    ]
    if report.suppressed:
        parts.append(
            _("Only your own scores are shown: fewer than %(min)d clients answered.")
            % {"min": report.min_clients}
        )
    return " ".join(parts)


def dimension_alt_text(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the dimension chart shows, in words and figures."""
    _ = translate
    intro = _(
        "Dot chart of the four trust dimensions on a scale from %(low)d to %(high)d: "
        "your own score against the clients' mean and their spread. "
        "For self-orientation lower is better."
    ) % {"low": instrument.scale_min, "high": instrument.scale_max}
    names = [capital(instrument.dimension_label(d, locale)) for d in report.dimensions.index]
    return _profile(intro, report.dimensions, names, report, locale, _)


def role_alt_text(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the role chart shows, in words and figures."""
    _ = translate
    intro = _(
        "Dot chart of the four advisor roles on a scale from %(low)d to %(high)d: "
        "your own score against the clients' mean and their spread."
    ) % {"low": instrument.scale_min, "high": instrument.scale_max}
    names = [capital(instrument.role_label(r, locale)) for r in report.roles.index]
    return _profile(intro, report.roles, names, report, locale, _)


def item_gap_alt_text(
    report: GapReport, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the item gap chart shows: its purpose, then the blind spots and hidden strengths."""
    _ = translate
    parts = [
        _(
            "Bar chart of %(n)d items: for each, the clients' mean minus your own score. "
            "A bar to the right means clients score the item higher than you do."
        )
        % {"n": len(report.items)}
    ]
    if report.suppressed:
        parts.append(
            _("No client figures: fewer than %(min)d clients answered.")
            % {"min": report.min_clients}
        )
        return " ".join(parts)
    none = _("none")
    for title, ids in (
        (_("Blind spots"), report.blind_spots),
        (_("Hidden strengths"), report.hidden_strengths),
    ):
        listed = "; ".join(
            f"{instrument.item(i).text('client', locale).rstrip('.')} "
            f"({format_gap(report.items.loc[i, 'gap'], locale)})"
            for i in ids
        )
        parts.append(f"{title}: {listed if ids else none}.")
    return " ".join(parts)


def role_choice_alt_text(
    role_choices: pd.DataFrame, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the role choice chart shows: the clients' shares and the advisor's own choice."""
    _ = translate
    parts = [_("Bar chart of the role that clients chose as describing you best.")]
    if role_choices["clients"].notna().any():
        shares = ", ".join(
            f"{capital(instrument.role_label(role, locale))} {format_percent(share, locale)}"
            for role, share in role_choices["clients"].items()
        )
        parts.append(shares + ".")
    else:
        parts.append(_("Too few clients chose a role to show their choices."))
    chosen = [
        capital(instrument.role_label(r, locale)) for r in role_choices.index[role_choices["self"]]
    ]
    if chosen:
        parts.append(_("You chose %(role)s.") % {"role": chosen[0]})
    return " ".join(parts)


def trend_alt_text(
    frame: pd.DataFrame, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the trend chart shows: each series from the first round to the last."""
    _ = translate
    if frame.empty:
        return _("No closed rounds yet.")
    parts = [
        _(
            "Line charts of the trust quotient and the four trust dimensions over %(n)d rounds, "
            "from %(first)s to %(last)s: the advisor's self-assessment and the clients' mean."
        )
        % {"n": len(frame), "first": frame.index[0], "last": frame.index[-1]}
    ]
    names = {"tq": _("Trust quotient")}
    names |= {d: capital(instrument.dimension_label(d, locale)) for d in DIMENSIONS}
    for series, name in names.items():
        own, clients = frame[f"{series}_self"], frame[f"{series}_clients"]
        parts.append(
            _("%(name)s: self-assessment %(self)s, clients %(clients)s.")
            % {"name": name, "self": _series(own, locale), "clients": _series(clients, locale)}
        )
    return " ".join(parts)


def _series(values: pd.Series, locale: str) -> str:
    return " → ".join(format_number(value, locale) for value in values)


def cohort_alt_text(
    report: CohortReport, instrument: Instrument, locale: str, translate: Translate
) -> str:
    """What the cohort chart shows: per dimension, the number of advisors and the mean gap."""
    _ = translate
    parts = [
        _(
            "For each trust dimension, the gap between the clients' mean and the advisor's own "
            "score, one dot per advisor. For self-orientation lower is better."
        )
    ]
    for dimension, row in report.summary.iterrows():
        figures = {
            "name": capital(instrument.dimension_label(dimension, locale)),
            "n": int(row["advisors_n"]),
            "gap": format_gap(row["gap"], locale),
        }
        parts.append(_("%(name)s: mean gap %(gap)s (advisors: %(n)d).") % figures)
    return " ".join(parts)
