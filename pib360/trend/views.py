"""Trend pages, for the advisor and the coaches they share with."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from pib360.auth.login import role_required
from pib360.models import Role
from pib360.services import sharing, trends
from pib360.svg import svg_response

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
    return render_template(
        "trend/show.html", trend=trend, own=advisor.id == current_user.id,
        alt=trends.alt_text(trend, locale) if trend.rounds else None,
        table=trends.table(trend, locale) if trend.rounds else [],
    )


@bp.route("/<int:advisor_id>/chart.svg")
@login_required
def chart(advisor_id: int):
    """The trend chart, as SVG (its own URL keeps the page's CSP strict)."""
    locale = str(get_locale())
    trend = trends.trend(_readable_advisor_or_404(advisor_id), locale)
    if not trend.rounds:
        abort(404)
    return svg_response(trends.chart(trend, locale))

