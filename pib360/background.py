"""Work that runs once the response has gone out, in the same process.

For what must not make the visitor wait (sending mail), or must not show in how long the
response took (whether an address has an account).
"""

from collections.abc import Callable

from flask import after_this_request, current_app


def after_response(task: Callable[[], object]) -> None:
    """Run `task` after this request's response has been sent, in an app context."""
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            task()

    @after_this_request
    def schedule(response):
        response.call_on_close(run)
        return response
