"""Reflection prompts per trust dimension and advisor role, loaded from a versioned file.

A report is the start of a conversation: for the dimension or role an advisor chooses to
work on, a prompt set offers reflection questions and practical suggestions. They are
content, kept in a TOML file under `prompt_sets/` beside the instrument, and validated when
loaded.

Public API (loading lives in `prompts_file`: `load_prompts(path=None)`, the shipped
prompt set when None, and `DEFAULT_PROMPTS_PATH`):
- `PromptSet`: a validated prompt set with `id`, `version` and `instrument_id`;
  `for_dimension(dimension, locale)` and `for_role(role, locale)` return its `Prompts`.
- `Prompts`: the `questions` and `suggestions` for one dimension or role in one language.
- `PromptError`: a file that does not validate; the message names the file and the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pib360.domain.instrument import DIMENSIONS, LOCALES, ROLES, _check


class PromptError(ValueError):
    """A prompts file that does not validate; the message names the file and the entry."""


@dataclass(frozen=True)
class Prompts:
    """Reflection questions and practical suggestions for one dimension or role, one language."""

    questions: tuple[str, ...]
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class PromptSet:
    """A validated, immutable version of the reflection prompts (see prompts_file)."""

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
