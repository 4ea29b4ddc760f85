"""A database hiccup is not an error page.

A request whose database connection is lost (PostgreSQL restarting; the pool's pre-ping
only checks a connection when it is taken) runs once more on a new connection,
unless a commit had already begun: its outcome is unknown, and doing the work twice could
send mail twice. Otherwise, and when the database stays away or SQLite stays locked, the
visitor gets 503 with Retry-After and a page in their language that says to try again in a
moment; a form they posted comes back with what they typed, ready to send again.
"""

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import get_locale, refresh
from flask_login import AnonymousUserMixin
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError

from pib360 import request_state
from pib360.database import in_transaction
from pib360.extensions import db

RETRY_AFTER_SECONDS = 5


def init_app(app: Flask) -> None:
    """Retry a request once on a lost connection, and answer what is left with a 503."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "before_commit", _note_commit):
        event.listen(session_class, "before_commit", _note_commit)
    app.register_error_handler(DBAPIError, database_error)


def _note_commit(session) -> None:
    # A read's commit (transaction() ends a view's reading first) changes nothing: after
    # it, running the request again is still safe.
    writing = in_transaction() or session.new or session.dirty or session.deleted
    if writing and has_request_context():
        request_state.note_commit_started()


def database_error(error: DBAPIError):
    """Run the request once more after a lost connection; 503 when the database stays
    away, or SQLite stayed locked longer than the busy timeout."""
    if not _passing(error):
        raise error  # a programming error: the generic 500
    if error.connection_invalidated and not request_state.commit_started() \
            and request_state.first_try():
        current_app.logger.warning("database connection lost during %s; running it again",
                                   request.path)
        _rollback()  # lets go of the dead connection
        try:
            return current_app.preprocess_request() or current_app.dispatch_request()
        except DBAPIError as again:
            if not _passing(again):
                raise
            error = again
    return _unavailable(error)


def _passing(error: DBAPIError) -> bool:
    """Whether the error says the database is away or busy, not that a query is wrong."""
    return error.connection_invalidated or isinstance(error, OperationalError)


def _rollback() -> None:
    try:
        db.session.rollback()
    except DBAPIError:
        pass


def _resendable(form) -> list[tuple[str, str]]:
    """The posted fields to put back in the page, but a password: never echoed into HTML,
    it is typed again."""
    return [(name, value) for name, value in form.items(multi=True)
            if "password" not in name.lower()]


def _unavailable(error: Exception):
    """503, Retry-After, and a page that says to try again; a posted form comes back."""
    current_app.logger.warning("database unavailable for %s: %s", request.path, error)
    survey = request.blueprint == "survey"
    if survey:  # the client's chosen language, or the invitation's, from their cookies
        from pib360.survey import session as survey_session

        request_state.speak_survey_language(survey_session.language()
                                            or survey_session.round_language())
        refresh()
    try:
        get_locale()  # the user's language, while it can still be read
    except DBAPIError:
        pass
    _rollback()
    # Render without the database: the page shows no account (loading it would query).
    g._login_user = AnonymousUserMixin()
    resend = request.method == "POST" and not request.files
    body = render_template(
        "errors/unavailable.html", survey=survey,
        resend=resend, fields=_resendable(request.form) if resend else [],
    )
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
