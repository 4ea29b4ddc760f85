"""The client's survey: no account, a personal link, anonymous answers."""

from flask import Blueprint

bp = Blueprint("survey", __name__)

from pib360.survey import views  # noqa: E402,F401
