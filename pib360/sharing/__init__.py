"""The advisor's side of coaching: share reports with a coach, revoke, join a group."""

from flask import Blueprint

bp = Blueprint("sharing", __name__)

from pib360.sharing import views  # noqa: E402,F401  (routes register on import)
