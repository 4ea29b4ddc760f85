"""The questionnaire as pages of items, and posted answers checked against the instrument.

Shared by the advisor's self-assessment and the clients' survey: the same items, in the
"I ..." or the "My advisor ..." voice.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from pib360.domain.instrument import Instrument, Item
from pib360.models import Answers
from pib360.untrusted import parse_int, plain_text

PAGE_SIZE = 7
FIELD_PREFIX = "q-"
CANNOT_JUDGE = "na"


@dataclass(frozen=True)
class Page:
    """One screen of the questionnaire."""

    number: int  # 1-based
    items: tuple[Item, ...]


class UnknownItem(ValueError):
    """The form named an item this questionnaire does not have."""


def pages(instrument: Instrument) -> list[Page]:
    """The scale items in short pages, then one page with the role choice and open questions."""
    scale = instrument.scale_items
    chunks = [scale[i : i + PAGE_SIZE] for i in range(0, len(scale), PAGE_SIZE)]
    last = tuple(i for i in instrument.items if i.kind != "scale")
    if last:
        chunks.append(last)
    return [Page(number, tuple(items)) for number, items in enumerate(chunks, start=1)]


def page(instrument: Instrument, number: int) -> Page | None:
    """Page `number`, or None when there is no such page."""
    all_pages = pages(instrument)
    return all_pages[number - 1] if 1 <= number <= len(all_pages) else None


def field_name(item: Item) -> str:
    """The form field of an item."""
    return FIELD_PREFIX + item.id


def parse(
    instrument: Instrument, items: tuple[Item, ...], form: Mapping[str, str]
) -> tuple[Answers, dict[str, str]]:
    """Answers to `items` from posted form data, and a message per item that is wrong.

    An item left empty is simply not answered (yet): a draft may be incomplete.
    """
    allowed = {field_name(item) for item in items}
    for key in form:
        if key.startswith(FIELD_PREFIX) and key not in allowed:
            raise UnknownItem(key[len(FIELD_PREFIX) :])
    answers: Answers = {}
    errors: dict[str, str] = {}
    for item in items:
        # An open answer is stored as the client typed it, but never with a NUL or another
        # control character (PostgreSQL and XLSX refuse them); line breaks are kept.
        raw = plain_text(form.get(field_name(item)) or "", multiline=True).strip()
        if not raw:
            continue
        value, error = _parse_value(instrument, item, raw)
        if error:
            errors[item.id] = error
        else:
            answers[item.id] = value
    return answers, errors


def _parse_value(instrument: Instrument, item: Item, raw: str) -> tuple[object, str | None]:
    if item.kind == "scale":
        if raw == CANNOT_JUDGE:
            return None, None
        value = parse_int(raw, instrument.scale_min, instrument.scale_max)
        if value is not None:
            return value, None
        return None, _("Choose a value from %(low)d to %(high)d, or \"cannot judge\".",
                       low=instrument.scale_min, high=instrument.scale_max)
    if item.kind == "choice":
        if raw in item.options:
            return raw, None
        return None, _("Choose one of the roles.")
    limit = item.max_length or 2000
    if len(raw) > limit:
        return None, _("Use at most %(limit)d characters (you used %(used)d).",
                       limit=limit, used=len(raw))
    return raw, None


def missing(instrument: Instrument, answers: Answers, perspective: str) -> list[Item]:
    """Required items without an answer: every scale item ("cannot judge" counts), and
    the role choice in the self-assessment."""
    required = list(instrument.scale_items)
    if perspective == "self" and instrument.choice_item is not None:
        required.append(instrument.choice_item)
    return [item for item in required if item.id not in answers]


def first_page_with(instrument: Instrument, item_ids: set[str]) -> int:
    """The number of the first page that holds one of `item_ids`."""
    for p in pages(instrument):
        if any(item.id in item_ids for item in p.items):
            return p.number
    return 1


def resume_page(instrument: Instrument, answers: Answers) -> int:
    """Where a client who saved `answers` goes on: the first page with a question still
    unanswered, or the last page (to send) when none is left."""
    missing_ids = {item.id for item in missing(instrument, answers, "client")}
    if not missing_ids:
        return len(pages(instrument))
    return first_page_with(instrument, missing_ids)


def next_page(instrument: Instrument, number: int, go: str) -> int | None:
    """The page a survey button leads to from page `number`; None for "save and stop"."""
    last = len(pages(instrument))
    steps = {"previous": max(number - 1, 1), "next": min(number + 1, last), "end": last}
    return steps.get(go)


def answered_count(instrument: Instrument, answers: Answers) -> tuple[int, int]:
    """How many of the questions have an answer, out of how many."""
    ids = [item.id for item in instrument.items]
    return sum(1 for item_id in ids if item_id in answers), len(ids)


def clean(instrument: Instrument, answers: Answers) -> Answers:
    """Only answers to items the instrument has (drafts are kept as they were saved)."""
    return {key: value for key, value in answers.items() if instrument.item(key) is not None}
