"""The survey session: a short-lived signed cookie instead of the token in the URL.

Opening a personal link swaps its token for this cookie and redirects to a URL without
the token, so the token does not linger in server logs, browser history or Referer
headers.
"""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "pib360_survey"
MAX_AGE = 4 * 60 * 60  # seconds: long enough to answer, short enough to expire


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="survey-session")


def start(response, invitation_id: int):
    """Set the survey cookie for this invitation on `response`."""
    response.set_cookie(
        COOKIE,
        _serializer().dumps(invitation_id),
        max_age=MAX_AGE,
        path="/survey",
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def invitation_id() -> int | None:
    """The invitation of this survey session, or None when it is missing or expired."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        loaded = _serializer().loads(value, max_age=MAX_AGE)
    except BadSignature:  # also SignatureExpired
        return None
    return loaded if isinstance(loaded, int) else None
