"""An advisor's trust quotient and trust dimensions over their closed rounds."""

from flask import Blueprint

bp = Blueprint("trend", __name__)

from pib360.trend import views  # noqa: E402,F401  (routes register on import)
