"""Prompts files: load one, validate its TOML and build a `PromptSet` from it.

Every failure raises `PromptError` naming the file and the offending entry, in the same
words as the instrument loader, so whoever edits a prompts file sees at once what to fix.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from pib360.domain.instrument import DIMENSIONS, LOCALES, ROLES
from pib360.domain.instrument_file import _File, _id, _version
from pib360.domain.prompts import PromptError, Prompts, PromptSet

_TOP_KEYS = {"id", "version", "instrument", "dimensions", "roles"}
# How many of each a dimension or role offers: enough to choose from, few enough to read.
_COUNTS = {"questions": (3, 4), "suggestions": (2, 4)}

DEFAULT_PROMPTS_PATH = Path(__file__).parent / "prompt_sets" / "pib360-prompts-v1.toml"


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
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path}: not valid TOML: {exc}") from exc
    return parse_prompts(data, source=str(path))


class _PromptsFile(_File):
    """The instrument loader's typed reads, failing with `PromptError` instead."""

    def fail(self, entry: str, problem: str) -> NoReturn:
        raise PromptError(f"{self.source}: {entry}: {problem}")


def parse_prompts(data: dict, source: str) -> PromptSet:
    """Validate parsed TOML `data` read from `source` and build the prompt set."""
    file = _PromptsFile(source)
    file.only(data, _TOP_KEYS, "top level")
    prompt_set_id = _id(file, file.get(data, "id", str, "top level"), "top level")
    version = _version(file, data)
    instrument_id = file.get(data, "instrument", str, "top level")
    _id(file, instrument_id, "top level 'instrument'")
    prompts: dict[tuple[str, str], Prompts] = {}
    for key, expected in (("dimensions", DIMENSIONS), ("roles", ROLES)):
        table = file.get(data, key, dict, "top level")
        file.keys(table, expected, key[:-1], key)
        for name in expected:
            section = file.get(table, name, dict, key)
            prompts.update(_section(file, section, name, f"{key}.{name}"))
    return PromptSet(
        id=prompt_set_id,
        version=version,
        instrument_id=instrument_id,
        prompts=MappingProxyType(prompts),
    )


def _section(file: _File, table: dict, name: str, entry: str) -> dict[tuple[str, str], Prompts]:
    file.only(table, set(_COUNTS), entry)
    texts = {kind: _texts(file, table, kind, entry) for kind in _COUNTS}
    return {
        (name, locale): Prompts(
            questions=tuple(text[locale] for text in texts["questions"]),
            suggestions=tuple(text[locale] for text in texts["suggestions"]),
        )
        for locale in LOCALES
    }


def _texts(file: _File, table: dict, kind: str, entry: str) -> list[dict[str, str]]:
    texts = file.get(table, kind, list, entry)
    low, high = _COUNTS[kind]
    if not low <= len(texts) <= high:
        file.fail(entry, f"{len(texts)} {kind}; expected {low} to {high}")
    for index, text in enumerate(texts):
        _translations(file, text, f"{entry}.{kind}[{index}]")
    return texts


def _translations(file: _File, text: object, entry: str) -> None:
    if not isinstance(text, dict):
        file.fail(entry, f"must be a table with {' and '.join(LOCALES)}, not {text!r}")
    for locale in text:
        if locale not in LOCALES:
            file.fail(entry, f"unknown locale {locale!r}; expected one of {', '.join(LOCALES)}")
    for locale in LOCALES:
        if locale not in text:
            file.fail(entry, f"missing translation {locale!r}")
        if not file.get(text, locale, str, entry).strip():
            file.fail(entry, f"empty translation {locale!r}")
