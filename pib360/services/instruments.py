"""Which instrument a round uses (the current default, or the version it was opened with),
and the reflection prompts written for it."""

from functools import cache

from pib360.domain.instrument import Instrument
from pib360.domain.instrument_file import DEFAULT_INSTRUMENT_PATH, load_instrument
from pib360.domain.prompts import PromptSet
from pib360.domain.prompts_file import load_prompts


@cache
def _all() -> dict[tuple[str, str], Instrument]:
    # Instrument files are immutable once published, so reading them once is enough.
    instruments = {}
    for path in sorted(DEFAULT_INSTRUMENT_PATH.parent.glob("*.toml")):
        instrument = load_instrument(path)
        instruments[instrument.id, instrument.version] = instrument
    return instruments


def current() -> Instrument:
    """The instrument new rounds use."""
    return load_instrument()


def get(instrument_id: str, version: str) -> Instrument:
    """A published instrument by id and version; a round keeps its version forever."""
    try:
        return _all()[instrument_id, version]
    except KeyError:
        raise LookupError(f"instrument {instrument_id} {version} is not installed") from None


def for_round(feedback_round) -> Instrument:
    """The instrument a round is asked with."""
    return get(feedback_round.instrument_id, feedback_round.instrument_version)


def prompts_for(instrument: Instrument) -> PromptSet | None:
    """The reflection prompts written for this instrument, if there are any."""
    prompt_set = load_prompts()  # cached: the shipped file is read once
    return prompt_set if prompt_set.instrument_id == instrument.id else None
