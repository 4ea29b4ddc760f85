"""What clients will see, before anything is sent: the mails and the questionnaire,
in the round's language (or the other one), without storing anything."""

from flask import abort, make_response, redirect, render_template, request, url_for

from pib360 import request_state
from pib360.forms import ActionForm
from pib360.rounds.views import _own_round_or_404, advisor_only, bp
from pib360.services import instruments, previews, questionnaire
from pib360.urls import external_url

MAIL_KINDS = ("invitation", "reminder")
# The HTML part of a mail, shown in a sandboxed frame: its inline styles, nothing else.
MAIL_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


def _round_and_language(round_id: int):
    feedback_round = _own_round_or_404(round_id)
    language = request.args.get("lang")
    if language not in ("nl", "en"):
        language = feedback_round.language
    return feedback_round, language


def _mail(feedback_round, kind: str, language: str):
    link = external_url("rounds.preview_welcome", round_id=feedback_round.id, lang=language)
    return previews.client_mail(feedback_round, kind, language, link)


@bp.route("/<int:round_id>/preview")
@advisor_only
def preview(round_id: int):
    """The invitation and reminder mails as clients will receive them."""
    feedback_round, language = _round_and_language(round_id)
    mails = {kind: _mail(feedback_round, kind, language) for kind in MAIL_KINDS}
    return render_template("rounds/preview.html", round=feedback_round, language=language,
                           mails=mails, from_header=previews.from_header)


@bp.route("/<int:round_id>/preview/<any(invitation, reminder):kind>.html")
@advisor_only
def preview_mail_html(round_id: int, kind: str):
    """The HTML part of a mail, for the preview's frame."""
    feedback_round, language = _round_and_language(round_id)
    response = make_response(_mail(feedback_round, kind, language).body_html)
    response.headers["Content-Security-Policy"] = MAIL_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/<int:round_id>/preview/survey")
@advisor_only
def preview_welcome(round_id: int):
    """The survey's first page, as a client sees it."""
    feedback_round, language = _round_and_language(round_id)
    request_state.speak_survey_language(language)
    instrument = instruments.for_round(feedback_round)
    return render_template(
        "survey/welcome.html", round=feedback_round, instrument=instrument,
        pages=questionnaire.pages(instrument), started=False, first_page=1,
        page_url=_page_url(feedback_round, language), preview=True,
    )


@bp.route("/<int:round_id>/preview/survey/<int:number>", methods=["GET", "POST"])
@advisor_only
def preview_page(round_id: int, number: int):
    """One survey page, as a client sees it; its buttons move on without saving."""
    feedback_round, language = _round_and_language(round_id)
    request_state.speak_survey_language(language)
    instrument = instruments.for_round(feedback_round)
    page = questionnaire.page(instrument, number)
    if page is None:
        abort(404)
    page_url = _page_url(feedback_round, language)
    form = ActionForm()
    if form.validate_on_submit():
        target = questionnaire.next_page(instrument, number, request.form.get("go", "next"))
        if target is None or request.form.get("go") == "submit":
            return redirect(url_for("rounds.preview", round_id=round_id, lang=language))
        return redirect(page_url(target), code=303)
    return render_template(
        "survey/page.html", round=feedback_round, instrument=instrument, page=page,
        pages=questionnaire.pages(instrument), answers={}, errors={}, form=form,
        page_url=page_url, sent_back=False, preview=True,
    )


def _page_url(feedback_round, language: str):
    def page_url(number: int, **args) -> str:
        return url_for("rounds.preview_page", round_id=feedback_round.id, number=number,
                       lang=language, **args)
    return page_url
