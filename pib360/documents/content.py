"""What a report shows, gathered once: the web page, the PDF and the spreadsheets all read
a `ReportContent` (one advisor) or a `CohortContent` (a group), which check on creation
that their parts belong together."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import pandas as pd

from pib360.domain.aggregation import CohortReport, GapReport
from pib360.domain.focus import weakest
from pib360.domain.highlights import Highlights, as_worded, highlights
from pib360.domain.instrument import (
    LOCALES,
    Instrument,
    TrustQuotientScale,
    trust_quotient_scale,
)
from pib360.domain.norm_base import NormBase, Placement, placements, report_figures
from pib360.domain.prompts import Prompts, PromptSet

__all__ = ["CohortContent", "FocusProgress", "Reflection", "ReportContent"]


@dataclass(frozen=True)
class FocusProgress:
    """The focus points of the plan made after the previous round, measured by this one:
    per point its `label`, `intention` and the columns of `domain.focus.focus_progress`."""

    previous_round_id: int
    previous_title: str
    rows: Sequence[Mapping]
    actions_done: int
    actions_count: int


@dataclass(frozen=True)
class Reflection:
    """The reflection prompts of the clients' weakest dimension and role."""

    prompt_set: PromptSet
    dimension: str | None
    role: str | None
    dimension_prompts: Prompts | None
    role_prompts: Prompts | None


def _check_report_source(locale: str, instrument: Instrument, report) -> None:
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {', '.join(LOCALES)}, not {locale!r}")
    if (report.instrument_id, report.instrument_version) != (instrument.id, instrument.version):
        raise ValueError(
            f"report computed with {report.instrument_id} {report.instrument_version}, "
            f"not with {instrument.id} {instrument.version}"
        )


@dataclass(frozen=True, eq=False)
class ReportContent:
    """Everything one advisor's gap report shows; the PDF and the web page both read it."""

    advisor_name: str
    round_title: str
    closed_on: datetime.date
    locale: str
    instrument: Instrument
    gap_report: GapReport
    role_choices: pd.DataFrame  # from aggregation.role_choices
    invited: int
    responded: int
    # text item id -> the clients' comments, already shuffled by the service
    comments: Mapping[str, Sequence[str]] = field(default_factory=lambda: MappingProxyType({}))
    # text item id -> the advisor's own answer to that open question
    own_answers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    progress: FocusProgress | None = None  # the previous plan, measured by this round
    prompts: PromptSet | None = None  # reflection prompts written for this instrument
    # The stored norm of the instrument version, when the service looked it up.
    norm_base: NormBase | None = None

    def __post_init__(self) -> None:
        _check_report_source(self.locale, self.instrument, self.gap_report)
        if self.invited < 0 or self.responded < 0:
            raise ValueError("invited and responded cannot be negative")
        for item_id in [*self.comments, *self.own_answers]:
            item = self.instrument.item(item_id)
            if item is None or item.kind != "text":
                raise ValueError(f"comments: {item_id!r} is not an open question")

    @property
    def response_rate(self) -> float:
        """Responded / invited, between 0 and 1; NaN when nobody was invited."""
        return self.responded / self.invited if self.invited else float("nan")

    @cached_property
    def worded(self) -> pd.DataFrame:
        """The item table as agreement with each statement as worded (`as_worded`)."""
        return as_worded(self.gap_report, self.instrument)

    @cached_property
    def highlights(self) -> Highlights:
        """What to read first: strengths, development points, largest gaps."""
        return highlights(self.gap_report, self.instrument)

    @property
    def trust_quotient_scale(self) -> TrustQuotientScale:
        """Where the trust quotient can lie on this instrument's scale."""
        return trust_quotient_scale(self.instrument)

    @cached_property
    def reflection(self) -> Reflection | None:
        """The prompts of the weakest dimension and role; None without client figures or
        without prompts for this instrument."""
        if self.prompts is None or self.gap_report.suppressed:
            return None
        dimension, role = weakest(self.gap_report, self.instrument)
        return Reflection(
            self.prompts, dimension, role,
            self.prompts.for_dimension(dimension, self.locale) if dimension else None,
            self.prompts.for_role(role, self.locale) if role else None)

    @cached_property
    def norm_placements(self) -> list[Placement]:
        """The client figures on the norm (empty without a norm base or client figures)."""
        if self.norm_base is None or self.gap_report.suppressed:
            return []
        return placements(self.norm_base, report_figures(self.gap_report))


@dataclass(frozen=True, eq=False)
class CohortContent:
    """A group report without advisor names; role and item summaries are optional.

    `role_summary` and `item_summary`, when given, are indexed by role / item id with the
    columns of CohortReport.summary (self, clients, gap, advisors_n).
    """

    title: str
    created_on: datetime.date
    locale: str
    instrument: Instrument
    cohort: CohortReport
    role_summary: pd.DataFrame | None = None
    item_summary: pd.DataFrame | None = None
    top_items: int = 10  # how many items with the largest mean gap to list

    def __post_init__(self) -> None:
        _check_report_source(self.locale, self.instrument, self.cohort)
