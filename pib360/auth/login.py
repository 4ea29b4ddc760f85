"""Flask-Login wiring, role checks and the failed-login throttle."""

from functools import wraps

from flask import Flask, abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from limits import parse

from pib360.extensions import db, limiter, login_manager
from pib360.models import Role, User


def init_app(app: Flask) -> None:
    """Configure Flask-Login for this app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The user of a session, if the session is still current (see `User.get_id`)."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def role_required(*roles: Role):
    """Let only logged-in users with one of `roles` through; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _failure_limit():
    return parse(current_app.config["LOGIN_FAILURE_LIMIT"])


def login_allowed(email: str, address: str) -> bool:
    """Whether neither the account nor the address has used up its failed attempts.

    Checked before any password hashing, so a flood of guesses costs us nothing. The
    counters live in the limiter's storage (memory, or Redis shared by every worker).
    """
    limit = _failure_limit()
    return limiter.limiter.test(limit, "login-account", email) and limiter.limiter.test(
        limit, "login-address", address
    )


def record_failed_login(email: str, address: str) -> None:
    """Count one failed attempt against the account and against the address."""
    limit = _failure_limit()
    limiter.limiter.hit(limit, "login-account", email)
    limiter.limiter.hit(limit, "login-address", address)
