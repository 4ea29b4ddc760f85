"""The advisor's feedback rounds: create, self-assess, invite, follow, remind, close."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)

from pib360.rounds import self_assessment, views  # noqa: E402,F401  (routes register on import)
