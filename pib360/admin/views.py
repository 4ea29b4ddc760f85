"""Admin pages: list users, change a role, deactivate, invite a coach."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pib360.admin.forms import ROLE_LABELS, ActiveForm, InviteCoachForm, RoleForm
from pib360.auth.login import role_required
from pib360.extensions import db
from pib360.forms import apply_errors
from pib360.models import Role, User
from pib360.routing import query_int
from pib360.services import ServiceError, accounts

bp = Blueprint("admin", __name__)


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    """Every account, fifty to a page."""
    page = db.paginate(db.select(User).order_by(User.email), page=query_int("page", 1),
                       per_page=50)
    return render_template(
        "admin/users.html", page=page, role_form=RoleForm(), active_form=ActiveForm(),
        role_labels=ROLE_LABELS,
    )


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    """Give a user another role."""
    page = query_int("page", 1)
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.set_role(current_user, user, Role(form.role.data))
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("%(email)s is now: %(role)s.", email=user.email,
                    role=ROLE_LABELS[user.role]), "success")
    else:
        flash(_("Choose one of the roles."), "error")
    return redirect(url_for("admin.users", page=page))


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle_active(user_id: int):
    """Deactivate or reactivate an account."""
    page = query_int("page", 1)
    user = db.get_or_404(User, user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        try:
            accounts.set_active(current_user, user, form.active.data == "1")
        except ServiceError as error:
            flash(str(error), "error")
        else:
            message = _("%(email)s can log in again.") if user.active else _(
                "%(email)s has been deactivated and logged out.")
            flash(message % {"email": user.email}, "success")
    return redirect(url_for("admin.users", page=page))


@bp.get("/users/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def confirm_deactivate(user_id: int):
    """Ask before deactivating an account: its owner is logged out at once."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id or not user.active:
        return redirect(url_for("admin.users"))
    return render_template("admin/deactivate.html", user=user, form=ActiveForm(active="0"),
                           page=query_int("page", 1))


@bp.route("/coaches/invite", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite_coach():
    """Make a coach's account and e-mail them a link to choose its password."""
    form = InviteCoachForm(language=current_user.language)
    if form.validate_on_submit():
        try:
            coach = accounts.invite_coach(current_user, form.email.data, form.name.data,
                                          form.language.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("%(email)s has been invited as a coach and can choose a password with the "
                    "link in the e-mail.", email=coach.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/invite_coach.html", form=form)
