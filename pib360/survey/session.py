"""The survey session: a short-lived signed cookie instead of the token in the URL.

Opening a personal link swaps its token for this cookie and redirects to a URL without
the token, so the token does not linger in server logs, browser history or Referer
headers. The cookie carries the invitation's random session key, never a row id: the key
dies with the invitation, so an old cookie cannot open anybody else's survey.
"""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "pib360_survey"
MAX_AGE = 4 * 60 * 60  # seconds: long enough to answer, short enough to expire


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="survey-session")


def start(response, session_key: str, language: str):
    """Set the survey cookie for the invitation with this session key on `response`; it
    also carries the round's language, for a page that cannot reach the database."""
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"key": session_key, "language": language}),
        max_age=MAX_AGE,
        path="/survey",
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def session_key() -> str | None:
    """The invitation's session key of this survey session, or None when it is missing or
    expired (or from before session keys)."""
    return _cookie().get("key")


def round_language() -> str | None:
    """The round's language as the survey cookie remembers it, or None."""
    return _cookie().get("language")


def _cookie() -> dict:
    value = request.cookies.get(COOKIE)
    if not value:
        return {}
    try:
        loaded = _serializer().loads(value, max_age=MAX_AGE)
    except BadSignature:  # also SignatureExpired
        return {}
    if isinstance(loaded, str):  # a cookie set before it carried the language
        return {"key": loaded}
    if not isinstance(loaded, dict) or not isinstance(loaded.get("key"), str):
        return {}
    return loaded


LANGUAGE_COOKIE = "pib360_survey_language"


def _chosen(value: str | None) -> str | None:
    return value if value in current_app.config["LANGUAGES"] else None


def language() -> str | None:
    """The language the client chose for the survey (`?lang=` now, or earlier), or None.

    It lives in the client's browser only: stored with the answers, it could tell which
    response is whose.
    """
    return _chosen(request.args.get("lang")) or _chosen(request.cookies.get(LANGUAGE_COOKIE))


def keep_language(response):
    """Remember a language chosen with `?lang=` for the survey's next pages."""
    chosen = _chosen(request.args.get("lang"))
    if chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=MAX_AGE, path="/survey",
                            httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
