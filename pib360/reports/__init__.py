"""Gap reports of closed rounds: the page, its charts and its downloads."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from pib360.reports import views  # noqa: E402,F401  (routes register on import)
