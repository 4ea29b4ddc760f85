"""The group report of a cohort: every member's latest closed round, aggregated at once.

All figures come from `aggregation.cohort` (one vectorised call over one answers frame with
an `advisor` column); this module chooses the rounds and shapes the answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from flask_babel import force_locale, gettext
from flask_babel import gettext as _
from sqlalchemy import select

from pib360.clock import local_today
from pib360.documents.formatting import capital, format_gap, format_number
from pib360.domain.instrument import Instrument
from pib360.extensions import db
from pib360.models import Cohort, FeedbackRound, RoundStatus, User
from pib360.models.types import utcnow
from pib360.services import ServiceError, cohorts, instruments, reports

if TYPE_CHECKING:  # pandas, matplotlib and reportlab load only when a report is computed
    import pandas as pd

    from pib360.domain.aggregation import CohortReport

# The fewest advisors a figure in the unnamed group PDF may rest on.
MIN_ADVISORS = 3


@dataclass
class Member:
    """A member, the round of theirs the report uses, and why none if it uses none."""

    advisor: User
    feedback_round: FeedbackRound | None = None
    left_out: str | None = None  # "no_closed_round" or "other_instrument"


@dataclass
class CohortOverview:
    """What the group report shows: the members, and the aggregates when there are any."""

    cohort: Cohort
    members: list[Member] = field(default_factory=list)
    instrument: Instrument | None = None
    report: CohortReport | None = None

    @property
    def included(self) -> list[Member]:
        return [member for member in self.members if member.left_out is None]


def latest_closed_rounds(advisors: list[User]) -> dict[int, FeedbackRound]:
    """Each advisor's most recently closed round, by advisor id, in one query."""
    rows = db.session.execute(
        select(FeedbackRound)
        .where(FeedbackRound.advisor_id.in_([a.id for a in advisors]),
               FeedbackRound.status == RoundStatus.CLOSED)
        .order_by(FeedbackRound.closed_at.desc(), FeedbackRound.id.desc())
    ).scalars()
    latest: dict[int, FeedbackRound] = {}
    for feedback_round in rows:
        latest.setdefault(feedback_round.advisor_id, feedback_round)
    return latest


def overview(cohort: Cohort, figures: bool = True) -> CohortOverview:
    """The members' latest closed rounds with the most used instrument, aggregated unless
    `figures` is False."""
    result = CohortOverview(cohort)
    latest = latest_closed_rounds(advisors := cohorts.members(cohort))
    result.members = [Member(a, latest.get(a.id)) for a in advisors]
    chosen = _instrument_key(list(latest.values()))
    for member in result.members:
        if member.feedback_round is None:
            member.left_out = "no_closed_round"
        elif _key(member.feedback_round) != chosen:
            member.left_out = "other_instrument"
    if not result.included:
        return result
    result.instrument = instruments.get(*chosen)
    if not figures:
        return result
    from pib360.domain import aggregation

    result.report = aggregation.cohort(
        _answers(result.included, result.instrument), result.instrument,
        # The strictest minimum of the rounds, so no round's promise to its clients breaks.
        min_clients=max(m.feedback_round.min_clients for m in result.included),
        details=True,
    )
    return result


def _key(feedback_round: FeedbackRound) -> tuple[str, str]:
    return feedback_round.instrument_id, feedback_round.instrument_version


def _instrument_key(rounds: list[FeedbackRound]) -> tuple[str, str] | None:
    """The instrument most rounds used; on a tie, the one of the most recently closed."""
    if not rounds:
        return None
    # Counted newest first: max() keeps the first of equal counts.
    counts = Counter(_key(r) for r in sorted(rounds, key=lambda r: r.closed_at, reverse=True))
    return max(counts, key=counts.__getitem__)


def _answers(included: list[Member], instrument: Instrument) -> pd.DataFrame:
    """One scale-answers frame for all members, with an `advisor` column (their user id)."""
    import pandas as pd

    frames = []
    clients = reports.client_answers_by_round([m.feedback_round.id for m in included])
    for member in included:
        feedback_round = member.feedback_round
        scale, _choices = reports.answers_frames(
            instrument, feedback_round.self_answers or {}, clients[feedback_round.id]
        )
        frames.append(scale.assign(advisor=member.advisor.id))
    return pd.concat(frames, ignore_index=True)


def pdf(result: CohortOverview, locale: str) -> bytes:
    """The group report as a PDF without any advisor's name, for a programme evaluation.

    It leaves the coach's hands, so a figure that rests on fewer than MIN_ADVISORS
    advisors is left out: it would be one advisor's own, recognisable without a name.
    """
    if len(result.included) < MIN_ADVISORS:
        raise ServiceError(
            _("The group PDF needs at least %(n)d advisors with a closed round, so that no "
              "advisor can be recognised in it.", n=MIN_ADVISORS)
        )
    report = _without_small_groups(result.report)
    from pib360.documents import files

    content = files.CohortContent(
        title=result.cohort.name, created_on=local_today(utcnow()),
        locale=locale, instrument=result.instrument, cohort=report,
        role_summary=report.role_summary, item_summary=report.item_summary,
    )
    with force_locale(locale):
        return files.cohort_pdf(content, gettext)


def _without_small_groups(report: CohortReport) -> CohortReport:
    """The report with every figure resting on fewer than MIN_ADVISORS advisors hidden."""
    import numpy as np

    def hide(summary: pd.DataFrame | None) -> pd.DataFrame | None:
        if summary is None:
            return None
        hidden = summary.copy()
        hidden.loc[hidden["advisors_n"] < MIN_ADVISORS, ["self", "clients", "gap"]] = np.nan
        return hidden

    summary = hide(report.summary)
    hidden = summary.index[summary["gap"].isna()]
    advisors = report.advisors.copy()
    in_hidden = advisors.index.get_level_values("dimension").isin(hidden)
    advisors.loc[in_hidden, ["clients", "gap"]] = np.nan
    return replace(report, summary=summary, advisors=advisors,
                   role_summary=hide(report.role_summary), item_summary=hide(report.item_summary))


def group_norm(result: CohortOverview) -> tuple:
    """The stored norm of the group's instrument version, and the group's mean figures
    (trust quotient and dimensions, over the advisors who have them) placed on it."""
    from pib360.domain.norm_base import placements
    from pib360.domain.norms import advisor_figures
    from pib360.services.norm_store import norm_base

    base = norm_base(result.instrument.id, result.instrument.version)
    means = advisor_figures(result.report).mean(skipna=True)
    return base, placements(base, {measure: float(value) for measure, value in means.items()})


TOP_ITEMS = 10


@dataclass
class Row:
    """One line of a summary table, formatted for the page."""

    name: str
    self: str
    clients: str
    gap: str
    advisors: int
    dimension: str = ""  # a statement's dimension
    higher_is_better: bool = True


@dataclass
class Spread:
    """One dimension's gaps, one per advisor shown, and their mean (for the dot chart)."""

    name: str
    gaps: list[float]
    mean: float


@dataclass
class AdvisorRow:
    """One member's line in the distribution table (shown to the coach only)."""

    member: Member
    clients: int
    gaps: list[str]


@dataclass
class Tables:
    dimensions: list[Row]
    roles: list[Row]
    items: list[Row]  # the items with the largest mean gap, largest first, as worded
    advisors: list[AdvisorRow]
    spreads: list[Spread]


def tables(result: CohortOverview, locale: str) -> Tables:
    """The group report's tables, with numbers formatted as in every report."""
    report, instrument = result.report, result.instrument

    def rows(summary: pd.DataFrame, name) -> list[Row]:
        return [Row(capital(name(key)), format_number(row["self"], locale),
                    format_number(row["clients"], locale),
                    format_gap(row["gap"], locale), int(row["advisors_n"]))
                for key, row in summary.iterrows()]

    from pib360.domain.highlights import worded_summary

    items = report.item_summary.dropna(subset=["gap"])
    size = items["gap"].abs().rename("size")
    top = worded_summary(
        items.loc[size.sort_values(ascending=False, kind="stable").index[:TOP_ITEMS]],
        instrument)
    gaps = report.advisors["gap"].unstack("dimension")[list(report.summary.index)]
    dimension_name = lambda d: capital(instrument.dimension_label(d, locale))  # noqa: E731
    statements = [replace(row, dimension=dimension_name(instrument.item(item_id).dimension)
                          if instrument.item(item_id).dimension else "",
                          higher_is_better=bool(top.loc[item_id, "higher_is_better"]))
                  for row, item_id in zip(
                      rows(top, lambda i: instrument.item(i).text("client", locale)),
                      top.index, strict=True)]
    return Tables(
        dimensions=rows(report.summary, lambda d: instrument.dimension_label(d, locale)),
        roles=rows(report.role_summary, lambda r: instrument.role_label(r, locale)),
        items=statements,
        advisors=[
            AdvisorRow(member, int(report.n_clients[member.advisor.id]),
                       [format_gap(g, locale) for g in gaps.loc[member.advisor.id]])
            for member in result.included
        ],
        spreads=[Spread(dimension_name(d), [g for g in gaps[d] if g == g],
                        float(report.summary.loc[d, "gap"])) for d in gaps.columns],
    )

