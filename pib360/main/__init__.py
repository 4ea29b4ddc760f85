"""The home page and the site navigation."""

from typing import NamedTuple

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pib360.models import Role

bp = Blueprint("main", __name__)


class NavItem(NamedTuple):
    endpoint: str
    label: str
    roles: frozenset[Role]


ALL_ROLES = frozenset(Role)
NAVIGATION = (
    NavItem("main.index", _l("Dashboard"), ALL_ROLES),
    NavItem("admin.users", _l("Users"), frozenset({Role.ADMIN})),
)


@bp.app_context_processor
def navigation() -> dict:
    """The menu entries the current user may use."""
    if not current_user.is_authenticated:
        return {"nav_items": ()}
    return {"nav_items": [item for item in NAVIGATION if current_user.role in item.roles]}


@bp.route("/")
def index():
    """What pib360 is, or the user's dashboard."""
    if current_user.is_authenticated:
        return render_template("main/dashboard.html")
    return render_template("main/index.html")
