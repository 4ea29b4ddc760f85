"""Development helpers: the outbox page, so local mail links can be clicked."""

from flask import Blueprint, abort, current_app, render_template

from pib360.extensions import db
from pib360.models import OutboxMessage

bp = Blueprint("dev", __name__)


@bp.before_request
def debug_only():
    """Exists only in the development configuration, running in debug mode."""
    if not (current_app.debug and current_app.config["PIB360_CONFIG"] == "development"):
        abort(404)


@bp.route("/outbox")
def outbox():
    """The latest messages in the outbox, newest first."""
    messages = db.session.execute(
        db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).scalars()
    return render_template("dev/outbox.html", messages=list(messages))
