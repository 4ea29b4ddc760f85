"""Report pages, for the advisor and the coaches they share with."""

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pib360.services import instruments, norm_store, plans, report_rendering, reports

bp = Blueprint("reports", __name__)

# How long a reader of a report that is being prepared waits before the page reloads.
PREPARING_RETRY_SECONDS = 10


def _readable_closed_round_or_404(round_id: int):
    # 404, not 403: whether a round exists is none of a stranger's business.
    feedback_round = reports.readable_round(current_user, round_id)
    if feedback_round is None or not feedback_round.is_closed:
        abort(404)
    return feedback_round


def _locale() -> str:
    return str(get_locale())


def _preparing(feedback_round, status: int):
    """The report is being prepared by the background job: say so, and reload by
    itself (a Refresh header: no JavaScript needed)."""
    response = Response(render_template("reports/preparing.html", round=feedback_round),
                        status=status)
    response.headers["Refresh"] = str(PREPARING_RETRY_SECONDS)
    response.headers["Retry-After"] = str(PREPARING_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:round_id>")
@login_required
def show(round_id: int):
    """The gap report of a closed round: for its advisor, or a coach they share with."""
    feedback_round = _readable_closed_round_or_404(round_id)
    own = feedback_round.advisor_id == current_user.id
    locale = _locale()
    try:
        body = report_rendering.split_body(
            report_rendering.page_body(feedback_round, locale, own))
    except reports.NotReady:
        # 202: the request is fine and its page is on its way.
        return _preparing(feedback_round, 202)
    instrument = instruments.for_round(feedback_round)
    context = plans.around(feedback_round)
    return render_template(
        "reports/show.html", round=feedback_round, body=body, own=own, locale=locale,
        name=feedback_round.advisor.name, plan=context.plan, plan_open=context.can_change,
        **_norm(feedback_round, instrument, body.norm_figures, own, locale),
    )


def _norm(feedback_round, instrument, figures: dict, own: bool, locale: str) -> dict:
    """The norm section's values: the stored norm as it stands now, and where this
    round's client figures (kept in the stored body) fall on it."""
    base = norm_store.norm_base(instrument.id, instrument.version) if figures else None
    if base is None:
        return {"norm_placements": []}
    from pib360.domain.norm_base import placements

    subject = (_("Your clients' figure") if own
               else _("%(name)s's clients' figure", name=feedback_round.advisor.name))
    return {"norm_base": base, "norm_placements": placements(base, figures),
            "norm_subject": subject, **reports.norm_aids(instrument, locale)}


@bp.route("/<int:round_id>/report.<any(pdf, csv, xlsx):kind>")
@login_required
def download(round_id: int, kind: str):
    """The report as PDF, or its aggregated tables as CSV or XLSX."""
    feedback_round = _readable_closed_round_or_404(round_id)
    try:
        data, content_type = reports.document(feedback_round, kind, _locale())
    except reports.NotReady:
        # 503, not 202: a program fetching the file must not keep this page as the file.
        return _preparing(feedback_round, 503)
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{reports.filename(feedback_round, kind)}"')
    return response
