"""Account management for admins."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from pib360.admin import views  # noqa: E402,F401
