"""Sharing pages for the advisor: coaches who may read the reports, groups, join links."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pib360 import request_state
from pib360.auth.login import role_required
from pib360.extensions import limiter, login_manager
from pib360.forms import ActionForm, apply_errors
from pib360.models import Role
from pib360.services import ServiceError, cohorts, sharing
from pib360.sharing.forms import ShareForm

bp = Blueprint("sharing", __name__)

advisor_only = role_required(Role.ADVISOR)


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])  # the answer tells which addresses coach
@advisor_only
def index():
    """The coaches who may read your reports and your groups; share with a coach."""
    form = ShareForm()
    if form.validate_on_submit():
        try:
            share = sharing.share_with_coach(current_user, form.email.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("%(name)s can now read your reports, and has been told by e-mail.",
                    name=share.coach.name), "success")
            return redirect(url_for("sharing.index"))
    return render_template(
        "sharing/index.html", form=form, shares=sharing.shares_of(current_user),
        cohorts=cohorts.memberships(current_user),
    )


@bp.post("/<int:share_id>/revoke")
@advisor_only
def revoke(share_id: int):
    """Stop sharing with a coach; their access ends at once."""
    if ActionForm().validate_on_submit():
        try:
            coach = sharing.revoke(current_user, share_id)
        except LookupError:
            abort(404)
        flash(_("%(name)s can no longer read your reports.", name=coach.name), "success")
    return redirect(url_for("sharing.index"))


@bp.post("/groups/<int:cohort_id>/leave")
@advisor_only
def leave(cohort_id: int):
    """Leave a coach's group (sharing with the coach stays until you revoke it)."""
    if ActionForm().validate_on_submit():
        try:
            cohort = cohorts.leave(current_user, cohort_id)
        except LookupError:
            abort(404)
        flash(_("You have left the group %(name)s.", name=cohort.name), "success")
    return redirect(url_for("sharing.index"))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Join a coach's group through an e-mailed link: log in (or register), then confirm."""
    request_state.mark_private()  # the link is personal: never cache what it shows
    invitation = cohorts.invitation_for(token)
    if invitation is None:
        abort(404)  # an unknown or used link says nothing about any group
    if request.method == "POST":
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role is not Role.ADVISOR:
            abort(403)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            cohort = cohorts.join(current_user, token)
        except LookupError:
            abort(404)
        flash(_("You joined the group %(group)s. %(coach)s can now read your reports.",
                group=cohort.name, coach=cohort.coach.name), "success")
        return redirect(url_for("sharing.index"))
    return render_template("sharing/join.html", cohort=invitation.cohort, form=form)
