"""Security headers on every response."""

from flask import Flask, request
from flask_login import current_user

from pib360 import request_state

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def init_app(app: Flask) -> None:
    """Add the headers that every pib360 response carries."""

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        # Survey links carry tokens: never leak a URL to another site.
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["HSTS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if _private(response):
            headers["Cache-Control"] = "no-store"
            headers.setdefault("Vary", "Cookie")
        return response


def _private(response) -> bool:
    """Pages for a logged-in user or a survey respondent must never be cached."""
    if request.endpoint == "static":
        return False
    return current_user.is_authenticated or request_state.is_private()
