"""Reflection prompts per trust dimension and advisor role, loaded from a versioned file.

A report is the start of a conversation: for the dimension or role an advisor chooses to
work on, a prompt set offers reflection questions and practical suggestions. They are
content, kept in a TOML file under `prompt_sets/` beside the instrument, and validated when
loaded.

Public API:
- `load_prompts(path=None)`: load and validate a prompts file; the shipped one when None.
- `PromptSet`: a validated prompt set with `id`, `version` and `instrument_id`;
  `for_dimension(dimension, locale)` and `for_role(role, locale)` return its `Prompts`.
- `Prompts`: the `questions` and `suggestions` for one dimension or role in one language.
- `PromptError`: a file that does not validate; the message names the file and the entry.
- `DEFAULT_PROMPTS_PATH`: the shipped prompts file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from pib360.domain.instrument import DIMENSIONS, LOCALES, ROLES, _check

DEFAULT_PROMPTS_PATH = Path(__file__).parent / "prompt_sets" / "pib360-prompts-v1.toml"


class PromptError(ValueError):
    """A prompts file that does not validate; the message names the file and the entry."""


@dataclass(frozen=True)
class Prompts:
    """Reflection questions and practical suggestions for one dimension or role, one language."""

    questions: tuple[str, ...]
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class PromptSet:
    """A validated, immutable version of the reflection prompts. Build it with `load_prompts`."""

    id: str
    version: str
    instrument_id: str
    # (dimension or role id, locale) -> Prompts. Read-only and left out of the hash.
    prompts: Mapping[tuple[str, str], Prompts] = field(
        default_factory=lambda: MappingProxyType({}), hash=False, repr=False
    )

    def for_dimension(self, dimension: str, locale: str) -> Prompts:
        """The prompts for a trust dimension, in `locale`."""
        _check(dimension, DIMENSIONS, "dimension")
        _check(locale, LOCALES, "locale")
        return self.prompts[dimension, locale]

    def for_role(self, role: str, locale: str) -> Prompts:
        """The prompts for an advisor role, in `locale`."""
        _check(role, ROLES, "role")
        _check(locale, LOCALES, "locale")
        return self.prompts[role, locale]


def load_prompts(path: str | os.PathLike[str] | None = None) -> PromptSet:
    """Load and validate a prompts file; the shipped prompt set when `path` is None."""
    if path is None:
        return _default_prompts()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_prompts() -> PromptSet:
    # The shipped file never changes while the process runs, so parse it once.
    return _load(DEFAULT_PROMPTS_PATH)


def _load(path: Path) -> PromptSet:
    # Imported here: the parser builds the classes above, so it imports this module.
    from pib360.domain._prompts_file import parse_prompts

    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path}: not valid TOML: {exc}") from exc
    return parse_prompts(data, source=str(path))
