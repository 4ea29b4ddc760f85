"""Accounts: register, log in and out, reset and change passwords, profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from pib360.auth import views  # noqa: E402,F401  (routes register on import)
