"""The aggregated tables of a gap report, labelled in the report's language.

CSV, XLSX and PDF all start from these frames, so a download shows exactly what the report
shows. They hold aggregates only (never a client's own answers); numbers stay unformatted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from pib360.documents.formatting import capital, format_date, format_percent

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent

Translate = Callable[[str], str]
# No lowest or highest client score: each is one client's own (docs/architecture.md).
STATS = ("self", "clients", "gap", "clients_sd", "clients_n", "clients_ci_low",
         "clients_ci_high")


def stat_titles(translate: Translate) -> dict[str, str]:
    """Column titles of the statistics of GapReport tables."""
    _ = translate
    return {
        "self": _("You"),
        "clients": _("Clients (mean)"),
        "gap": _("Gap"),
        "clients_sd": _("Clients (standard deviation)"),
        "clients_n": _("Clients (number)"),
        "clients_ci_low": _("Clients, 90% margin from"),
        "clients_ci_high": _("Clients, 90% margin to"),
    }


def direction_label(higher_is_better: bool, translate: Translate) -> str:
    """Which way is favourable for a statement, in words."""
    _ = translate
    return _("higher is better") if higher_is_better else _("lower is better")


def dimension_table(content: ReportContent) -> pd.DataFrame:
    """Per trust dimension: its name and the statistics."""
    instrument, locale = content.instrument, content.locale
    table = content.gap_report.dimensions
    names = [capital(instrument.dimension_label(d, locale)) for d in table.index]
    return table.loc[:, list(STATS)].assign(name=names)[["name", *STATS]]


def role_table(content: ReportContent) -> pd.DataFrame:
    """Per advisor role: its name and the statistics."""
    instrument, locale = content.instrument, content.locale
    table = content.gap_report.roles
    names = [capital(instrument.role_label(r, locale)) for r in table.index]
    return table.loc[:, list(STATS)].assign(name=names)[["name", *STATS]]


def item_table(content: ReportContent, translate: Translate) -> pd.DataFrame:
    """Per scale item: its text as put to clients, dimension, role, which way is favourable,
    the statistics as agreement with the statement as worded, and how many clients gave
    each answer (empty where the item is not published)."""
    instrument, locale = content.instrument, content.locale
    worded = content.worded
    items = [instrument.item(item_id) for item_id in worded.index]
    counts = content.gap_report.distributions.rename(columns=lambda v: f"answers_{v}")
    return worded.loc[:, list(STATS)].assign(
        text=[item.text("client", locale) for item in items],
        dimension=[
            capital(instrument.dimension_label(i.dimension, locale)) if i.dimension else ""
            for i in items
        ],
        role=[capital(instrument.role_label(i.role, locale)) if i.role else "" for i in items],
        direction=[direction_label(better, translate) for better in worded["higher_is_better"]],
    ).join(counts)[["text", "dimension", "role", "direction", *STATS, *counts.columns]]


def trust_quotient_table(content: ReportContent, translate: Translate) -> pd.DataFrame:
    """The trust quotient, self and clients, as a one-row table."""
    _ = translate
    quotient = content.gap_report.trust_quotient
    return pd.DataFrame(
        {
            "name": [_("Trust quotient")],
            "self": [quotient["self"]],
            "clients": [quotient["clients"]],
        },
        index=pd.Index(["trust_quotient"], name="id"),
    )


def role_choice_table(content: ReportContent) -> pd.DataFrame:
    """Per role: whether the advisor chose it, and the share of choosing clients."""
    choices = content.role_choices
    names = [capital(content.instrument.role_label(r, content.locale)) for r in choices.index]
    return pd.DataFrame(
        {
            "name": names,
            "self_choice": choices["self"].to_numpy(dtype=bool),
            "clients_share": choices["clients"].to_numpy(dtype=float),
        },
        index=choices.index,
    )


def all_tables(content: ReportContent, translate: Translate) -> dict[str, pd.DataFrame]:
    """Every aggregated table of the report, keyed by its section id, ids as index 'id'."""
    tables = {
        "dimension": dimension_table(content),
        "role": role_table(content),
        "item": item_table(content, translate),
        "trust_quotient": trust_quotient_table(content, translate),
        "role_choice": role_choice_table(content),
    }
    return {key: table.rename_axis("id") for key, table in tables.items()}


def section_titles(translate: Translate) -> dict[str, str]:
    """Titles of the sections of all_tables."""
    _ = translate
    return {
        "dimension": _("Trust dimensions"),
        "role": _("Roles"),
        "item": _("Items"),
        "trust_quotient": _("Trust quotient"),
        "role_choice": _("Role choice"),
    }


def column_titles(content: ReportContent, translate: Translate) -> dict[str, str]:
    """Titles of every column of all_tables (and of the CSV's id and section columns)."""
    _ = translate
    answers = {f"answers_{value}": _("Clients answering %(value)s") % {"value": value}
               for value in content.instrument.scale_values}
    return {
        "section": _("Section"),
        "id": _("Id"),
        "name": _("Name"),
        "text": _("Statement"),
        "dimension": _("Trust dimension"),
        "role": _("Role"),
        "direction": _("Which way is favourable"),
        **stat_titles(translate),
        **answers,
        "answers_cannot_judge": _("Clients answering: cannot judge"),
        "self_choice": _("Your own choice"),
        "clients_share": _("Share of clients choosing it"),
    }


def facts(content: ReportContent, translate: Translate) -> list[tuple[str, str]]:
    """(label, value) pairs saying what the report is about, for headers and the about sheet."""
    _ = translate
    locale = content.locale
    return [
        (_("Advisor"), content.advisor_name),
        (_("Feedback round"), content.round_title),
        (_("Closed on"), format_date(content.closed_on, locale)),
        (_("Instrument"), f"{content.instrument.id} {content.instrument.version}"),
        (_("Clients invited"), str(content.invited)),
        (_("Clients who responded"), str(content.responded)),
        (_("Response rate"), format_percent(content.response_rate, locale)),
        (_("Minimum number of clients per figure"), str(content.gap_report.min_clients)),
    ]
