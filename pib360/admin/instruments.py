"""Admin pages for questionnaires: the installed versions, installing a file, a preview
in either voice and language, and the choice of the default for new rounds."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pib360.admin.forms import InstallInstrumentForm
from pib360.admin.views import bp
from pib360.auth.login import role_required
from pib360.forms import ActionForm, apply_errors
from pib360.models import Role
from pib360.services import ServiceError, instruments, questionnaire

VOICES = ("client", "self")
LANGUAGES = ("nl", "en")


@bp.get("/instruments")
@role_required(Role.ADMIN)
def instruments_index():
    """The installed questionnaire versions, and which one new rounds use."""
    return render_template("admin/instruments.html", installed=instruments.installed(),
                           form=ActionForm())


@bp.route("/instruments/install", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def install_instrument():
    """Upload a questionnaire file; it is checked and stored whole, or not at all."""
    form = InstallInstrumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            # One byte more than allowed is enough to tell that a file is too large.
            instrument = instruments.install(
                upload.read(instruments.MAX_FILE_SIZE + 1), upload.filename or "",
                current_user, form.make_default.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Questionnaire %(id)s version %(version)s is installed.",
                    id=instrument.id, version=instrument.version), "success")
            return redirect(url_for("admin.preview_instrument", instrument_id=instrument.id,
                                    version=instrument.version))
    return render_template("admin/install_instrument.html", form=form)


@bp.get("/instruments/<instrument_id>/<version>")
@role_required(Role.ADMIN)
def preview_instrument(instrument_id: str, version: str):
    """The questionnaire as a client or as the advisor answers it, in either language."""
    try:
        instrument = instruments.get(instrument_id, version)
    except LookupError:
        abort(404)
    voice = request.args.get("voice") if request.args.get("voice") in VOICES else "client"
    language = request.args.get("lang") if request.args.get("lang") in LANGUAGES else "nl"
    current = instruments.current()
    return render_template(
        "admin/preview_instrument.html", instrument=instrument, voice=voice,
        language=language, pages=questionnaire.pages(instrument), form=ActionForm(),
        is_default=(current.id, current.version) == (instrument.id, instrument.version),
        has_prompts=instruments.prompts_for(instrument) is not None,
    )


@bp.post("/instruments/<instrument_id>/<version>/default")
@role_required(Role.ADMIN)
def make_default_instrument(instrument_id: str, version: str):
    """Make this version the questionnaire of new rounds; existing rounds keep theirs."""
    form = ActionForm()
    if form.validate_on_submit():
        try:
            instruments.make_default_instrument(current_user, instrument_id, version)
        except ServiceError:
            abort(404)
        flash(_("New rounds now use questionnaire %(id)s version %(version)s. Existing rounds "
                "keep the version they were opened with.", id=instrument_id, version=version),
              "success")
    return redirect(url_for("admin.instruments_index"))
