"""The privacy statement (for everyone, clients too) and "your data" (an account's own)."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from pib360.forms import apply_errors
from pib360.privacy.forms import DeleteAccountForm
from pib360.services import ServiceError, privacy

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
def notice():
    """What pib360 stores, why, for how long, and who can see it."""
    # The survey links here with its round's language (`lang`), whatever the visitor chose.
    language = request.args.get("lang")
    months = current_app.config["RETENTION_MONTHS"]
    if language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            return render_template("privacy/notice.html", months=months, language=language)
    return render_template("privacy/notice.html", months=months, language=None)


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
def account():
    """Download everything about you, or delete your account."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(current_user._get_current_object(), form.password.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            logout_user()
            flash(_("Your account and everything of it have been deleted. A mail to your "
                    "address confirms it."), "success")
            return redirect(url_for("main.index"))
    return render_template("privacy/account.html", form=form)


@bp.route("/account/data/pib360-export.zip")
@login_required
def export():
    """Everything pib360 holds about you, as one ZIP file."""
    response = Response(privacy.export_archive(current_user), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="pib360-export.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response
