"""Flask-Login wiring, role checks and the failed-login throttle."""

from functools import wraps

from flask import Flask, abort, current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, user_logged_in
from flask_login.config import COOKIE_NAME

from pib360.extensions import db, login_manager
from pib360.models import Role, User


def init_app(app: Flask) -> None:
    """Configure Flask-Login for this app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    user_logged_in.connect(_expire_sessions, app)


def _expire_sessions(app: Flask, user: User) -> None:
    # A logged-in session lasts PERMANENT_SESSION_LIFETIME, not until the browser closes
    # (or forever, for a browser that restores its sessions).
    session.permanent = True


def remembered() -> bool:
    """Whether this browser asked to be remembered (it has a remember cookie)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


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
