"""Report pages, for the advisor and the coaches they share with."""

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from pib360.services import report_rendering, reports

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
    try:
        body = report_rendering.page_body(feedback_round, _locale(), own)
    except reports.NotReady:
        # 202: the request is fine and its page is on its way.
        return _preparing(feedback_round, 202)
    return render_template("reports/show.html", round=feedback_round, body=Markup(body))


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
