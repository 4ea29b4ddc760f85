"""Helpers shared by the forms of every feature."""

from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from pib360.services import ServiceError, questionnaire


def apply_errors(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal next to the fields it names (or above the form)."""
    for field_name, messages in error.errors.items():
        field = form._fields.get(field_name) if field_name else None
        target = field.errors if field is not None else form.form_errors
        if isinstance(target, tuple):
            target = field.errors = list(target)
        target.extend(str(m) for m in messages)


def safe_next(target: str | None) -> str | None:
    """A local path to go to next, or None: never redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if (
        parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
        or "\\" in target or any(ord(char) < 32 for char in target)
    ):
        return None
    return target


def posted_answers(instrument, page) -> tuple[dict, dict[str, str]]:
    """The answers posted for one questionnaire page, and a message per wrong answer.

    A question the page does not have is a forged request: 400.
    """
    try:
        return questionnaire.parse(instrument, page.items, request.form)
    except questionnaire.UnknownItem as unknown:
        raise BadRequest(f"unknown question {unknown}") from None
