"""Changing a round after it was created: title and message, a later deadline, cancel."""

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from pib360.forms import ActionForm, apply_errors
from pib360.rounds.forms import EditRoundForm, ExtendForm
from pib360.rounds.views import _own_round_or_404, advisor_only, bp
from pib360.services import ServiceError, round_changes


def _refused(feedback_round, refusal):
    flash(round_changes.refusal_text(refusal), "error")
    return redirect(url_for("rounds.show", round_id=feedback_round.id))


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@advisor_only
def edit(round_id: int):
    """Change the title and message; extend the deadline of an open round."""
    feedback_round = _own_round_or_404(round_id)
    if refusal := feedback_round.can_edit():
        return _refused(feedback_round, refusal)
    form = EditRoundForm(obj=feedback_round)
    if form.validate_on_submit():
        try:
            round_changes.edit(feedback_round, form.title.data, form.message.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("The round has been changed."), "success")
            return redirect(url_for("rounds.show", round_id=round_id))
    return _edit_page(feedback_round, form, ExtendForm(formdata=None))


def _edit_page(feedback_round, form, extend_form):
    return render_template("rounds/edit.html", round=feedback_round, form=form,
                           extend_form=extend_form,
                           can_extend=feedback_round.can_extend() is None,
                           extend_refusal=round_changes.refusal_text(
                               feedback_round.can_extend()))


@bp.post("/<int:round_id>/extend")
@advisor_only
def extend(round_id: int):
    """Move the deadline of an open round later."""
    feedback_round = _own_round_or_404(round_id)
    if refusal := feedback_round.can_extend():
        return _refused(feedback_round, refusal)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            round_changes.extend(feedback_round, form.deadline.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("The deadline is now %(date)s.",
                    date=format_date(feedback_round.deadline, "long")), "success")
            return redirect(url_for("rounds.show", round_id=round_id))
    return _edit_page(feedback_round, EditRoundForm(formdata=None, obj=feedback_round), form)


@bp.route("/<int:round_id>/cancel", methods=["GET", "POST"])
@advisor_only
def cancel(round_id: int):
    """Confirm what will be deleted, then cancel the round for good."""
    feedback_round = _own_round_or_404(round_id)
    if refusal := feedback_round.can_cancel():
        return _refused(feedback_round, refusal)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            round_changes.cancel(feedback_round)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("The round has been cancelled. Everything your clients gave is deleted; "
                    "its title and counts remain."), "success")
        return redirect(url_for("rounds.show", round_id=round_id))
    return render_template("rounds/cancel.html", round=feedback_round, form=form,
                           erasure=round_changes.what_cancel_erases(feedback_round))
