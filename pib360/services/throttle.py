"""The failed-login throttle, counted in the rate limiter's storage.

The counters live where Flask-Limiter keeps its own (memory in development, Redis in
production, shared by every worker). Every attempt is counted first, with one atomic
increment, and only then is the password checked: however many guesses arrive at once,
no more than the limit of them is ever checked. A correct password gives its attempt
back, so only failures use up the allowance (the limiter's fixed-window strategy, set in
the configuration, counts down as well as up).
"""

from flask import current_app
from limits import parse

from pib360.extensions import limiter

ACCOUNT, ADDRESS = "login-account", "login-address"


def _limits():
    config = current_app.config
    return parse(config["LOGIN_FAILURE_LIMIT"]), parse(config["LOGIN_ADDRESS_FAILURE_LIMIT"])


def count_attempt(email: str, address: str) -> bool:
    """Count one attempt against the account and the address; False when either is over."""
    per_account, per_address = _limits()
    account_allowed = limiter.limiter.hit(per_account, ACCOUNT, email)
    address_allowed = limiter.limiter.hit(per_address, ADDRESS, address)
    return account_allowed and address_allowed


def give_back(email: str, address: str) -> None:
    """The attempt succeeded: it counts as no failure, for the account nor the address."""
    per_account, per_address = _limits()
    limiter.limiter.hit(per_account, ACCOUNT, email, cost=-1)
    limiter.limiter.hit(per_address, ADDRESS, address, cost=-1)


def lift(email: str) -> None:
    """Forget the account's failed attempts (its password was just reset)."""
    per_account, _per_address = _limits()
    limiter.limiter.clear(per_account, ACCOUNT, email)
