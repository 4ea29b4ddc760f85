"""Account pages."""

from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from pib360.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from pib360.auth.login import remembered
from pib360.background import after_response
from pib360.extensions import limiter
from pib360.forms import apply_errors, safe_next
from pib360.services import ServiceError, accounts

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    """Create an advisor account."""
    if not current_app.config["PIB360_ALLOW_REGISTRATION"]:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, form.name.data, form.password.data,
                language=session.get("language", current_app.config["BABEL_DEFAULT_LOCALE"]),
            )
        except ServiceError as error:
            apply_errors(form, error)
        else:
            login_user(user)
            flash(_("Welcome to pib360, %(name)s.", name=user.name), "success")
            # E.g. back to a group's join link that sent the visitor here.
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr)
        except accounts.LoginThrottled as error:
            apply_errors(form, error)
            return render_template("auth/login.html", form=form), 429
        if user is None:
            form.form_errors.append(_("The e-mail address or password is not correct."))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out here and on every other device."""
    accounts.end_sessions(current_user)
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a password reset link by e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # After the response: how long it takes must not tell whether an account exists.
        after_response(partial(accounts.request_password_reset, form.email.data))
        flash(
            _("If an account exists for %(email)s, we have sent it a link to choose a new "
              "password. The link works once, for a limited time.", email=form.email.data),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through an e-mailed link."""
    return _choose_password(
        token, accounts.user_for_reset_token, accounts.reset_password,
        _("Your password has been changed. Log in with your new password."),
        "auth/reset_password.html")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """An invited coach chooses the password of their new account."""
    return _choose_password(
        token, accounts.user_for_invitation_token, accounts.accept_invitation,
        _("Your password has been set. Log in with your e-mail address and this password."),
        "auth/welcome.html")


def _choose_password(token: str, user_for, set_password, done: str, template: str):
    """A page reached through an e-mailed link (a reset, a coach's invitation) where its
    user chooses a password: a dead link goes back to "forgot password" with the reason."""
    try:
        user = user_for(token)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(token, form.password.data)
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for("auth.forgot_password"))
        flash(done, "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            # The new session version ended every session, this one included: renew it.
            login_user(current_user._get_current_object(), remember=remembered())
            flash(_("Your password has been changed. Other devices have been logged out."),
                  "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        accounts.update_profile(current_user, form.name.data, form.language.data)
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.post("/language")
def set_language():
    """Switch the language of the site for a visitor who is not logged in."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.update_profile(current_user, current_user.name, form.language.data)
        else:
            session["language"] = form.language.data
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
