"""The failed-login throttle, counted in the rate limiter's storage.

The counters live where Flask-Limiter keeps its own (memory in development, Redis in
production, shared by every worker), and are checked before any password hashing, so a
flood of guesses costs almost nothing.
"""

from flask import current_app
from limits import parse

from pib360.extensions import limiter


def _failure_limit():
    return parse(current_app.config["LOGIN_FAILURE_LIMIT"])


def login_allowed(email: str, address: str) -> bool:
    """Whether neither the account nor the address has used up its failed attempts."""
    limit = _failure_limit()
    return limiter.limiter.test(limit, "login-account", email) and limiter.limiter.test(
        limit, "login-address", address
    )


def record_failed_login(email: str, address: str) -> None:
    """Count one failed attempt against the account and against the address."""
    limit = _failure_limit()
    limiter.limiter.hit(limit, "login-account", email)
    limiter.limiter.hit(limit, "login-address", address)
