"""Which instrument a round uses (the default, or the version it was opened with), the
instruments an admin installs, and the reflection prompts written for an instrument.

Instruments come from two places: the files shipped in the package and the files an admin
uploaded (table `installed_instrument`). A published version never changes, so each is
parsed once per process and kept by (id, version); which one is the default is read from
the database every time, so a choice made in one server process holds in all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from pib360.database import use_case
from pib360.domain.instrument import Instrument, InstrumentError
from pib360.domain.instrument_file import (
    DEFAULT_INSTRUMENT_PATH,
    load_instrument,
    parse_instrument_text,
)
from pib360.domain.prompts import PromptSet
from pib360.domain.prompts_file import load_prompts
from pib360.extensions import db
from pib360.models import DefaultInstrument, InstalledInstrument, User
from pib360.services import ServiceError

MAX_FILE_SIZE = 256 * 1024  # the shipped instrument is about 16 kB
MAX_ID, MAX_VERSION = 50, 20  # the columns a round keeps them in
# Ids and versions appear in addresses (/admin/instruments/<id>/<version>) and file names.
_NAME = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Installed:
    """One installed instrument version, for the admin's list."""

    instrument: Instrument
    shipped: bool
    installed_at: datetime | None
    is_default: bool


@cache
def _shipped() -> dict[tuple[str, str], Instrument]:
    # Instrument files are immutable once published, so reading them once is enough.
    instruments = {}
    for path in sorted(DEFAULT_INSTRUMENT_PATH.parent.glob("*.toml")):
        instrument = load_instrument(path)
        instruments[instrument.id, instrument.version] = instrument
    return instruments


def _stored_cache() -> dict[tuple[str, str], Instrument]:
    # Kept on the app, not the module: an app (a test's, say) on another database has
    # other uploads.
    return current_app.extensions.setdefault("pib360.instruments", {})


def current() -> Instrument:
    """The instrument new rounds use: the latest admin's choice, else the shipped default."""
    choice = db.session.execute(
        db.select(DefaultInstrument.instrument_id, DefaultInstrument.version)
        .order_by(DefaultInstrument.id.desc()).limit(1)
    ).first()
    return load_instrument() if choice is None else get(*choice)


def get(instrument_id: str, version: str) -> Instrument:
    """A published instrument by id and version; a round keeps its version forever."""
    key = (instrument_id, version)
    instrument = _shipped().get(key) or _stored_cache().get(key)
    if instrument is not None:
        return instrument
    source = db.session.execute(
        db.select(InstalledInstrument.source).where(
            InstalledInstrument.instrument_id == instrument_id,
            InstalledInstrument.version == version)
    ).scalar()
    if source is None:
        raise LookupError(f"instrument {instrument_id} {version} is not installed")
    instrument = parse_instrument_text(source, f"{instrument_id} {version}")
    _stored_cache()[key] = instrument
    return instrument


def for_round(feedback_round) -> Instrument:
    """The instrument a round is asked with."""
    return get(feedback_round.instrument_id, feedback_round.instrument_version)


def installed() -> list[Installed]:
    """Every installed version, shipped and uploaded, ordered by id and version."""
    default = current()
    uploads = db.session.execute(
        db.select(InstalledInstrument.instrument_id, InstalledInstrument.version,
                  InstalledInstrument.installed_at)).all()
    found = {key: Installed(instrument, True, None, key == (default.id, default.version))
             for key, instrument in _shipped().items()}
    for instrument_id, version, installed_at in uploads:
        key = (instrument_id, version)
        found[key] = Installed(get(*key), False, installed_at, key == (default.id, default.version))
    return [found[key] for key in sorted(found)]


class InstrumentRefused(ServiceError):
    """An uploaded instrument file that cannot be installed; `line` where that is known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__({"file": [message]})
        self.line = line


@use_case
def install(data: bytes, filename: str, admin: User | None,
            make_default: bool = False) -> Instrument:
    """Validate an instrument file and store it, as the default for new rounds if asked.

    Refuses a file that is too large, not UTF-8, does not validate, or whose id and
    version are installed already; a refused file stores nothing.
    """
    if len(data) > MAX_FILE_SIZE:
        raise InstrumentRefused(_("The file is too large (at most %(size)d kB).",
                                  size=MAX_FILE_SIZE // 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentRefused(_("The file is not UTF-8 text: save it as UTF-8 and try "
                                  "again.")) from None
    filename = filename[:200] or "upload.toml"
    try:
        instrument = parse_instrument_text(text, filename)
    except InstrumentError as error:
        if error.line is None:
            message = _("This is not a valid questionnaire file: %(detail)s", detail=str(error))
        else:
            message = _("This is not a valid questionnaire file. Line %(line)d: %(detail)s",
                        line=error.line, detail=str(error))
        raise InstrumentRefused(message, error.line) from None
    if (len(instrument.id) > MAX_ID or len(instrument.version) > MAX_VERSION
            or not _NAME.fullmatch(instrument.id) or not _NAME.fullmatch(instrument.version)):
        raise InstrumentRefused(_(
            "The id (at most %(id)d characters) and the version (at most %(version)d) may "
            "only hold letters, digits, dots, hyphens and underscores.",
            id=MAX_ID, version=MAX_VERSION))
    if _is_installed(instrument.id, instrument.version):
        raise _already_installed(instrument)
    db.session.add(InstalledInstrument(
        instrument_id=instrument.id, version=instrument.version, filename=filename,
        source=text, installed_by_id=admin.id if admin else None))
    try:
        db.session.flush()
    except IntegrityError:  # the same version, installed at this very moment elsewhere
        raise _already_installed(instrument) from None
    if make_default:
        make_default_instrument(admin, instrument.id, instrument.version)
    return instrument


def _is_installed(instrument_id: str, version: str) -> bool:
    return (instrument_id, version) in _shipped() or db.session.execute(
        db.select(InstalledInstrument.id).where(
            InstalledInstrument.instrument_id == instrument_id,
            InstalledInstrument.version == version)
    ).first() is not None


def _already_installed(instrument: Instrument) -> InstrumentRefused:
    return InstrumentRefused(_(
        "Questionnaire %(id)s version %(version)s is installed already, and a published "
        "version never changes. Give the new file another version.",
        id=instrument.id, version=instrument.version))


@use_case
def make_default_instrument(admin: User | None, instrument_id: str, version: str) -> Instrument:
    """Make an installed version the instrument of new rounds; open rounds keep theirs."""
    try:
        instrument = get(instrument_id, version)
    except LookupError:
        raise ServiceError(_("There is no questionnaire %(id)s version %(version)s.",
                             id=instrument_id, version=version)) from None
    db.session.add(DefaultInstrument(instrument_id=instrument.id, version=instrument.version,
                                     chosen_by_id=admin.id if admin else None))
    return instrument


def prompts_for(instrument: Instrument) -> PromptSet | None:
    """The reflection prompts written for this instrument, if there are any."""
    prompt_set = load_prompts()  # cached: the shipped file is read once
    return prompt_set if prompt_set.instrument_id == instrument.id else None
