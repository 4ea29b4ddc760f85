"""Survey pages for clients."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from pib360 import request_state
from pib360.forms import ActionForm, posted_answers
from pib360.services import ServiceError, instruments, questionnaire, responses
from pib360.survey import session

bp = Blueprint("survey", __name__)


@bp.before_request
def survey_request():
    """Survey pages are private, never indexed, and speak the round's language."""
    request_state.mark_private()
    if request.endpoint == "survey.enter":
        return None
    session_key = session.session_key()
    if session_key is None:
        return _unavailable(404, expired=True)
    try:
        request_state.start_survey(responses.usable_invitation(session_key),
                                   session.language())
    except (responses.LinkUnknown, responses.LinkGone):
        # A valid session whose invitation is gone: its round closed, or it was withdrawn.
        return _unavailable(410)
    return None


@bp.after_request
def no_index(response):
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return session.keep_language(response)


def _unavailable(code: int, expired: bool = False):
    # Says nothing about whose survey this was: the link may have been guessed.
    return render_template("survey/unavailable.html", code=code, expired=expired), code


@bp.route("/s/<token>")
def enter(token: str):
    """Swap the link's token for a survey cookie and drop the token from the URL."""
    try:
        invitation = responses.invitation_for_token(token)
        responses.check_usable(invitation)
    except responses.LinkUnknown:
        return _unavailable(404)
    except responses.LinkGone:
        return _unavailable(410)
    return session.start(redirect(url_for("survey.welcome"), code=303), invitation.session_key,
                         invitation.language or invitation.feedback_round.language)


@bp.route("/survey/")
def welcome():
    """Who asks, how long it takes, and what anonymity means here."""
    invitation = request_state.survey_invitation()
    if invitation.used:
        return render_template("survey/thanks.html", already=True)
    instrument = instruments.for_round(invitation.feedback_round)
    return render_template(
        "survey/welcome.html", round=invitation.feedback_round, instrument=instrument,
        pages=questionnaire.pages(instrument), started=bool(invitation.draft),
        first_page=questionnaire.resume_page(instrument, invitation.draft or {}),
        page_url=_page_url,
    )


def _page_url(number: int, **args) -> str:
    return url_for("survey.answer", number=number, **args)


@bp.route("/survey/<int:number>", methods=["GET", "POST"])
def answer(number: int):
    """One page of the survey; answers are kept as a draft until submitted."""
    invitation = request_state.survey_invitation()
    if invitation.used:
        return render_template("survey/thanks.html", already=True)
    instrument = instruments.for_round(invitation.feedback_round)
    page = questionnaire.page(instrument, number)
    if page is None:
        return _unavailable(404)
    form = ActionForm()
    answers, errors = dict(invitation.draft or {}), {}
    if form.validate_on_submit():
        posted, errors = posted_answers(instrument, page)
        answers.update(posted)
        if not errors:
            return _save_and_go(invitation, instrument, number, posted, form)
    return _render_page(invitation, instrument, page, answers, errors, form)


def _save_and_go(invitation, instrument, number: int, posted, form):
    try:
        return _store(invitation, instrument, number, posted)
    except responses.AlreadySubmitted:
        return render_template("survey/thanks.html", already=True)
    except responses.LinkGone:  # the round closed while the client was answering
        return _unavailable(410)


def _store(invitation, instrument, number: int, posted):
    """Save the page (or submit), then go where the button said."""
    go = request.form.get("go", "next")
    if go == "submit":
        try:
            responses.submit(invitation, posted)
        except ServiceError as error:  # answers missing: keep this page's, show the first
            responses.save_draft(invitation, posted)
            first = questionnaire.first_page_with(instrument, set(error.errors))
            return redirect(url_for("survey.answer", number=first, missing=1), code=303)
        return redirect(url_for("survey.thanks"), code=303)
    responses.save_draft(invitation, posted)
    target = questionnaire.next_page(instrument, number, go)
    if target is None:
        return render_template("survey/saved.html")
    # Sent back for a missing answer, the client keeps the way straight back to the end.
    missing = {"missing": 1} if request.args.get("missing") and go != "end" else {}
    return redirect(url_for("survey.answer", number=target, **missing), code=303)


def _render_page(invitation, instrument, page, answers, errors, form):
    if request.args.get("missing"):
        for item in questionnaire.missing(instrument, answers, "client"):
            errors.setdefault(item.id, _("Answer this question, or choose \"cannot judge\"."))
    return render_template(
        "survey/page.html", round=invitation.feedback_round, instrument=instrument,
        page=page, pages=questionnaire.pages(instrument), answers=answers,
        errors=errors, form=form, page_url=_page_url,
        sent_back=bool(request.args.get("missing")),
    )


@bp.route("/survey/thanks")
def thanks():
    """After submitting."""
    return render_template("survey/thanks.html", already=False)

