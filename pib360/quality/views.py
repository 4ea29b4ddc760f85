"""The instrument quality page and its CSV, for admins and coaches."""

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from pib360.auth.login import role_required
from pib360.models import Role
from pib360.services import quality as quality_service

bp = Blueprint("quality", __name__)


def _quality() -> quality_service.Quality:
    """The figures for the version in the query (the current one without), for this user."""
    instrument_id, version = request.args.get("instrument"), request.args.get("version")
    try:
        return quality_service.quality(current_user, instrument_id, version)
    except LookupError:
        abort(404)


@bp.route("/")
@role_required(Role.ADMIN, Role.COACH)
def show():
    """Reliability of every scale and statistics of every item, pooled over closed rounds."""
    from pib360.documents.quality_files import scale_name
    from pib360.domain.instrument import DIMENSIONS, ROLES

    result = _quality()
    locale = str(get_locale())
    return render_template(
        "quality/show.html", result=result, locale=locale,
        comparison=quality_service.comparison(current_user), scales=DIMENSIONS + ROLES,
        scale_name=lambda scale: scale_name(scale, result.instrument, locale),
        min_respondents=quality_service.MIN_RESPONDENTS, min_rounds=quality_service.MIN_ROUNDS,
    )


@bp.route("/quality.csv")
@role_required(Role.ADMIN, Role.COACH)
def download():
    """The same tables as CSV; 404 while too few answers are pooled to show any."""
    from pib360.documents.quality_files import quality_csv

    result = _quality()
    if not result.enough:
        abort(404)
    data = quality_csv(result.reliability, result.items, result.instrument, str(get_locale()),
                       gettext)
    response = Response(data, content_type="text/csv; charset=utf-8")
    name = f"{result.instrument.id}-{result.instrument.version}-quality.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
