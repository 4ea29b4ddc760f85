"""Trend pages, for the advisor and the coaches they share with."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from pib360.auth.login import role_required
from pib360.models import Role
from pib360.services import sharing, trends

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
        series=trends.series(trend, locale) if trend.rounds else [],
    )
