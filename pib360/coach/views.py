"""Coach pages: dashboard, groups, invitations, the group report and its PDF."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from pib360.auth.login import role_required
from pib360.coach.forms import CohortForm, CohortInviteForm
from pib360.documents.formatting import capital, focus_label
from pib360.extensions import limiter
from pib360.forms import ActionForm, apply_errors
from pib360.models import Role
from pib360.plans.forms import NoteForm
from pib360.services import (
    ServiceError,
    cohort_reports,
    cohorts,
    instruments,
    invitations,
    plans,
    reports,
    sharing,
)

bp = Blueprint("coach", __name__)

coach_only = role_required(Role.COACH)


def _own_cohort_or_404(cohort_id: int):
    cohort = cohorts.own_cohort(current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _locale() -> str:
    return str(get_locale())


@bp.route("/")
@coach_only
def dashboard():
    """Your groups, and the advisors who share their reports with you."""
    advisors = sharing.dashboard(current_user)
    locale = _locale()
    return render_template(
        "coach/dashboard.html", advisors=advisors, cohorts=cohorts.cohorts_of(current_user),
        headlines={e.advisor.id: plans.headline(e.advisor, e.rounds, locale) for e in advisors},
        focus_name=lambda point: focus_label(instruments.for_round(point.plan.round),
                                             point.kind, point.key, locale),
        # Named as in the questionnaire of the round the figure comes from.
        dimension_name=lambda d, feedback_round: capital(
            instruments.for_round(feedback_round).dimension_label(d, locale)),
    )


@bp.route("/advisors/<int:advisor_id>/notes", methods=["GET", "POST"])
@coach_only
def notes(advisor_id: int):
    """Your private notes about an advisor who shares with you."""
    advisor = sharing.readable_advisor(current_user, advisor_id)
    if advisor is None or advisor.id == current_user.id:
        abort(404)
    form = NoteForm()
    if form.validate_on_submit():
        plans.add_note(current_user, advisor, form.text.data)
        flash(_("Note saved. Only you can read it."), "success")
        return redirect(url_for("coach.notes", advisor_id=advisor.id))
    return render_template("coach/notes.html", advisor=advisor, form=form,
                           notes=plans.notes(current_user, advisor))


@bp.post("/advisors/<int:advisor_id>/notes/<int:note_id>/delete")
@coach_only
def delete_note(advisor_id: int, note_id: int):
    advisor = sharing.readable_advisor(current_user, advisor_id)
    if advisor is None or not ActionForm().validate_on_submit():
        abort(404)
    try:
        plans.delete_note(current_user, advisor, note_id)
    except LookupError:
        abort(404)
    flash(_("Note deleted."), "success")
    return redirect(url_for("coach.notes", advisor_id=advisor.id))


@bp.route("/groups/new", methods=["GET", "POST"])
@coach_only
def new_cohort():
    """Start a group of advisors."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = cohorts.create_cohort(current_user, form.name.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Group created. Invite its advisors."), "success")
            return redirect(url_for("coach.invite", cohort_id=cohort.id))
    return render_template("coach/new_cohort.html", form=form)


@bp.route("/groups/<int:cohort_id>")
@coach_only
def cohort(cohort_id: int):
    """A group: its members, their latest closed round, and open invitations."""
    overview = cohort_reports.overview(_own_cohort_or_404(cohort_id), figures=False)
    return render_template("coach/cohort.html", overview=overview)


@bp.route("/groups/<int:cohort_id>/invite", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@coach_only
def invite(cohort_id: int):
    """Invite advisors to the group by e-mail."""
    cohort = _own_cohort_or_404(cohort_id)
    form = CohortInviteForm()
    problems = []
    if form.validate_on_submit():
        parsed = invitations.parse_lines(form.addresses.data or "")
        if not parsed.entries and not parsed.problems:
            apply_errors(form, ServiceError({"addresses": [
                _("Enter at least one e-mail address.")]}))
        else:
            result = cohorts.invite(cohort, parsed)
            problems = result.problems
            if result.invited:
                flash(ngettext("%(num)d invitation is on its way.",
                               "%(num)d invitations are on their way.", len(result.invited)),
                      "success")
            if not problems:
                return redirect(url_for("coach.cohort", cohort_id=cohort.id))
            form.addresses.data = "\n".join(p.text for p in problems)
    return render_template("coach/invite.html", cohort=cohort, form=form, problems=problems)


@bp.route("/groups/<int:cohort_id>/report")
@coach_only
def cohort_report(cohort_id: int):
    """The group report: means and spread over the members' latest closed rounds."""
    overview = cohort_reports.overview(_own_cohort_or_404(cohort_id))
    locale = _locale()
    norm = {}
    if overview.report:
        base, placed = cohort_reports.group_norm(overview)
        norm = dict(norm_base=base, norm_placements=placed, norm_subject=_("The group's mean"),
                    **reports.norm_aids(overview.instrument, locale))
    return render_template(
        "coach/cohort_report.html", overview=overview, locale=locale,
        tables=cohort_reports.tables(overview, locale) if overview.report else None, **norm,
    )


@bp.route("/groups/<int:cohort_id>/report.pdf")
@coach_only
def cohort_pdf(cohort_id: int):
    """The group report as PDF, without advisor names, for a programme evaluation."""
    overview = _report_or_404(cohort_id)
    try:
        data = cohort_reports.pdf(overview, _locale())
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("coach.cohort_report", cohort_id=cohort_id))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=pib360-group-{overview.cohort.id}.pdf")
    return response


def _report_or_404(cohort_id: int):
    overview = cohort_reports.overview(_own_cohort_or_404(cohort_id))
    if overview.report is None:
        abort(404)
    return overview
