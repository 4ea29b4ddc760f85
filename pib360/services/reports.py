"""Gap reports: load a closed round's answers, aggregate, render charts and documents.

All figures come from `pib360.domain.aggregation`; this module only loads and shapes the
answers, and keeps rendered files of closed rounds so each is rendered once.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from pib360.clock import local_today
from pib360.database import transaction
from pib360.domain import versions
from pib360.domain.instrument import Instrument
from pib360.extensions import db
from pib360.models import DevelopmentPlan, FeedbackRound, ReportFile, Response, RoundStatus, User
from pib360.paths import ROOT
from pib360.services import instruments, norm_store
from pib360.services.sharing import can_read_reports

if TYPE_CHECKING:  # pandas, matplotlib and reportlab load only when a report is computed
    import pandas as pd

    from pib360.documents.content import FocusProgress, ReportContent
    from pib360.domain.aggregation import GapReport

# Raise when charts or documents change how they look, so stored files are rendered anew.
# (A change to the figures themselves raises versions.RULES_VERSION; both are in the key.)
RENDERING = "3"  # 2: the second edition (summary first, statements as worded, margins);
# 3: the previous plan's progress and the reflection prompts

# The report page's body as stored is these templates, rendered (see _rendering).
PAGE_TEMPLATES = (ROOT / "templates" / "reports" / "_body.html",
                  ROOT / "templates" / "_charts.html")

DOCUMENTS = {
    "pdf": ("application/pdf", "report_pdf"),
    "csv": ("text/csv; charset=utf-8", "report_csv"),  # a content type, charset included
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "report_xlsx"),
}


def readable_round(viewer: User, round_id: int) -> FeedbackRound | None:
    """A closed round whose report `viewer` may read, or None (a round that is still
    open has no report: client figures only appear once it has closed)."""
    feedback_round = db.session.get(
        FeedbackRound, round_id, options=[joinedload(FeedbackRound.advisor)]
    )
    if (
        feedback_round is None
        or not feedback_round.is_closed
        or not can_read_reports(viewer, feedback_round.advisor)
    ):
        return None
    return feedback_round


def client_answers(feedback_round: FeedbackRound) -> list[dict]:
    """The answers of every client of the round, in the order of their random keys."""
    return list(
        db.session.execute(
            db.select(Response.answers)
            .where(Response.round_id == feedback_round.id)
            .order_by(Response.id)
        ).scalars()
    )


def client_answers_by_round(round_ids: list[int]) -> dict[int, list[dict]]:
    """`client_answers` of several rounds, in one query."""
    by_round: dict[int, list[dict]] = {round_id: [] for round_id in round_ids}
    rows = db.session.execute(
        db.select(Response.round_id, Response.answers)
        .where(Response.round_id.in_(round_ids))
        .order_by(Response.round_id, Response.id)
    )
    for round_id, answers in rows:
        by_round[round_id].append(answers)
    return by_round


def answers_frames(
    instrument: Instrument, self_answers: dict, clients: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scale answers and the role choices as `aggregation` takes them."""
    import pandas as pd

    scale_ids = [item.id for item in instrument.scale_items]
    people = [("self", "self", self_answers)] + [
        (number, "client", answers) for number, answers in enumerate(clients)
    ]
    scale = pd.DataFrame(
        [(who, perspective, item_id, answers.get(item_id))
         for who, perspective, answers in people for item_id in scale_ids],
        columns=["respondent", "perspective", "item", "value"],
    )
    scale["value"] = pd.to_numeric(scale["value"], errors="coerce")
    choice = instrument.choice_item
    choices = pd.DataFrame(
        [(who, perspective, answers.get(choice.id) if choice else None)
         for who, perspective, answers in people],
        columns=["respondent", "perspective", "value"],
    )
    return scale, choices


def gap_report(
    feedback_round: FeedbackRound, clients: list[dict] | None = None
) -> tuple[GapReport, pd.DataFrame]:
    """The round's GapReport (and role choices), from `aggregation`."""
    from pib360.domain import aggregation

    instrument = instruments.for_round(feedback_round)
    if clients is None:
        clients = client_answers(feedback_round)
    scale, choices = answers_frames(instrument, feedback_round.self_answers or {}, clients)
    report = aggregation.compare(scale, instrument, min_clients=feedback_round.min_clients)
    chosen = aggregation.role_choices(choices, instrument, min_clients=feedback_round.min_clients)
    return report, chosen


def content(feedback_round: FeedbackRound, locale: str) -> ReportContent:
    """Everything the report shows, for the page and for the files: with the progress on
    the focus points of the plan made after the previous round, and reflection prompts."""
    from pib360.documents.content import ReportContent

    instrument = instruments.for_round(feedback_round)
    clients = client_answers(feedback_round)
    report, chosen = gap_report(feedback_round, clients)
    return ReportContent(
        advisor_name=feedback_round.advisor.name,
        round_title=feedback_round.title,
        closed_on=local_today(feedback_round.closed_at),
        locale=locale,
        instrument=instrument,
        gap_report=report,
        role_choices=chosen,
        invited=feedback_round.invited_count or 0,
        responded=len(clients),
        comments={} if report.suppressed else _comments(feedback_round, instrument, clients),
        own_answers={item.id: text for item in instrument.text_items
                     if (text := (feedback_round.self_answers or {}).get(item.id))},
        progress=focus_progress(feedback_round, report, locale),
        prompts=instruments.prompts_for(instrument),
        norm_base=norm_store.norm_base(instrument.id, instrument.version),
    )


def focus_progress(feedback_round: FeedbackRound, report: GapReport,
                   locale: str) -> FocusProgress | None:
    """The focus points of the plan made after the advisor's previous closed round, with
    the clients' score then (in that round) and now (`report`, this round's)."""
    from pib360.documents.content import FocusProgress
    from pib360.documents.formatting import focus_label
    from pib360.domain import focus

    previous, plan = db.session.execute(
        db.select(FeedbackRound, DevelopmentPlan)
        .outerjoin(DevelopmentPlan, DevelopmentPlan.round_id == FeedbackRound.id)
        .where(FeedbackRound.advisor_id == feedback_round.advisor_id,
               FeedbackRound.status == RoundStatus.CLOSED,
               FeedbackRound.closed_at < feedback_round.closed_at)
        .order_by(FeedbackRound.closed_at.desc(), FeedbackRound.id.desc()).limit(1)
    ).first() or (None, None)
    if plan is None or not plan.focus_points:
        return None
    before, _choices = gap_report(previous)
    instrument = instruments.for_round(previous)
    frame = focus.focus_progress([(p.kind.value, p.key) for p in plan.focus_points], before,
                                 report, instrument, instruments.for_round(feedback_round))
    rows = [{**row, "label": focus_label(instrument, row["kind"], row["key"], locale),
             "intention": point.intention}
            for point, row in zip(plan.focus_points, frame.to_dict("records"), strict=True)]
    return FocusProgress(previous.id, previous.title, rows, plan.actions_done,
                         plan.actions_count)


def reading_aids(report: ReportContent) -> dict:
    """What the report page needs besides the figures: words and positions."""
    from pib360.documents import texts

    scale = report.trust_quotient_scale
    cannot_judge = report.instrument.cannot_judge_label(report.locale)
    return {
        "tq_words": texts.trust_quotient_reading(report.gap_report.trust_quotient["clients"],
                                                 report.locale, gettext),
        "tq_position": lambda value: texts.trust_quotient_position(value, scale.lowest,
                                                                   scale.highest),
        "distribution_words": lambda counts: texts.distribution_words(counts, cannot_judge,
                                                                      gettext),
    }


def norm_aids(instrument: Instrument, locale: str) -> dict:
    """How the norm section names the measures and places values on their scales."""
    from pib360.documents.formatting import capital
    from pib360.documents.texts import norm_position

    def norm_x(measure: str, value: float) -> float:
        return norm_position(measure, value, instrument)

    def measure_name(measure: str) -> str:
        if measure == "trust_quotient":
            return gettext("Trust quotient")
        return capital(instrument.dimension_label(measure, locale))

    return {"norm_x": norm_x, "measure_name": measure_name}


def explanation(report: ReportContent) -> list:
    """How to read the report, in sections."""
    from pib360.documents import texts

    return texts.explanation(report.instrument, report.locale, gettext,
                             min_clients=report.gap_report.min_clients,
                             gap_threshold=report.gap_report.gap_threshold)


def _comments(feedback_round, instrument: Instrument, clients: list[dict]) -> dict:
    """Open answers per question, unattributed and in an order unrelated to submission."""
    # Seeded by round and secret: stable between page views, unrelated to who wrote what.
    shuffle = random.Random(f"{feedback_round.id}:{current_app.config['SECRET_KEY']}").shuffle
    comments = {}
    for item in instrument.text_items:
        texts = [answers[item.id] for answers in clients if answers.get(item.id)]
        shuffle(texts)
        comments[item.id] = texts
    return comments


class NotReady(Exception):
    """A closed round's file that the background job has not rendered yet."""


def stored_file(feedback_round: FeedbackRound, name: str, locale: str) -> bytes | None:
    """A rendered file of a closed round as stored, or None."""
    return db.session.execute(
        db.select(ReportFile.content).filter_by(**file_key(feedback_round, name, locale))
    ).scalar()


def file_key(feedback_round: FeedbackRound, name: str, locale: str) -> dict:
    """What a stored file is found by: the round, its name with the version of what it
    depends on, the language and the instrument version."""
    return dict(round_id=feedback_round.id, name=versioned_name(name, locale), locale=locale,
                instrument_version=feedback_round.instrument_version)


def versioned_name(name: str, locale: str) -> str:
    """A file's name as stored: with the version of its looks, rules and wording."""
    return f"{name}@{_rendering(locale, RENDERING, versions.RULES_VERSION)}"


def store_file(feedback_round: FeedbackRound, name: str, locale: str, data: bytes) -> None:
    """Keep a rendered file, in a transaction of its own. Best effort: the bytes are the
    same when another worker stored them first, or when we render them again."""
    try:
        with transaction():
            db.session.add(ReportFile(content=data, **file_key(feedback_round, name, locale)))
    except (IntegrityError, OperationalError):
        pass


def rendered(feedback_round: FeedbackRound, name: str, locale: str,
             render: Callable[[], bytes], render_missing: bool | None = None) -> bytes:
    """A file of a closed round, as the background job stored it.

    Rendering is the job's work (`services.report_rendering`): a request that finds the
    file missing raises NotReady, unless `render_missing` (by default the setting
    REPORTS_RENDER_ON_REQUEST, on in development and tests) says to render it here.
    """
    stored = stored_file(feedback_round, name, locale)
    if stored is not None:
        return stored
    if render_missing is None:
        render_missing = current_app.config["REPORTS_RENDER_ON_REQUEST"]
    if not render_missing:
        raise NotReady(name)
    with force_locale(locale):
        data = render()
    store_file(feedback_round, name, locale, data)
    return data


@cache
def _rendering(locale: str, rendering: str, rules: str) -> str:
    """What the stored files depend on besides the round and its instrument version: how
    they look, how the figures are computed, and the wording."""
    digest = hashlib.sha256(f"{rendering}:{rules}".encode())
    catalog = ROOT / "translations" / locale / "LC_MESSAGES"
    for source in (catalog / "messages.mo", *PAGE_TEMPLATES):
        if source.exists():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def document(feedback_round: FeedbackRound, kind: str, locale: str,
             render_missing: bool | None = None,
             report: ReportContent | None = None) -> tuple[bytes, str]:
    """The report as PDF, or its aggregated tables as CSV or XLSX, with the MIME type
    (NotReady while the background job has not rendered it: see `rendered`)."""
    mimetype, maker = DOCUMENTS[kind]

    def render() -> bytes:
        from pib360.documents import files

        return getattr(files, maker)(report or content(feedback_round, locale), gettext)

    return rendered(feedback_round, f"report.{kind}", locale, render, render_missing), mimetype


def filename(feedback_round: FeedbackRound, kind: str) -> str:
    """A download's file name a person recognises, in the page's language and ASCII only:
    spiegelrapport-anna-de-adviseur-najaar-2026.pdf."""
    words = [gettext("gap-report"), feedback_round.advisor.name, feedback_round.title]
    return "-".join(part for part in map(_slug, words) if part)[:120].rstrip("-") + f".{kind}"


def _slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Öztürk & Zoë" -> "ozturk-zoe")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
