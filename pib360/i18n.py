"""Which language a page speaks: the user's own, else the visitor's choice, else Dutch."""

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from pib360 import request_state


def select_locale() -> str:
    """Locale for this request (Flask-Babel's `locale_selector`)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the `flask` command line, delivery after a response
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    forced = request_state.survey_language()
    if forced in languages:
        return forced
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Expose the current language to every template."""

    @app.context_processor
    def language_context() -> dict:
        return {"current_language": str(get_locale()), "languages": app.config["LANGUAGES"]}
