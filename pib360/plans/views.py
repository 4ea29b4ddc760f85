"""The development plan of a closed round: the advisor's focus points and actions, and the
comments of the coaches they share with."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pib360.documents.formatting import focus_label
from pib360.forms import ActionForm, apply_errors
from pib360.models import MAX_FOCUS_POINTS, FocusKind
from pib360.plans.forms import CommentForm, FocusForm, IntentionForm, PlanActionForm
from pib360.services import ServiceError, instruments, plans, reports

bp = Blueprint("plans", __name__)


def _readable_round_or_404(round_id: int):
    # 404, not 403: whether a round exists is none of a stranger's business.
    feedback_round = reports.readable_round(current_user, round_id)
    if feedback_round is None:
        abort(404)
    return feedback_round


def _own_round_or_404(round_id: int):
    feedback_round = _readable_round_or_404(round_id)
    if feedback_round.advisor_id != current_user.id:
        abort(404)  # a coach reads the plan; only its advisor changes it
    return feedback_round


def _back(feedback_round, anchor: str | None = None):
    return redirect(url_for("plans.show", round_id=feedback_round.id, _anchor=anchor))


@bp.route("/<int:round_id>")
@login_required
def show(round_id: int):
    """The plan of a closed round: for its advisor, or a coach they share with."""
    return _page(_readable_round_or_404(round_id))


def _page(feedback_round, focus_form=None, failed=None, comment_form=None, status=200):
    """The plan page; `failed` is (focus point id, form) of a form that came back."""
    from pib360.domain import focus
    from pib360.domain.highlights import as_worded

    locale = str(get_locale())
    instrument = instruments.for_round(feedback_round)
    context = plans.around(feedback_round)
    plan, measured_by = context.plan, context.measured_by
    own = feedback_round.advisor_id == current_user.id
    editable = own and context.can_change
    report, _choices = reports.gap_report(feedback_round)
    figures = {FocusKind.DIMENSION: report.dimensions, FocusKind.ROLE: report.roles,
               FocusKind.ITEM: as_worded(report, instrument)}
    suggested = [(FocusKind(kind), key) for kind, key in focus.suggestions(report, instrument)]
    points = plan.focus_points if plan else []
    if focus_form is None:
        focus_form = FocusForm()
    chosen = {(p.kind, p.key) for p in points}
    name = lambda kind, key: focus_label(instrument, kind, key, locale)  # noqa: E731
    offered = plans.choices(instrument)
    groups = [(_("Suggested from your report"), suggested)] + [
        (heading, [c for c in offered if c[0] is kind]) for heading, kind in (
            (_("Trust dimensions"), FocusKind.DIMENSION), (_("Advisor roles"), FocusKind.ROLE),
            (_("Statements"), FocusKind.ITEM))]
    focus_form.focus.choices = {
        group: [(f"{kind.value}:{key}", name(kind, key)) for kind, key in options
                if (kind, key) not in chosen]
        for group, options in groups if options}
    return render_template(
        "plans/show.html", round=feedback_round, plan=plan, points=points, own=own,
        editable=editable, measured_by=measured_by, figures=figures, name=name,
        suggested=suggested, focus_form=focus_form, failed=failed or (None, None),
        comment_form=comment_form or CommentForm(),
        comments=plans.comments_for(current_user, plan),
        prompts=_prompts_of(instrument, points, locale), instrument=instrument,
        max_points=MAX_FOCUS_POINTS, locale=locale,
    ), status


def _prompts_of(instrument, points, locale: str) -> dict:
    """The reflection prompts of each focus point (a statement: those of its dimension)."""
    prompt_set = instruments.prompts_for(instrument)
    if prompt_set is None:
        return {}
    found = {}
    for point in points:
        if point.kind is FocusKind.ROLE:
            found[point.id] = prompt_set.for_role(point.key, locale)
        else:
            item = instrument.item(point.key) if point.kind is FocusKind.ITEM else None
            dimension = item.dimension if item else point.key
            found[point.id] = prompt_set.for_dimension(dimension, locale)
    return found


@bp.post("/<int:round_id>/focus")
@login_required
def add_focus(round_id: int):
    feedback_round = _own_round_or_404(round_id)
    form = FocusForm()
    if form.validate_on_submit():
        kind, _sep, key = (form.focus.data or "").partition(":")
        try:
            point = plans.add_focus_point(current_user, feedback_round, kind, key,
                                          form.intention.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Focus point added. Now write down what you will do."), "success")
            return _back(feedback_round, f"focus-{point.id}")
    return _page(feedback_round, focus_form=form, status=422)


@bp.post("/<int:round_id>/focus/<int:focus_id>")
@login_required
def update_focus(round_id: int, focus_id: int):
    feedback_round = _own_round_or_404(round_id)
    form = IntentionForm()
    if form.validate_on_submit():
        try:
            plans.update_intention(current_user, feedback_round, focus_id, form.intention.data)
        except LookupError:
            abort(404)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return _back(feedback_round, f"focus-{focus_id}")
    return _page(feedback_round, failed=(focus_id, form), status=422)


@bp.post("/<int:round_id>/focus/<int:focus_id>/remove")
@login_required
def remove_focus(round_id: int, focus_id: int):
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        try:
            plans.remove_focus_point(current_user, feedback_round, focus_id)
        except LookupError:
            abort(404)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Focus point removed, with its actions."), "success")
    return _back(feedback_round)


@bp.post("/<int:round_id>/focus/<int:focus_id>/actions")
@login_required
def add_action(round_id: int, focus_id: int):
    feedback_round = _own_round_or_404(round_id)
    form = PlanActionForm()
    if form.validate_on_submit():
        try:
            plans.add_action(current_user, feedback_round, focus_id, form.text.data,
                             form.target_date.data)
        except LookupError:
            abort(404)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Action added."), "success")
            return _back(feedback_round, f"focus-{focus_id}")
    return _page(feedback_round, failed=(focus_id, form), status=422)


@bp.post("/<int:round_id>/actions/<int:action_id>/done")
@login_required
def mark_action(round_id: int, action_id: int):
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        done = request.form.get("done") == "1"
        try:
            action = plans.mark_action(current_user, feedback_round, action_id, done)
        except LookupError:
            abort(404)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            return _back(feedback_round, f"focus-{action.focus_point_id}")
    return _back(feedback_round)


@bp.post("/<int:round_id>/actions/<int:action_id>/remove")
@login_required
def remove_action(round_id: int, action_id: int):
    feedback_round = _own_round_or_404(round_id)
    if ActionForm().validate_on_submit():
        try:
            plans.remove_action(current_user, feedback_round, action_id)
        except LookupError:
            abort(404)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Action removed."), "success")
    return _back(feedback_round)


@bp.post("/<int:round_id>/comments")
@login_required
def comment(round_id: int):
    """A coach's comment on the plan."""
    feedback_round = _readable_round_or_404(round_id)
    if not current_user.is_coach or feedback_round.advisor_id == current_user.id:
        abort(404)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            plans.comment(current_user, feedback_round, form.text.data)
        except LookupError:
            abort(404)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Comment saved. %(name)s reads it on this page.",
                    name=feedback_round.advisor.name), "success")
            return _back(feedback_round, "comments")
    return _page(feedback_round, comment_form=form, status=422)
