"""Installation-wide norms: recomputed in the background job, read by every report.

`recompute_norms()` is the one entry point of the background job (`flask pib360 deliver`);
it does nothing unless a round closed since the norms were last computed (or the
configured threshold changed). No request ever computes a norm: reports read the stored
quantiles (`norm_store.norm_base`) and place the advisor's figures on them
(`domain.norm_base.placements`).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from pib360.database import use_case
from pib360.extensions import db
from pib360.models import FeedbackRound, NormFigure, RoundStatus
from pib360.models.types import utcnow
from pib360.services import instruments, reports
from pib360.services.norm_store import min_advisors


def stale() -> bool:
    """Whether a round closed after the stored norms were computed, or the threshold
    they were computed with is no longer the configured one."""
    computed = db.session.execute(db.select(func.min(NormFigure.computed_at))).scalar()
    last_closed = db.session.execute(
        db.select(func.max(FeedbackRound.closed_at))
        .where(FeedbackRound.status == RoundStatus.CLOSED)).scalar()
    if last_closed is None:
        return False
    if computed is None or last_closed >= computed:
        return True
    thresholds = db.session.execute(db.select(NormFigure.min_advisors).distinct()).scalars()
    return set(thresholds) != {min_advisors()}


def recompute_norms(force: bool = False) -> int | None:
    """Recompute and store every instrument version's norm if a round closed since the
    last time (or `force`); the number of versions computed, or None when up to date."""
    if not force and not stale():
        return None
    try:
        return _recompute()
    except IntegrityError:
        return None  # another run (cron on a second machine) stored the same norms first


@use_case
def _recompute() -> int:
    from pib360.domain import norms
    from pib360.domain.norm_base import MEASURES

    threshold, now = min_advisors(), utcnow()
    by_version: dict[tuple[str, str], list[FeedbackRound]] = defaultdict(list)
    for feedback_round in _latest_closed_rounds():
        key = (feedback_round.instrument_id, feedback_round.instrument_version)
        by_version[key].append(feedback_round)
    db.session.execute(db.delete(NormFigure))
    for (instrument_id, version), rounds in by_version.items():
        figures = _advisor_figures(instruments.get(instrument_id, version), rounds)
        for measure in MEASURES:
            values = figures[measure].to_numpy()
            stored = norms.quantiles(values, threshold)
            db.session.add(NormFigure(
                instrument_id=instrument_id, instrument_version=version, measure=measure,
                advisors=int((values == values).sum()), min_advisors=threshold,
                quantiles=[round(q, 6) for q in stored] if stored else None, computed_at=now))
    return len(by_version)


def _latest_closed_rounds() -> list[FeedbackRound]:
    """Each advisor's most recently closed round, whatever its instrument."""
    rows = db.session.execute(
        db.select(FeedbackRound).where(FeedbackRound.status == RoundStatus.CLOSED)
        .order_by(FeedbackRound.closed_at.desc(), FeedbackRound.id.desc())).scalars()
    latest: dict[int, FeedbackRound] = {}
    for feedback_round in rows:
        latest.setdefault(feedback_round.advisor_id, feedback_round)
    return list(latest.values())


def _advisor_figures(instrument, rounds: list[FeedbackRound]):
    """Per advisor, their client figures by the report's rules, each round with its own
    minimum of clients (rounds with the same minimum are aggregated at once)."""
    import pandas as pd

    from pib360.domain import aggregation, norms

    clients = reports.client_answers_by_round([r.id for r in rounds])
    by_minimum: dict[int, list] = defaultdict(list)
    for feedback_round in rounds:
        scale, _choices = reports.answers_frames(
            instrument, feedback_round.self_answers or {}, clients[feedback_round.id])
        by_minimum[feedback_round.min_clients].append(scale.assign(advisor=feedback_round.id))
    parts = [
        norms.advisor_figures(aggregation.cohort(pd.concat(frames, ignore_index=True),
                                                 instrument, min_clients=minimum))
        for minimum, frames in by_minimum.items()
    ]
    return pd.concat(parts)
