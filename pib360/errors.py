"""Error pages in the visitor's language."""

from flask import Flask, render_template
from flask_babel import _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    """Render every HTTP error with the site layout."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _(
            "This form has expired or was not sent from pib360. Go back, reload the page "
            "and try again."
        )
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Keep the headers the error brings, such as the Allow header of a 405.
        return (
            render_template("errors/error.html", code=error.code, message=_message(error.code)),
            error.code,
            error.get_headers(),
        )


def _message(code: int | None) -> str:
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        410: _("This page is no longer available."),
        413: _("What you sent is too large. Upload a smaller file (at most 256 kB) and "
               "try again."),
        429: _("Too many attempts. Please wait a while and try again."),
    }
    return messages.get(code, _("Something went wrong."))
