"""The advisor's self-assessment: the same questions, in the "I ..." voice."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from pib360.forms import ActionForm, posted_answers
from pib360.rounds.views import _own_round_or_404, advisor_only, bp
from pib360.services import ServiceError, instruments, questionnaire, rounds


@bp.route("/<int:round_id>/self")
@advisor_only
def self_start(round_id: int):
    """Resume the self-assessment where something is still missing."""
    feedback_round = _own_round_or_404(round_id)
    instrument = instruments.for_round(feedback_round)
    missing = questionnaire.missing(instrument, feedback_round.self_answers, "self")
    number = questionnaire.first_page_with(instrument, {item.id for item in missing})
    return redirect(url_for("rounds.self_page", round_id=round_id, number=number))


@bp.route("/<int:round_id>/self/<int:number>", methods=["GET", "POST"])
@advisor_only
def self_page(round_id: int, number: int):
    """One page of the self-assessment; saved on every step."""
    feedback_round = _own_round_or_404(round_id)
    if feedback_round.is_finished:
        flash(_("This round is closed; its self-assessment can no longer change."), "info")
        return redirect(url_for("rounds.show", round_id=round_id))
    instrument = instruments.for_round(feedback_round)
    page = questionnaire.page(instrument, number)
    if page is None:
        abort(404)
    form = ActionForm()
    answers, errors = dict(feedback_round.self_answers), {}
    if form.validate_on_submit():
        posted, errors = posted_answers(instrument, page)
        answers.update(posted)
        if not errors:
            try:
                missing = rounds.save_self_answers(feedback_round, posted)
            except ServiceError as error:
                flash(str(error), "error")
                return redirect(url_for("rounds.show", round_id=round_id))
            return _next_step(feedback_round, instrument, number, missing)
    return render_template(
        "rounds/self.html", round=feedback_round, instrument=instrument, page=page,
        pages=questionnaire.pages(instrument), answers=answers, errors=errors, form=form,
    )


def _next_step(feedback_round, instrument, number: int, missing):
    go = request.form.get("go", "next")
    last = len(questionnaire.pages(instrument))
    if go == "previous" and number > 1:
        target = number - 1
    elif go == "next" and number < last:
        target = number + 1
    elif go == "finish" and missing:
        flash(_("Some questions still need an answer (or \"cannot judge\")."), "error")
        target = questionnaire.first_page_with(instrument, {item.id for item in missing})
    else:
        if not missing:
            flash(_("Your self-assessment is complete."), "success")
        else:
            flash(_("Your answers have been saved. You can continue later."), "info")
        return redirect(url_for("rounds.show", round_id=feedback_round.id))
    return redirect(url_for("rounds.self_page", round_id=feedback_round.id, number=target))
