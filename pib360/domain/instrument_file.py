"""Instrument files: load one, validate its TOML and build an `Instrument` from it.

Every failure raises `InstrumentError` naming the file and the offending entry, so whoever
edits an instrument file sees at once what to fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from pib360.domain.instrument import (
    DIMENSIONS,
    KINDS,
    LOCALES,
    PERSPECTIVES,
    ROLES,
    Instrument,
    InstrumentError,
    Item,
    Label,
)

DEFAULT_INSTRUMENT_PATH = Path(__file__).parent / "instruments" / "pib360-v1.toml"


def load_instrument(path: str | os.PathLike[str] | None = None) -> Instrument:
    """Load and validate an instrument file; the default instrument when `path` is None."""
    if path is None:
        return _default_instrument()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_instrument() -> Instrument:
    # The shipped file never changes while the process runs, so parse it once.
    return _load(DEFAULT_INSTRUMENT_PATH)


def _load(path: Path) -> Instrument:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"{path}: not valid TOML: {exc}", line=_toml_line(exc)) from exc
    return parse_instrument(data, source=str(path))


def parse_instrument_text(text: str, source: str) -> Instrument:
    """Validate the text of an instrument file (an upload, say) and build the instrument.

    The `InstrumentError` it raises carries the line the problem is on where that can be
    told: the line of a TOML syntax error, or the header of the offending table.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"{source}: not valid TOML: {exc}", line=_toml_line(exc)) from exc
    try:
        return parse_instrument(data, source=source)
    except InstrumentError as error:
        error.line = entry_line(text, error.entry)
        raise


def _toml_line(exc: tomllib.TOMLDecodeError) -> int | None:
    # tomllib (Python 3.11-3.13) only says where in its message: "... (at line 3, column 5)".
    found = re.search(r"at line (\d+)", str(exc))
    return int(found.group(1)) if found else None


def entry_line(text: str, entry: str | None) -> int | None:
    """The line of `text` where the table of a loader entry starts, or None.

    `items[3] ...` is the fourth `[[items]]` header; a dotted entry such as
    `scale.labels.nl` is its own `[header]` or, failing that, its nearest parent's.
    """
    if not entry:
        return None
    lines = text.splitlines()
    item = re.match(r"items\[(\d+)\]", entry)
    if item:
        header = re.compile(r"\s*\[\[\s*items\s*\]\]")
        headers = [number for number, line in enumerate(lines, 1) if header.match(line)]
        index = int(item.group(1))
        return headers[index] if index < len(headers) else None
    parts = entry.split(" ")[0].split(".")
    for end in range(len(parts), 0, -1):
        header = re.compile(r"\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, parts[:end])) + r"\s*\]")
        for number, line in enumerate(lines, 1):
            if header.match(line):
                return number
    return None


_TOP_KEYS = {"id", "version", "scale", "dimensions", "roles", "items"}
_SCALE_KEYS = {"min", "max", "labels", "cannot_judge"}
_ITEM_KEYS = {
    "scale": {"id", "kind", "dimension", "role", "reverse", *PERSPECTIVES},
    "choice": {"id", "kind", "options", "option_labels", *PERSPECTIVES},
    "text": {"id", "kind", "max_length", *PERSPECTIVES},
}
_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    dict: "a table",
    list: "a list",
}


class _File:
    """Typed reads from the parsed TOML that fail with the file and entry in the message."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, entry: str, problem: str) -> NoReturn:
        raise InstrumentError(f"{self.source}: {entry}: {problem}", entry=entry)

    def get(self, table: dict, key: str, kind: type, entry: str, required: bool = True) -> Any:
        if key not in table:
            if required:
                self.fail(entry, f"missing {key!r}")
            return None
        value = table[key]
        # bool is a subclass of int, but `min = true` is not a scale bound.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(entry, f"{key!r} must be {_KIND_NAMES[kind]}, not {value!r}")
        return value

    def only(self, table: dict, allowed: set[str], entry: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            self.fail(entry, f"unknown key {unknown[0]!r}; expected {', '.join(sorted(allowed))}")

    def keys(self, table: dict, expected: tuple[str, ...], what: str, entry: str) -> None:
        for key in table:
            if key not in expected:
                self.fail(entry, f"unknown {what} {key!r}; expected one of {', '.join(expected)}")
        for key in expected:
            if key not in table:
                self.fail(entry, f"missing {what} {key!r}")

    def translations(self, table: dict, key: str, entry: str) -> dict[str, str]:
        texts = self.get(table, key, dict, entry)
        for locale in texts:
            if locale not in LOCALES:
                self.fail(entry, f"unknown locale {key}.{locale}; expected {', '.join(LOCALES)}")
        for locale in LOCALES:
            if not isinstance(texts.get(locale), str) or not texts[locale].strip():
                self.fail(entry, f"missing translation {key}.{locale}")
        return texts


def parse_instrument(data: dict, source: str) -> Instrument:
    """Validate parsed TOML `data` read from `source` and build the instrument."""
    file = _File(source)
    file.only(data, _TOP_KEYS, "top level")
    scale_min, scale_max, scale_labels, cannot_judge = _scale(file, data)
    items = _items(file, data)
    return Instrument(
        id=_id(file, file.get(data, "id", str, "top level"), "top level"),
        version=_version(file, data),
        scale_min=scale_min,
        scale_max=scale_max,
        items=items,
        scale_labels=MappingProxyType(scale_labels),
        cannot_judge_labels=MappingProxyType(cannot_judge),
        dimension_labels=MappingProxyType(_labels(file, data, "dimensions", DIMENSIONS)),
        role_labels=MappingProxyType(_labels(file, data, "roles", ROLES)),
    )


def _id(file: _File, value: str, entry: str) -> str:
    if not value or value != value.strip() or " " in value:
        file.fail(entry, f"id {value!r} must be non-empty and without spaces")
    return value


def _version(file: _File, data: dict) -> str:
    if isinstance(data.get("version"), int | float):
        # A bare 1.0 in TOML is a float; versions are compared as text, so insist on quotes.
        file.fail("top level", f"'version' must be a quoted string, not {data['version']!r}")
    return _id(file, file.get(data, "version", str, "top level"), "top level")


def _scale(file: _File, data: dict) -> tuple[int, int, dict, dict]:
    scale = file.get(data, "scale", dict, "top level")
    file.only(scale, _SCALE_KEYS, "scale")
    low = file.get(scale, "min", int, "scale")
    high = file.get(scale, "max", int, "scale")
    if not 1 <= low < high:
        # The trust quotient divides by the self-orientation score, so it must stay positive.
        file.fail("scale", f"bad scale {low}..{high}: need 1 <= min < max")
    labels = file.get(scale, "labels", dict, "scale")
    file.keys(labels, LOCALES, "locale", "scale.labels")
    scale_labels: dict[tuple[int, str], str] = {}
    for locale in LOCALES:
        entry = f"scale.labels.{locale}"
        for key, label in file.get(labels, locale, dict, "scale.labels").items():
            if not key.isdigit() or not low <= int(key) <= high:
                file.fail(entry, f"bad scale value {key!r}; expected {low}..{high}")
            scale_labels[int(key), locale] = file.get({key: label}, key, str, entry)
        for value in (low, high):
            if (value, locale) not in scale_labels:
                file.fail(entry, f"missing translation for scale value {value}")
    cannot_judge = file.translations(scale, "cannot_judge", "scale")
    return low, high, scale_labels, cannot_judge


def _labels(file: _File, data: dict, key: str, expected: tuple[str, ...]) -> dict:
    table = file.get(data, key, dict, "top level")
    file.keys(table, expected, key[:-1], key)
    labels: dict[tuple[str, str], Label] = {}
    for name in expected:
        entry = f"{key}.{name}"
        file.keys(file.get(table, name, dict, key), LOCALES, "locale", entry)
        for locale in LOCALES:
            text = table[name][locale]
            file.only(text, {"name", "description"}, f"{entry}.{locale}")
            labels[name, locale] = Label(
                name=file.get(text, "name", str, f"{entry}.{locale}"),
                description=file.get(text, "description", str, f"{entry}.{locale}"),
            )
    return labels


def _items(file: _File, data: dict) -> tuple[Item, ...]:
    tables = file.get(data, "items", list, "top level")
    items: list[Item] = []
    first_use: dict[str, int] = {}
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            file.fail(f"items[{index}]", "must be a table ([[items]])")
        item = _item(file, table, index)
        if item.id in first_use:
            file.fail(
                f"items[{index}] {item.id!r}",
                f"duplicate id {item.id!r} (first used by items[{first_use[item.id]}])",
            )
        first_use[item.id] = index
        items.append(item)
    if not any(item.kind == "scale" for item in items):
        file.fail("items", "no scale items")
    if sum(item.kind == "choice" for item in items) > 1:
        file.fail("items", "more than one choice item")
    return tuple(items)


def _item(file: _File, table: dict, index: int) -> Item:
    item_id = _id(file, file.get(table, "id", str, f"items[{index}]"), f"items[{index}]")
    entry = f"items[{index}] {item_id!r}"
    kind = file.get(table, "kind", str, entry)
    if kind not in KINDS:
        file.fail(entry, f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    file.only(table, _ITEM_KEYS[kind], entry)
    texts = {
        (perspective, locale): text
        for perspective in PERSPECTIVES
        for locale, text in file.translations(table, perspective, entry).items()
    }
    fields: dict[str, Any] = {"id": item_id, "kind": kind, "texts": MappingProxyType(texts)}
    if kind == "scale":
        fields.update(_scale_item(file, table, entry))
    elif kind == "choice":
        fields.update(_choice_item(file, table, entry))
    else:
        fields["max_length"] = file.get(table, "max_length", int, entry, required=False)
        if fields["max_length"] is not None and fields["max_length"] < 1:
            file.fail(entry, "'max_length' must be positive")
    return Item(**fields)


def _scale_item(file: _File, table: dict, entry: str) -> dict[str, Any]:
    dimension = file.get(table, "dimension", str, entry, required=False)
    role = file.get(table, "role", str, entry, required=False)
    if dimension is not None and dimension not in DIMENSIONS:
        file.fail(
            entry, f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}"
        )
    if role is not None and role not in ROLES:
        file.fail(entry, f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if dimension is None and role is None:
        file.fail(entry, "a scale item needs a 'dimension', a 'role' or both")
    if dimension == "self_orientation" and role is not None:
        # Higher self-orientation is worse but a higher role score is better: one item score
        # cannot feed both without pulling the role the wrong way.
        file.fail(entry, f"a self_orientation item cannot also carry role {role!r}")
    reverse = file.get(table, "reverse", bool, entry, required=False) or False
    return {"dimension": dimension, "role": role, "reverse": reverse}


def _choice_item(file: _File, table: dict, entry: str) -> dict[str, Any]:
    options = file.get(table, "options", list, entry)
    if not options or len(set(options)) != len(options):
        file.fail(entry, "'options' must be a non-empty list without repeats")
    for option in options:
        if option not in ROLES:
            # Role choices are aggregated per role, so the options are role ids.
            file.fail(
                entry, f"unknown role {option!r} in options; expected one of {', '.join(ROLES)}"
            )
    labels_table = file.get(table, "option_labels", dict, entry)
    file.keys(labels_table, tuple(options), "option", f"{entry}.option_labels")
    labels = {
        (option, locale): text
        for option in options
        for locale, text in file.translations(labels_table, option, entry).items()
    }
    return {"options": tuple(options), "option_labels": MappingProxyType(labels)}
