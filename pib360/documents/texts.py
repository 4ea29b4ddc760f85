"""The words of a report around its figures. Each function takes the report's `locale` and
a `translate` function, as the charts do.

- explanation(instrument, locale, translate, min_clients=, gap_threshold=) -> [Section]:
  how to read a gap report, in plain language; the PDF and the web page show the same
  sections. Section(heading, paragraphs). dimension_descriptions, role_descriptions.
- trust_quotient_reading(value, locale, translate): the clients' quotient against its
  balance point, in words; trust_quotient_position: where it lies on its log scale.
- distribution_words(counts, cannot_judge, translate): an answer distribution in words.
- suppressed_note(min_clients, translate) -> str: why a report shows no client figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pib360.documents.formatting import capital, format_number
from pib360.domain.instrument import Instrument, trust_quotient_scale

__all__ = [
    "Section",
    "dimension_descriptions",
    "distribution_words",
    "role_descriptions",
    "trust_quotient_position",
    "trust_quotient_reading",
    "explanation",
    "suppressed_note",
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
    """How to read a gap report: the trust equation, the roles, the figures, gaps,
    uncertainty and anonymity."""
    return [
        _trust_equation(instrument, locale, translate),
        _roles(instrument, locale, translate),
        _figures(instrument, translate),
        _gaps(locale, translate, gap_threshold),
        _uncertainty(translate),
        _anonymity(translate, min_clients),
    ]


def dimension_descriptions(translate: Translate) -> dict[str, str]:
    """What each trust dimension is about, in the report's own words."""
    _ = translate
    return {
        "credibility": _("Words: do clients believe what you say? Expertise, accuracy, and "
                         "honesty about what you do and do not know."),
        "reliability": _("Actions: can clients count on you? Promises kept, predictable and "
                         "consistent, following up without being asked."),
        "intimacy": _("Emotions: do clients dare to come close? The safety to raise personal "
                      "and difficult matters with you."),
        "self_orientation": _("Motives: whose interest drives you? Listening against steering "
                              "to your own agenda, the need to look clever or to win. It "
                              "divides the equation: here lower is better."),
    }


def role_descriptions(translate: Translate) -> dict[str, str]:
    """What each advisor role asks, in the report's own words."""
    _ = translate
    return {
        "expert": _("Answers, expertise and service; clients buy your credibility."),
        "expert_plus": _("Solving problems, involved earlier; clients buy the certainty that "
                         "the solution is right: your reliability."),
        "valued_helper": _("Proactive advice that places problems in the client's business; "
                           "it asks for intimacy and earns follow-up assignments."),
        "trusted_advisor": _("Every personal and professional question can be explored; the "
                             "client is the starting point, your motives are tested, and you "
                             "dare to confront: low self-orientation."),
    }


def _trust_equation(instrument: Instrument, locale: str, translate: Translate) -> Section:
    _ = translate
    intro = _(
        "How much clients trust an advisor rests on three things that build trust and one "
        "that breaks it down: trust = (credibility + reliability + intimacy) / "
        "self-orientation. The result is the trust quotient: the higher, the more trust."
    )
    low, high = instrument.scale_min, instrument.scale_max
    scale = _(
        "On a scale from %(low)d to %(high)d the quotient runs from %(lowest)s to "
        "%(highest)s. At 3 it is in balance: the three that build trust weigh, on average, "
        "as much as self-orientation. Above 3 they outweigh it; below 3 self-orientation "
        "weighs more."
    ) % {"low": low, "high": high, "lowest": format_number(3 * low / high, locale, 2),
         "highest": format_number(3 * high / low, locale, 0)}
    parts = [f"{capital(instrument.dimension_label(d, locale))}: {text}"
             for d, text in dimension_descriptions(translate).items()]
    return Section(_("The trust equation"), (intro, scale, *parts))


def _roles(instrument: Instrument, locale: str, translate: Translate) -> Section:
    _ = translate
    intro = _(
        "Advisors grow from expert to trusted advisor as the personal relationship deepens "
        "and the business questions they are trusted with get bigger. Each role asks more "
        "of one part of the trust equation."
    )
    parts = [f"{capital(instrument.role_label(r, locale))}: {text}"
             for r, text in role_descriptions(translate).items()]
    return Section(_("The four roles"), (intro, *parts))


def _figures(instrument: Instrument, translate: Translate) -> Section:
    _ = translate
    return Section(
        _("Your score and your clients' view"),
        (
            _("Every figure is a score from %(low)d (strongly disagree) to %(high)d "
              "(strongly agree). For each dimension and role you see your own score (an open "
              "diamond) and the mean of your clients' scores (a filled dot).")
            % {"low": instrument.scale_min, "high": instrument.scale_max},
            _("Beside each statement the figures are agreement with the statement as it is "
              "worded. Some statements are put negatively, and for self-orientation "
              "agreeing is unfavourable: each statement says whether higher or lower is "
              "better. For the dimensions and roles, the scores have been turned so that "
              "higher is always better, except for self-orientation."),
            _("Per statement you also see how many clients gave each answer: a split opinion "
              "shows there, where a mean hides it."),
        ),
    )


def _gaps(locale: str, translate: Translate, gap_threshold: float) -> Section:
    _ = translate
    threshold = {"threshold": format_number(gap_threshold, locale)}
    return Section(
        _("How to read a gap"),
        (
            _("The gap is the clients' mean minus your own score. A positive gap means "
              "clients score you higher than you score yourself; a negative gap, lower."),
            _("A blind spot is a statement on which your clients are at least %(threshold)s "
              "point less favourable than you are yourself: something they see that you may "
              "not. A hidden strength is the same in the favourable direction.") % threshold,
            _("Your strengths and development points are the statements your clients score "
              "most and least favourably, whatever your own score."),
        ),
    )


def _uncertainty(translate: Translate) -> Section:
    _ = translate
    return Section(
        _("Certainty"),
        (
            _("A mean of a few clients is uncertain. The bar around your clients' mean is its "
              "90% margin: had other clients of yours answered, their mean would most likely "
              "lie within it. When your own score lies within the margin, the gap is within "
              "the uncertainty: do not act on it alone."),
            _("Between two rounds, a change is called beyond the noise only when the 90% "
              "margin of the difference (Welch's test) does not include zero."),
        ),
    )


def _anonymity(translate: Translate, min_clients: int) -> Section:
    _ = translate
    text = _(
        "A client figure is shown only when at least %(min)d clients answered it; otherwise "
        "you see a dash (–), and those answers count nowhere else either, so no hidden "
        "answer can be worked out from the other figures. Comments are shown without names "
        "and in random order."
    )
    return Section(_("Anonymity"), (text % {"min": min_clients},))


def trust_quotient_reading(value: float, locale: str, translate: Translate) -> str:
    """The clients' trust quotient against its balance point, in words."""
    _ = translate
    if value != value:  # NaN: not shown
        return _("The clients' trust quotient is not shown: a part of it rests on too few "
                 "clients.")
    figures = {"value": format_number(value, locale, 2)}
    if value > 3.25:
        return _("The clients' trust quotient, %(value)s, lies above the balance point of 3: "
                 "in their eyes, what builds trust outweighs self-orientation.") % figures
    if value < 2.75:
        return _("The clients' trust quotient, %(value)s, lies below the balance point of "
                 "3: in their eyes, self-orientation weighs more than what builds "
                 "trust.") % figures
    return _("The clients' trust quotient, %(value)s, lies close to the balance point of 3: "
             "what builds trust and self-orientation weigh about the same.") % figures


def trust_quotient_position(value: float, lowest: float, highest: float) -> float:
    """Where `value` lies between `lowest` and `highest` on a logarithmic scale, 0 to 1."""
    if value != value:
        return value
    position = (math.log(value) - math.log(lowest)) / (math.log(highest) - math.log(lowest))
    return min(max(position, 0.0), 1.0)


def norm_position(measure: str, value: float, instrument: Instrument) -> float:
    """Where a value of `measure` lies on its row, from 0 to 1."""
    if measure == "trust_quotient":
        scale = trust_quotient_scale(instrument)
        return trust_quotient_position(value, scale.lowest, scale.highest)
    return (value - instrument.scale_min) / (instrument.scale_max - instrument.scale_min)


def distribution_words(counts: Mapping[object, float], cannot_judge: str,
                       translate: Translate) -> str:
    """How many clients gave each answer, for readers who cannot see the bars."""
    _ = translate
    parts = [_("%(answer)s: %(count)d") % {"answer": key if key != "cannot_judge" else
                                              cannot_judge, "count": int(count)}
             for key, count in counts.items()]
    return _("Answers given: %(list)s.") % {"list": "; ".join(parts)}


def suppressed_note(min_clients: int, translate: Translate) -> str:
    """Why a report shows no client figures at all."""
    _ = translate
    return _(
        "Fewer than %(min)d clients answered, so no client figures are shown, "
        "to protect their anonymity."
    ) % {"min": min_clients}
