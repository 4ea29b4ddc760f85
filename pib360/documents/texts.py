"""The words of a report: how to read it, and what each chart shows for readers who cannot
see it. Each function takes the report's `locale` and a `translate` function, as the charts do.

- explanation(instrument, locale, translate, min_clients=, gap_threshold=) -> [Section]:
  the plain-language explanation that goes with every gap report; the PDF and the web page
  show the same sections, built from the translated texts and the instrument's labels.
- Section(heading, paragraphs)
- suppressed_note(min_clients, translate) -> str: why a report shows no client figures.
- dimension_alt_text, role_alt_text, item_gap_alt_text(report, instrument, locale,
  translate), role_choice_alt_text(role_choices, ...), trend_alt_text(frame, ...),
  cohort_alt_text(cohort_report, ...) -> str: the alt text of each chart in `charts`,
  its purpose and then its figures; see `_alt_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pib360.documents._alt_text import (
    cohort_alt_text,
    dimension_alt_text,
    item_gap_alt_text,
    role_alt_text,
    role_choice_alt_text,
    trend_alt_text,
)
from pib360.documents.formatting import capital, format_number
from pib360.domain.instrument import DIMENSIONS, ROLES, Instrument

__all__ = [
    "Section",
    "cohort_alt_text",
    "dimension_alt_text",
    "explanation",
    "item_gap_alt_text",
    "role_alt_text",
    "role_choice_alt_text",
    "suppressed_note",
    "trend_alt_text",
]

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs (plain text, no markup)."""

    heading: str
    paragraphs: tuple[str, ...]


def explanation(
    instrument: Instrument,
    locale: str,
    translate: Translate,
    *,
    min_clients: int = 3,
    gap_threshold: float = 1.0,
) -> list[Section]:
    """How to read a gap report: the trust equation, the roles, gaps and anonymity."""
    return [
        _trust_equation(instrument, locale, translate),
        _roles(instrument, locale, translate),
        _gaps(locale, translate, gap_threshold),
        _anonymity(translate, min_clients),
    ]


def _trust_equation(instrument: Instrument, locale: str, translate: Translate) -> Section:
    _ = translate
    intro = _(
        "How much clients trust an advisor rests on three things that build trust and one "
        "that breaks it down: trust = (credibility + reliability + intimacy) / "
        "self-orientation. The result is the trust quotient: the higher, the more trust."
    )
    parts = [
        f"{capital(instrument.dimension_label(d, locale))}: "
        f"{instrument.dimension_description(d, locale)}"
        for d in DIMENSIONS
    ]
    return Section(_("The trust equation"), (intro, *parts))


def _roles(instrument: Instrument, locale: str, translate: Translate) -> Section:
    _ = translate
    intro = _(
        "Advisors grow from expert to trusted advisor as the personal relationship deepens "
        "and the business questions they are trusted with get bigger. Each role asks more "
        "of one part of the trust equation."
    )
    parts = [
        f"{capital(instrument.role_label(r, locale))}: {instrument.role_description(r, locale)}"
        for r in ROLES
    ]
    return Section(_("The four roles"), (intro, *parts))


def _gaps(locale: str, translate: Translate, gap_threshold: float) -> Section:
    _ = translate
    threshold = {"threshold": format_number(gap_threshold, locale)}
    return Section(
        _("How to read a gap"),
        (
            _(
                "The gap is the clients' mean minus your own score. A positive gap means "
                "clients score you higher than you score yourself; a negative gap, lower. "
                "For self-orientation lower is better, so there a positive gap is unfavourable."
            ),
            _(
                "A blind spot is an item on which clients are at least %(threshold)s point "
                "less favourable than you are yourself: something they see that you may not. "
                "A hidden strength is the same in the favourable direction."
            )
            % threshold,
            _(
                "Some statements are put negatively and are reverse-scored: disagreeing with "
                "them counts as a high score. The grey bar around the clients' mean shows "
                "their spread, one standard deviation to each side: a wide bar means your "
                "clients see you differently. The lowest and highest single scores are not "
                "shown: each would be one client's own."
            ),
        ),
    )


def _anonymity(translate: Translate, min_clients: int) -> Section:
    _ = translate
    text = _(
        "A client figure is shown only when at least %(min)d clients gave an answer to it; "
        "otherwise you see a dash (–). Comments are shown without names and in random order."
    )
    return Section(_("Anonymity"), (text % {"min": min_clients},))


def suppressed_note(min_clients: int, translate: Translate) -> str:
    """Why a report shows no client figures at all."""
    _ = translate
    return _(
        "Fewer than %(min)d clients answered, so no client figures are shown, "
        "to protect their anonymity."
    ) % {"min": min_clients}
