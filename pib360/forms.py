"""Helpers shared by the forms of every feature."""

from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import PasswordField, StringField, TextAreaField

from pib360.services import ServiceError, questionnaire
from pib360.untrusted import plain_text


def _single_line(value: str | None) -> str | None:
    return plain_text(value) if isinstance(value, str) else value


def _multiline(value: str | None) -> str | None:
    return plain_text(value, multiline=True) if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form of pib360: its text fields never hold control characters.

    A NUL byte is refused by PostgreSQL and the other controls by XML (so by XLSX); none
    can be typed, so they are dropped before any validator or service sees the text. A text
    area keeps its tabs and line breaks. A password is only hashed, so it stays as typed.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                clean = _multiline if issubclass(field_class, TextAreaField) else _single_line
                options["filters"] = [clean, *unbound_field.kwargs.get("filters", ())]
            return super().bind_field(form, unbound_field, options)


class ActionForm(Form):
    """A button that changes something; CSRF is its only field."""


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
