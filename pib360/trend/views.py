"""Trend pages, for the advisor and the coaches they share with."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from pib360.auth.login import role_required
from pib360.documents.formatting import focus_label
from pib360.models import FocusKind, Role
from pib360.services import plans, sharing, trends

bp = Blueprint("trend", __name__)


def _readable_advisor_or_404(advisor_id: int):
    # 404, not 403: whether an account exists is none of a stranger's business.
    advisor = sharing.readable_advisor(current_user, advisor_id)
    if advisor is None:
        abort(404)
    return advisor


@bp.route("/")
@role_required(Role.ADVISOR)
def own():
    """Your own trend."""
    return _page(current_user)


@bp.route("/<int:advisor_id>")
@login_required
def show(advisor_id: int):
    """An advisor's trend."""
    return _page(_readable_advisor_or_404(advisor_id))


def _page(advisor):
    locale = str(get_locale())
    trend = trends.trend(advisor, locale)
    chosen = plans.focus_by_round(advisor)
    dimensions = {round_id: {p.key for p in points if p.kind is FocusKind.DIMENSION}
                  for round_id, points in chosen.items()}
    return render_template(
        "trend/show.html", trend=trend, own=advisor.id == current_user.id,
        series=trends.series(trend, locale, dimensions) if trend.rounds else [],
        focus=[(r, chosen[r.id]) for r in trend.rounds if r.id in chosen],
        focus_name=lambda point: focus_label(trend.instrument, point.kind, point.key,
                                             locale),
    )
