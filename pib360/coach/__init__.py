"""The coach's pages: the advisors who share with them, groups, and group reports."""

from flask import Blueprint

bp = Blueprint("coach", __name__)

from pib360.coach import views  # noqa: E402,F401  (routes register on import)
