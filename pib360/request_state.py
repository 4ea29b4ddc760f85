"""What one request remembers between its parts.

Every name pib360 keeps on `flask.g` is declared here, with the functions that set and
read it, so each piece of per-request state can be found from where it is used.
"""

from flask import g

from pib360.models import Invitation

# The page must never be stored by a browser or proxy (a survey, a personal link).
_PRIVATE = "pib360_private_page"
# The language a survey page speaks: its round's, whatever the visitor's settings.
_SURVEY_LANGUAGE = "pib360_survey_language"
# The invitation behind this survey session.
_INVITATION = "pib360_invitation"
# Mail was queued and committed: deliver it once the response has gone out.
_DELIVER_MAIL = "pib360_deliver_mail"
# A commit has begun in this request: running it again could do its work twice.
_COMMIT_STARTED = "pib360_commit_started"
# This request is being run a second time (after a lost database connection).
_RETRIED = "pib360_retried"


def mark_private() -> None:
    """This response is for one visitor only: never cache it."""
    setattr(g, _PRIVATE, True)


def is_private() -> bool:
    """Whether `mark_private` was called for this request."""
    return g.get(_PRIVATE, False)


def start_survey(invitation: Invitation, language: str | None = None) -> None:
    """This request is a client's survey page: remember the invitation and the language
    it speaks (the client's choice, else the invitation's mail language)."""
    setattr(g, _INVITATION, invitation)
    speak_survey_language(language or invitation.mail_language)


def speak_survey_language(language: str | None) -> None:
    """This page speaks `language` whatever the visitor's settings (a survey, a preview,
    an error page when the invitation cannot be loaded); None changes nothing."""
    if language:
        setattr(g, _SURVEY_LANGUAGE, language)


def survey_invitation() -> Invitation:
    """The invitation of this survey request (after `start_survey`)."""
    return g.get(_INVITATION)


def survey_language() -> str | None:
    """The language this survey page must speak, or None outside the survey."""
    return g.get(_SURVEY_LANGUAGE)


def deliver_mail_later() -> bool:
    """Note that committed mail waits for delivery; True the first time in this request."""
    if g.get(_DELIVER_MAIL):
        return False
    setattr(g, _DELIVER_MAIL, True)
    return True


def note_commit_started() -> None:
    """A transaction of this request has begun to commit."""
    setattr(g, _COMMIT_STARTED, True)


def commit_started() -> bool:
    """Whether `note_commit_started` was called for this request."""
    return g.get(_COMMIT_STARTED, False)


def first_try() -> bool:
    """True the first time it is asked in a request: the one retry it may have."""
    if g.get(_RETRIED):
        return False
    setattr(g, _RETRIED, True)
    return True
