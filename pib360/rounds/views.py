"""Round pages for the advisor."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from pib360 import clock
from pib360.auth.login import role_required
from pib360.forms import ActionForm, apply_errors
from pib360.models import Role
from pib360.rounds.forms import InviteForm, RoundForm
from pib360.services import (
    ServiceError,
    instruments,
    invitations,
    progress,
    questionnaire,
    rounds,
)

bp = Blueprint("rounds", __name__)

advisor_only = role_required(Role.ADVISOR)


def _own_round_or_404(round_id: int):
    feedback_round = rounds.own_round(current_user, round_id)
    if feedback_round is None:
        abort(404)
    return feedback_round


@bp.route("/")
@advisor_only
def index():
    """The advisor's rounds."""
    my_rounds = rounds.rounds_of(current_user)
    counts = progress.response_counts([r.id for r in my_rounds])
    return render_template("rounds/index.html", rounds=my_rounds, counts=counts)


@bp.route("/new", methods=["GET", "POST"])
@advisor_only
def new():
    """Start a round (a draft until it is opened)."""
    form = RoundForm(language=current_user.language)
    if form.validate_on_submit():
        try:
            feedback_round = rounds.create_round(
                current_user, form.title.data, form.language.data, form.min_clients.data,
                form.deadline.data, form.message.data, form.auto_reminder.data,
            )
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Round created. Fill in your self-assessment, then open the round to "
                    "invite clients."), "success")
            return redirect(url_for("rounds.show", round_id=feedback_round.id))
    return render_template("rounds/new.html", form=form)


@bp.route("/<int:round_id>")
@advisor_only
def show(round_id: int):
    """A round: its state, self-assessment, invitations and response count."""
    feedback_round = _own_round_or_404(round_id)
    instrument = instruments.for_round(feedback_round)
    answered, total = questionnaire.answered_count(instrument, feedback_round.self_answers)
    return render_template(
        "rounds/show.html", round=feedback_round, progress=progress.of_round(feedback_round),
        self_answered=answered, self_total=total,
        next_reminder_at=invitations.next_reminder_at(feedback_round),
        deadline_passed=feedback_round.deadline_passed(clock.utcnow(), clock.zone()),
    )


@bp.post("/<int:round_id>/open")
@advisor_only
def open_round(round_id: int):
    """Open the round, so clients can be invited."""
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        try:
            rounds.open_round(feedback_round)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("The round is open. Invite your clients."), "success")
            return redirect(url_for("rounds.invite", round_id=round_id))
    return redirect(url_for("rounds.show", round_id=round_id))


@bp.route("/<int:round_id>/invite", methods=["GET", "POST"])
@advisor_only
def invite(round_id: int):
    """Paste or upload client addresses and send the invitations."""
    feedback_round = _own_round_or_404(round_id)
    if not feedback_round.is_open:
        flash(_("Clients can only be invited while the round is open."), "error")
        return redirect(url_for("rounds.show", round_id=round_id))
    form = InviteForm()
    problems = []
    if form.validate_on_submit():
        try:
            parsed = invitations.parse_lines(form.addresses.data or "")
            if form.upload.data:
                upload = invitations.parse_csv(form.upload.data.read())
                parsed.entries += upload.entries
                parsed.problems += upload.problems
            if not parsed.entries and not parsed.problems:
                raise ServiceError({"addresses": [_("Enter at least one e-mail address.")]})
            result = invitations.invite(feedback_round, parsed)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            problems = result.problems
            if result.invited:
                flash(ngettext("%(num)d invitation is on its way.",
                               "%(num)d invitations are on their way.", len(result.invited)),
                      "success")
            if not problems:
                return redirect(url_for("rounds.show", round_id=round_id))
            # Keep only the lines that were not used, to correct and send again.
            form.addresses.data = "\n".join(p.text for p in problems)
    return render_template("rounds/invite.html", round=feedback_round, form=form,
                           problems=problems, max_invitations=invitations.MAX_INVITATIONS)


@bp.post("/<int:round_id>/remind")
@advisor_only
def remind(round_id: int):
    """Remind every client who has not answered yet, without saying who that is."""
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        try:
            invitations.remind(feedback_round)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            # The same words however many went out: the count would tell who answered.
            flash(_("Reminders are on their way to the clients who have not answered yet. "
                    "Clients invited less than 48 hours ago, or reminded %(n)d times "
                    "already, are skipped.", n=invitations.MAX_REMINDERS), "success")
    return redirect(url_for("rounds.show", round_id=round_id))


@bp.post("/<int:round_id>/invitations/<int:invitation_id>/withdraw")
@advisor_only
def withdraw(round_id: int, invitation_id: int):
    """Withdraw an invitation: its link stops working."""
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        try:
            invitation = invitations.withdraw(feedback_round, invitation_id)
        except LookupError:
            abort(404)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("The invitation to %(email)s has been withdrawn; its link no longer works.",
                    email=invitation.email), "success")
    return redirect(url_for("rounds.show", round_id=round_id))


@bp.route("/<int:round_id>/close", methods=["GET", "POST"])
@advisor_only
def close(round_id: int):
    """Confirm, then close the round for good."""
    feedback_round = _own_round_or_404(round_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            rounds.close_round(feedback_round)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("The round is closed. Your report is ready."), "success")
        return redirect(url_for("rounds.show", round_id=round_id))
    return render_template("rounds/close.html", round=feedback_round, form=form,
                           progress=progress.of_round(feedback_round))
