"""The home page and the site navigation."""

from typing import NamedTuple

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pib360.database import schema_is_current
from pib360.models import Role

bp = Blueprint("main", __name__)


class NavItem(NamedTuple):
    endpoint: str
    label: str
    roles: frozenset[Role]


NAVIGATION = (
    NavItem("rounds.index", _l("Feedback rounds"), frozenset({Role.ADVISOR})),
    NavItem("trend.own", _l("Trend"), frozenset({Role.ADVISOR})),
    NavItem("sharing.index", _l("Sharing"), frozenset({Role.ADVISOR})),
    NavItem("coach.dashboard", _l("Advisors and groups"), frozenset({Role.COACH})),
    NavItem("admin.users", _l("Users"), frozenset({Role.ADMIN})),
    NavItem("admin.instruments_index", _l("Questionnaires"), frozenset({Role.ADMIN})),
    NavItem("quality.show", _l("Questionnaire quality"), frozenset({Role.ADMIN, Role.COACH})),
)


HOME = {Role.ADVISOR: "rounds.index", Role.COACH: "coach.dashboard", Role.ADMIN: "admin.users"}


@bp.app_context_processor
def navigation() -> dict:
    """The menu entries the current user may use (none outside a request, e.g. in mail)."""
    if not getattr(current_user, "is_authenticated", False):
        return {"nav_items": ()}
    return {"nav_items": [item for item in NAVIGATION if current_user.role in item.roles]}


@bp.route("/")
def index():
    """What pib360 is, or the user's dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME[current_user.role]))
    return render_template("main/index.html")


@bp.route("/favicon.ico")
def favicon():
    """The site icon, where browsers and feed readers look for it without reading a page."""
    return current_app.send_static_file("favicon.ico")


# For load balancers and container platforms: plain words, nothing else revealed.
_PROBE_HEADERS = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/healthz")
def healthz():
    """The process is up (asks nothing of the database)."""
    return "ok\n", 200, _PROBE_HEADERS


@bp.route("/readyz")
def readyz():
    """The database answers and its schema is current: ready for requests."""
    if schema_is_current():
        return "ready\n", 200, _PROBE_HEADERS
    return "not ready\n", 503, _PROBE_HEADERS
