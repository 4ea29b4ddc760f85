"""The questionnaire: items, what they measure, and their texts (loaded from a versioned
file by `instrument_file`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

DIMENSIONS = ("credibility", "reliability", "intimacy", "self_orientation")
ROLES = ("expert", "expert_plus", "valued_helper", "trusted_advisor")
PERSPECTIVES = ("self", "client")
LOCALES = ("nl", "en")
KINDS = ("scale", "choice", "text")

T = TypeVar("T")

def _empty() -> Mapping:
    return MappingProxyType({})


class InstrumentError(ValueError):
    """An instrument file that does not validate; the message names the file and the entry.

    `entry` is the offending entry ("items[3] 'x'", "scale.labels.nl"), `line` the line of
    the file it starts on, when that is known.
    """

    def __init__(self, message: str, entry: str | None = None, line: int | None = None):
        super().__init__(message)
        self.entry = entry
        self.line = line


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")


@dataclass(frozen=True)
class Label:
    """A translated name and plain-language description of a dimension or role."""

    name: str
    description: str


@dataclass(frozen=True)
class Item:
    """One question. Scale items measure a dimension and/or a role; choice and text do not."""

    id: str
    kind: str
    dimension: str | None = None
    role: str | None = None
    reverse: bool = False
    # (perspective, locale) -> text. Mappings are read-only and left out of the hash.
    texts: Mapping[tuple[str, str], str] = field(default_factory=_empty, hash=False, repr=False)
    options: tuple[str, ...] = ()
    # (option, locale) -> label, for the choice item.
    option_labels: Mapping[tuple[str, str], str] = field(
        default_factory=_empty, hash=False, repr=False
    )
    max_length: int | None = None

    def text(self, perspective: str, locale: str) -> str:
        """The question as put to `perspective` ("self" or "client") in `locale`."""
        _check(perspective, PERSPECTIVES, "perspective")
        _check(locale, LOCALES, "locale")
        return self.texts[perspective, locale]

    def option_label(self, option: str, locale: str) -> str:
        """The label of one option of a choice item, in `locale`."""
        _check(option, self.options, f"option of item {self.id!r}:")
        _check(locale, LOCALES, "locale")
        return self.option_labels[option, locale]


@dataclass(frozen=True)
class Instrument:
    """A validated, immutable questionnaire version (see instrument_file)."""

    id: str
    version: str
    scale_min: int
    scale_max: int
    items: tuple[Item, ...]
    # (value, locale) -> label; only some values have one (at least min and max).
    scale_labels: Mapping[tuple[int, str], str] = field(
        default_factory=_empty, hash=False, repr=False
    )
    cannot_judge_labels: Mapping[str, str] = field(default_factory=_empty, hash=False, repr=False)
    dimension_labels: Mapping[tuple[str, str], Label] = field(
        default_factory=_empty, hash=False, repr=False
    )
    role_labels: Mapping[tuple[str, str], Label] = field(
        default_factory=_empty, hash=False, repr=False
    )

    @cached_property
    def _by_id(self) -> Mapping[str, Item]:
        return MappingProxyType({item.id: item for item in self.items})

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None when the instrument has no such item."""
        return self._by_id.get(item_id)

    @property
    def scale_items(self) -> tuple[Item, ...]:
        """The scale items, in questionnaire order."""
        return tuple(item for item in self.items if item.kind == "scale")

    @property
    def choice_item(self) -> Item | None:
        """The single choice item ("which role describes this advisor best"), if any."""
        return next((item for item in self.items if item.kind == "choice"), None)

    @property
    def text_items(self) -> tuple[Item, ...]:
        """The open questions, in questionnaire order; answering them is optional."""
        return tuple(item for item in self.items if item.kind == "text")

    @property
    def scale_values(self) -> range:
        """The answer values of the scale, lowest first ("cannot judge" is not one of them)."""
        return range(self.scale_min, self.scale_max + 1)

    def reverse_score(self, value: T) -> T:
        """The score of `value` on a reverse-scored item: scale_min + scale_max - value."""
        # Written as plain arithmetic so it serves scalars and numpy arrays alike.
        return self.scale_min + self.scale_max - value

    def dimension_items(self, dimension: str) -> tuple[Item, ...]:
        """The scale items that measure `dimension`, in questionnaire order."""
        _check(dimension, DIMENSIONS, "dimension")
        return tuple(item for item in self.scale_items if item.dimension == dimension)

    def role_items(self, role: str) -> tuple[Item, ...]:
        """The scale items that measure `role`, in questionnaire order."""
        _check(role, ROLES, "role")
        return tuple(item for item in self.scale_items if item.role == role)

    def dimension_label(self, dimension: str, locale: str) -> str:
        """The display name of a trust dimension."""
        return self._label(self.dimension_labels, dimension, DIMENSIONS, "dimension", locale).name

    def dimension_description(self, dimension: str, locale: str) -> str:
        """A one- or two-sentence plain-language description of a trust dimension."""
        labels = self.dimension_labels
        return self._label(labels, dimension, DIMENSIONS, "dimension", locale).description

    def role_label(self, role: str, locale: str) -> str:
        """The display name of an advisor role."""
        return self._label(self.role_labels, role, ROLES, "role", locale).name

    def role_description(self, role: str, locale: str) -> str:
        """A one- or two-sentence plain-language description of an advisor role."""
        return self._label(self.role_labels, role, ROLES, "role", locale).description

    def scale_label(self, value: int, locale: str) -> str | None:
        """The anchor label of a scale value, or None for a value without one."""
        _check(locale, LOCALES, "locale")
        return self.scale_labels.get((value, locale))

    def cannot_judge_label(self, locale: str) -> str:
        """The label of the "cannot judge" answer."""
        _check(locale, LOCALES, "locale")
        return self.cannot_judge_labels[locale]

    @staticmethod
    def _label(labels: Mapping, key: str, allowed: tuple[str, ...], what: str, locale: str):
        _check(key, allowed, what)
        _check(locale, LOCALES, "locale")
        return labels[key, locale]


@dataclass(frozen=True)
class TrustQuotientScale:
    """Where a trust quotient can lie: (credibility + reliability + intimacy) / self-
    orientation runs from 3 x lowest / highest to 3 x highest / lowest; at `balanced` the
    three that build trust weigh as much, on average, as the self-orientation that breaks
    it down."""

    lowest: float
    balanced: float
    highest: float


def trust_quotient_scale(instrument: Instrument) -> TrustQuotientScale:
    """The range of the trust quotient on the instrument's scale, and its balance point."""
    low, high = instrument.scale_min, instrument.scale_max
    return TrustQuotientScale(lowest=3 * low / high, balanced=3.0, highest=3 * high / low)
