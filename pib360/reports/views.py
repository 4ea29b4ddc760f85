"""Report pages, for the advisor and the coaches they share with."""

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pib360.documents.formatting import capital
from pib360.domain.instrument import DIMENSIONS
from pib360.services import plans, reports

bp = Blueprint("reports", __name__)


def _readable_closed_round_or_404(round_id: int):
    # 404, not 403: whether a round exists is none of a stranger's business.
    feedback_round = reports.readable_round(current_user, round_id)
    if feedback_round is None or not feedback_round.is_closed:
        abort(404)
    return feedback_round


def _locale() -> str:
    return str(get_locale())


@bp.route("/<int:round_id>")
@login_required
def show(round_id: int):
    """The gap report of a closed round: for its advisor, or a coach they share with."""
    feedback_round = _readable_closed_round_or_404(round_id)
    locale = _locale()
    content = reports.content(feedback_round, locale)
    instrument = content.instrument
    context = plans.around(feedback_round)
    own = feedback_round.advisor_id == current_user.id
    reading_aids = reports.reading_aids(content)
    return render_template(
        "reports/show.html", round=feedback_round, content=content, report=content.gap_report,
        instrument=instrument, locale=locale, explanation=reports.explanation(content),
        own=own, dimensions=DIMENSIONS,
        dimension_name=lambda d: capital(instrument.dimension_label(d, locale)),
        role_name=lambda r: capital(instrument.role_label(r, locale)),
        higher_is_better=lambda key: key != "self_orientation",
        # The plan made after the previous round, measured here; the next step from here.
        progress=content.progress, reflection=content.reflection, plan=context.plan,
        plan_open=context.can_change,
        norm_base=content.norm_base, norm_placements=content.norm_placements,
        norm_subject=(_("Your clients' figure") if own
                      else _("%(name)s's clients' figure", name=feedback_round.advisor.name)),
        **reading_aids, **reports.norm_aids(instrument, locale),
    )


@bp.route("/<int:round_id>/report.<any(pdf, csv, xlsx):kind>")
@login_required
def download(round_id: int, kind: str):
    """The report as PDF, or its aggregated tables as CSV or XLSX."""
    feedback_round = _readable_closed_round_or_404(round_id)
    data, content_type = reports.document(feedback_round, kind, _locale())
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{reports.filename(feedback_round, kind)}"')
    return response
