"""Closed rounds' reports, rendered by the background job so that no request has to.

For every closed round, in every language: the report page's body as the advisor reads
it ("you") and as a coach reads it (the advisor's name), the PDF, the CSV and the XLSX,
and the figures a coach's dashboard shows of it.
A request only reads what is stored (`services.reports.rendered`).
"""

from __future__ import annotations

import json
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import and_, func, or_

from pib360.documents.formatting import capital
from pib360.domain.instrument import DIMENSIONS
from pib360.extensions import db
from pib360.models import FeedbackRound, ReportFile, RoundStatus
from pib360.services import reports

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent
    from pib360.domain.aggregation import GapReport

# The page body per reader: "own" for the advisor, "coach" for a coach they share with.
PAGES = {True: "page-own.html", False: "page-coach.html"}
# The figures a coach's dashboard shows of the round (domain.highlights.at_a_glance).
AT_A_GLANCE = "at-a-glance.json"


def page_body(feedback_round: FeedbackRound, locale: str, own: bool) -> str:
    """The report page's body for the advisor (`own`) or a coach, as stored by the job
    (NotReady until then; see `reports.rendered`)."""
    def render() -> bytes:
        with _site():
            return _render_page(feedback_round, locale, own,
                                reports.content(feedback_round, locale)).encode()

    return reports.rendered(feedback_round, PAGES[own], locale, render).decode()


def at_a_glance(feedback_round: FeedbackRound, locale: str) -> dict:
    """The round's trust quotient and largest gap as the job stored them (NotReady
    until then; see `reports.rendered`)."""
    def render() -> bytes:
        return _at_a_glance(reports.gap_report(feedback_round)[0])

    return json.loads(reports.rendered(feedback_round, AT_A_GLANCE, locale, render))


def _at_a_glance(gap_report: GapReport) -> bytes:
    from pib360.domain.highlights import at_a_glance

    return json.dumps(at_a_glance(gap_report)).encode()


def _render_page(feedback_round: FeedbackRound, locale: str, own: bool,
                 content: ReportContent) -> str:
    instrument = content.instrument
    return render_template(
        "reports/_body.html", round=feedback_round, content=content,
        report=content.gap_report, instrument=instrument, locale=locale,
        explanation=reports.explanation(content), own=own, dimensions=DIMENSIONS,
        dimension_name=lambda d: capital(instrument.dimension_label(d, locale)),
        role_name=lambda r: capital(instrument.role_label(r, locale)),
        higher_is_better=lambda key: key != "self_orientation",
        progress=content.progress, reflection=content.reflection,
        norm_figures=_norm_figures(content),
        **reports.reading_aids(content),
    )


def _norm_figures(content: ReportContent) -> dict[str, float]:
    """The client figures the norm section places, kept in the stored body (the norm itself
    is read anew on every view: it is recomputed as rounds close)."""
    from pib360.domain.norm_base import report_figures

    return {} if content.gap_report.suppressed else report_figures(content.gap_report)


@dataclass(frozen=True)
class PageBody:
    """A stored report body, cut where the page fills in what changes after the close."""

    before: Markup
    middle: Markup
    after: Markup
    norm_figures: dict[str, float]


_NORM = re.compile(r"<!--pib360:norm (.*?)-->", re.S)
_PLAN = "<!--pib360:plan-->"


def split_body(body: str) -> PageBody:
    """Cut a stored body at its norm and plan markers (see reports/_body.html)."""
    found = _NORM.search(body)
    figures = json.loads(found.group(1)) if found else {}
    head, tail = (body[:found.start()], body[found.end():]) if found else ("", body)
    middle, _marker, after = tail.partition(_PLAN)
    return PageBody(Markup(head), Markup(middle), Markup(after), figures)


def _site():
    """A request context for rendering pages outside a request (the job): url_for then
    builds this site's paths."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PIB360_BASE_URL"])


def _expected() -> list[tuple[str, str]]:
    """(name, language) of every file a closed round should have."""
    names = [*PAGES.values(), *(f"report.{kind}" for kind in reports.DOCUMENTS), AT_A_GLANCE]
    return [(name, locale) for locale in current_app.config["LANGUAGES"] for name in names]


def render_round(feedback_round: FeedbackRound) -> int:
    """Render and store every missing file of a closed round; returns how many."""
    made = 0
    for locale in current_app.config["LANGUAGES"]:
        missing = [name for name, language in _expected() if language == locale
                   and reports.stored_file(feedback_round, name, locale) is None]
        if not missing:
            continue
        with _site(), force_locale(locale):
            content = reports.content(feedback_round, locale)
            for name in missing:
                reports.store_file(feedback_round, name, locale,
                                   _render(feedback_round, name, locale, content))
                made += 1
    return made


def _render(feedback_round: FeedbackRound, name: str, locale: str,
            content: ReportContent) -> bytes:
    for own, page in PAGES.items():
        if name == page:
            return _render_page(feedback_round, locale, own, content).encode()
    if name == AT_A_GLANCE:
        return _at_a_glance(content.gap_report)
    kind = name.removeprefix("report.")
    data, _mimetype = reports.document(feedback_round, kind, locale, render_missing=True,
                                       report=content)
    return data


def waiting_rounds(limit: int, skip: set[int] = frozenset()) -> list[FeedbackRound]:
    """Closed rounds that lack one of their files, the most recently closed first (a
    new version of pib360 renders the old ones again, after the new ones)."""
    expected = _expected()
    present = (
        db.select(func.count(ReportFile.id))
        .where(ReportFile.round_id == FeedbackRound.id,
               ReportFile.instrument_version == FeedbackRound.instrument_version,
               or_(*(and_(ReportFile.name == reports.versioned_name(name, locale),
                          ReportFile.locale == locale) for name, locale in expected)))
        .scalar_subquery()
    )
    return list(db.session.execute(
        db.select(FeedbackRound)
        .where(FeedbackRound.status == RoundStatus.CLOSED, present < len(expected),
               FeedbackRound.id.not_in(list(skip)))
        .order_by(FeedbackRound.closed_at.desc(), FeedbackRound.id.desc())
        .limit(limit)
    ).scalars())


def render_waiting_reports(until: float) -> tuple[int, bool]:
    """Render the files of closed rounds that lack them until the monotonic clock passes
    `until`. Returns (rounds rendered, whether rounds are still waiting).

    Each round is tried once per run: one that fails (logged) holds up none of the others.
    """
    tried: set[int] = set()
    rendered = 0
    while time.monotonic() < until:
        waiting = waiting_rounds(limit=1, skip=tried)
        if not waiting:
            return rendered, False
        feedback_round = waiting[0]
        tried.add(feedback_round.id)
        try:
            render_round(feedback_round)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("rendering the report of round %s failed",
                                         feedback_round.id)
            continue
        rendered += 1
    return rendered, bool(waiting_rounds(limit=1, skip=tried))
