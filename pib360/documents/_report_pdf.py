"""The story of one advisor's gap report PDF, top to bottom.

Page one is the summary (the trust quotient on its range, the responses, strengths and
development points, the largest blind spot and hidden strength); then how to read the
report (after the progress on the previous plan's focus points, if there is such a plan);
then the dimensions, the roles, the blind spots and hidden strengths, every statement, the
comments, and reflection prompts for the weakest dimension and role. Beside a statement
every figure is agreement with it as worded. A suppressed report keeps the self-assessment
and says why there are no client figures (and no comments).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from pib360.documents import _pdf as pdf
from pib360.documents import _report_tables as tables
from pib360.documents import charts
from pib360.documents._norm_pdf import norm_section
from pib360.documents.formatting import (
    MISSING,
    capital,
    format_date,
    format_gap,
    format_number,
)
from pib360.documents.texts import explanation, suppressed_note, trust_quotient_reading
from pib360.domain.instrument import DIMENSIONS

if TYPE_CHECKING:
    from pib360.documents.content import ReportContent

Translate = Callable[[str], str]


def build_report(content: ReportContent, translate: Translate) -> bytes:
    """The report's PDF bytes."""
    _ = translate
    pdf.register_fonts()  # before any paragraph is made
    suppressed = content.gap_report.suppressed
    story = _cover(content, _) + [PageBreak()] + _progress(content, _)
    story += _how_to_read(content, _) + _trust(content, _) + norm_section(content, _)
    story += _roles(content, _)
    if not suppressed:
        story += _gaps(content, _)
    story += _items(content, _) + _comments(content, _) + _reflection(content, _)
    instrument = f"{content.instrument.id} {content.instrument.version}"
    closed = _("Closed on %(date)s") % {"date": format_date(content.closed_on, content.locale)}
    left = textwrap.shorten(f"{content.advisor_name} – {content.round_title}", 80, placeholder="…")
    instrument_label, title = _("Instrument"), _("Gap report")
    header = (left, f"{closed} · {instrument_label} {instrument}")
    return pdf.build(story, header, pdf.page_label(_), title=f"{title}: {left}")


def _cover(content: ReportContent, _: Translate) -> list[Flowable]:
    """Page one: who and what, and the report at a glance."""
    locale, report = content.locale, content.gap_report
    closed_on, instrument_label = _("Closed on"), _("Instrument")
    quotient, scale = report.trust_quotient, content.trust_quotient_scale
    story = [
        pdf.para(_("Gap report"), "title"),
        pdf.para(f"{content.advisor_name} · {content.round_title}\n"
                 f"{closed_on} {format_date(content.closed_on, locale)} · {instrument_label} "
                 f"{content.instrument.id} {content.instrument.version}", "subtitle"),
        pdf.para(_("At a glance"), "h1"),
        pdf.table([[_("Trust quotient"), _("You"), _("Your clients")],
                   ["", format_number(quotient["self"], locale, 2),
                    format_number(quotient["clients"], locale, 2)]],
                  [9.2 * cm, 3.5 * cm, 3.5 * cm]),
        pdf.para(_("The trust quotient runs from %(lowest)s to %(highest)s; at 3 it is in "
                   "balance.") % {"lowest": format_number(scale.lowest, locale, 2),
                                  "highest": format_number(scale.highest, locale, 0)}
                 + " " + trust_quotient_reading(quotient["clients"], locale, _)),
        pdf.para(_("%(responded)d of %(invited)d invited clients answered. Every client figure "
                   "rests on at least %(min)d clients.")
                 % {"responded": content.responded, "invited": content.invited,
                    "min": report.min_clients}),
    ]
    if report.suppressed:
        return [*story, pdf.para(suppressed_note(report.min_clients, _) + " "
                                 + _("This report shows your self-assessment only."), "notice")]
    picks = content.highlights
    for heading, ids in ((_("Strengths"), picks.strengths),
                         (_("Development points"), picks.development),
                         (_("Largest blind spot"), [picks.blind_spot] if picks.blind_spot else []),
                         (_("Largest hidden strength"),
                          [picks.hidden_strength] if picks.hidden_strength else [])):
        story.append(pdf.section(heading, _statements(content, ids, _), level="h2"))
    return story


def _progress(content: ReportContent, _: Translate) -> list[Flowable]:
    """The focus points of the plan made after the previous round, then and now."""
    progress, locale = content.progress, content.locale
    if progress is None:
        return []
    rows = [[_("Focus point"), _("Then"), _("Now"), _("Change"), _("90% margin"), _("Verdict")]]
    for row in progress.rows:
        measured = pd.notna(row["before"]) and pd.notna(row["after"])
        verdict = (_("forward, beyond the uncertainty") if row["improved"] else
                   _("back, beyond the uncertainty") if row["beyond_noise"] else
                   _("within the uncertainty") if measured else _("not measured"))
        name = row["label"] + (" (" + _("lower is better") + ")"
                               if not row["higher_is_better"] else "")
        rows.append([name, format_number(row["before"], locale),
                     format_number(row["after"], locale), format_gap(row["change"], locale),
                     f"{format_gap(row['change_low'], locale)} – "
                     f"{format_gap(row['change_high'], locale)}" if measured else MISSING,
                     verdict])
    heading = _("Your focus points of \"%(title)s\"") % {"title": progress.previous_title}
    intro = _("The clients' score then and now. A change counts as real only when its 90%% "
              "margin lies wholly above or below zero (Welch's test); otherwise it lies "
              "within the uncertainty.") % {}
    done = _("%(done)d of %(num)d actions of the plan done.") % {
        "done": progress.actions_done, "num": progress.actions_count}
    return [pdf.section(heading, pdf.para(intro),
                        pdf.table(rows, [4.6 * cm, 1.3 * cm, 1.3 * cm, 2.3 * cm, 2.9 * cm,
                                         3.7 * cm], numeric_from=1), level="h1"),
            pdf.para(done)]


def _reflection(content: ReportContent, _: Translate) -> list[Flowable]:
    """Reflection prompts for the weakest dimension and role, and the prompt set's name."""
    reflection = content.reflection
    if reflection is None:
        return []
    story = [pdf.para(_("From feedback to growth"), "h1"), pdf.para(
        _("Questions to reflect on for the dimension and the role the clients scored least "
          "favourably."))]
    instrument, locale = content.instrument, content.locale
    for name, prompts in (
        (reflection.dimension and instrument.dimension_label(reflection.dimension, locale),
         reflection.dimension_prompts),
        (reflection.role and instrument.role_label(reflection.role, locale),
         reflection.role_prompts),
    ):
        if prompts is None:
            continue
        story += [pdf.para(capital(name), "h2"),
                  *(pdf.bullet(question) for question in prompts.questions),
                  pdf.para(_("Suggestions") + ": " + " ".join(prompts.suggestions), "note")]
    story.append(pdf.para(_("Reflection prompts %(id)s, version %(version)s.") % {
        "id": reflection.prompt_set.id, "version": reflection.prompt_set.version}, "note"))
    return story


def _statements(content: ReportContent, ids: list[str], _: Translate) -> Flowable:
    """A table of statements with agreement as worded; "None." when there are none."""
    if not ids:
        return pdf.para(_("None."), "note")
    items = tables.item_table(content, _)
    locale = content.locale
    rows = [[_("Statement"), _("Which way is favourable"), _("You"), _("Clients"), _("Gap"), "n"]]
    for item_id in ids:
        row = items.loc[item_id]
        rows.append([row["text"], _arrow(content, item_id, _), format_number(row["self"], locale),
                     format_number(row["clients"], locale), format_gap(row["gap"], locale),
                     _count(row["clients_n"])])
    return pdf.table(rows, [6.6 * cm, 2.9 * cm, 1.7 * cm, 2.0 * cm, 2.0 * cm, 0.9 * cm],
                     numeric_from=2)


def _arrow(content: ReportContent, item_id: str, _: Translate) -> str:
    better = bool(content.worded.loc[item_id, "higher_is_better"])
    return ("▲ " if better else "▼ ") + tables.direction_label(better, _)


def _count(n: float) -> str:
    return MISSING if pd.isna(n) else str(int(n))


def _profile_table(first: str, table: pd.DataFrame, names: list[str], content: ReportContent,
                   _: Translate) -> Flowable:
    """Name, you, and where client figures exist: clients, their 90% margin, gap, n."""
    locale, clients = content.locale, not content.gap_report.suppressed
    head = [first, _("You")] + ([_("Clients"), _("90% margin"), _("Gap"), "n"] if clients else [])
    rows = [head]
    for name, (_key, row) in zip(names, table.iterrows(), strict=True):
        cells = [name, format_number(row["self"], locale)]
        if clients:
            inside = row["clients_ci_low"] <= row["self"] <= row["clients_ci_high"]
            margin = (f"{format_number(row['clients_ci_low'], locale)}–"
                      f"{format_number(row['clients_ci_high'], locale)}"
                      if pd.notna(row["clients_ci_low"]) else MISSING)
            cells += [format_number(row["clients"], locale), margin,
                      ("≈ " if inside else "") + format_gap(row["gap"], locale),
                      _count(row["clients_n"])]
        rows.append(cells)
    widths = [5.6 * cm, 1.8 * cm] + ([2.0 * cm, 3.0 * cm, 2.4 * cm, 1.0 * cm] if clients else [])
    return pdf.table(rows, widths)


def _trust(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale, instrument = content.gap_report, content.locale, content.instrument
    dims = tables.dimension_table(content)
    names = list(dims["name"])
    names[-1] += " " + _("(lower is better)")
    return [
        pdf.section(
            _("Trust dimensions"),
            pdf.chart(charts.dimension_chart(report, instrument, locale, _, "png")),
        ),
        _profile_table(_("Part of the trust equation"), dims, names, content, _),
        pdf.para(_("≈: your own score lies within the 90% margin of your clients' mean; the "
                   "gap is within the uncertainty."), "note"),
    ]


def _roles(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale, instrument = content.gap_report, content.locale, content.instrument
    roles = tables.role_table(content)
    return [
        pdf.section(
            _("Role profile"),
            pdf.para(_("How strongly you show the behaviour of each of the four advisor roles.")),
            pdf.chart(charts.role_chart(report, instrument, locale, _, "png")),
        ),
        _profile_table(_("Role"), roles, list(roles["name"]), content, _),
        pdf.section(
            _("Which role describes you best?"),
            pdf.chart(charts.role_choice_chart(content.role_choices, instrument, locale, _, "png")),
            level="h2",
        ),
    ]


def _gaps(content: ReportContent, _: Translate) -> list[Flowable]:
    report, locale = content.gap_report, content.locale
    intro = _(
        "Statements on which your clients are at least %(threshold)s point less favourable "
        "than you are yourself (blind spots), or more favourable (hidden strengths)."
    ) % {"threshold": format_number(report.gap_threshold, locale)}
    story: list[Flowable] = [pdf.para(_("Blind spots and hidden strengths"), "h1"), pdf.para(intro)]
    for title, ids in ((_("Blind spots"), report.blind_spots),
                       (_("Hidden strengths"), report.hidden_strengths)):
        story.append(pdf.section(title, _statements(content, ids, _), level="h2"))
    # The heading and intro stay with the first list.
    return [KeepTogether(story[:3]), *story[3:]]


def _items(content: ReportContent, _: Translate) -> list[Flowable]:
    locale, instrument = content.locale, content.instrument
    items = tables.item_table(content, _)
    answers = [column for column in items.columns if column.startswith("answers_")]
    story = [pdf.para(_("Every statement"), "h1"), pdf.para(
        _("Agreement with each statement as it is worded, from %(low)d (strongly disagree) to "
          "%(high)d (strongly agree). Answers: how many clients gave %(low)d, …, %(high)d, and "
          "after the bar how many could not judge.")
        % {"low": instrument.scale_min, "high": instrument.scale_max}, "note")]
    for dimension in [*DIMENSIONS, None]:
        ids = [i.id for i in instrument.scale_items if i.dimension == dimension]
        if not ids:
            continue
        title = items.loc[ids[0], "dimension"] if dimension else _("Other statements")
        rows = [[_("Statement"), _("You"), _("Clients"), _("Gap"), _("Answers")]]
        for item_id in ids:
            row = items.loc[item_id]
            counts = row[answers]
            spread = MISSING if counts.isna().any() else (
                " ".join(str(int(c)) for c in counts[:-1]) + f" | {int(counts.iloc[-1])}")
            rows.append([f"{row['text']}\n{_arrow(content, item_id, _)}",
                         format_number(row["self"], locale), format_number(row["clients"], locale),
                         format_gap(row["gap"], locale), spread])
        story += [pdf.para(title, "h2"),
                  pdf.table(rows, [7.4 * cm, 1.5 * cm, 2.0 * cm, 2.0 * cm, 3.6 * cm])]
    return story


def _comments(content: ReportContent, _: Translate) -> list[Flowable]:
    story = [pdf.para(_("Comments"), "h1"),
             pdf.para(_("The clients' comments are shown unattributed and in random order."),
                      "note")]
    # Below the minimum, a comment could be traced to its writer: none are shown.
    shown = {} if content.gap_report.suppressed else content.comments
    for item in content.instrument.text_items:
        own_answer, comments = content.own_answers.get(item.id), shown.get(item.id)
        if not own_answer and not comments:
            continue
        story.append(pdf.para(item.text("client", content.locale), "h2"))
        if own_answer:
            story.append(pdf.para(f"{_('Own answer')}: {own_answer}"))
        story += [pdf.bullet(text) for text in comments or ()]
    if len(story) == 2:
        story.append(pdf.para(_("No comments."), "note"))
    return story


def _how_to_read(content: ReportContent, _: Translate) -> list[Flowable]:
    report = content.gap_report
    story = [pdf.para(_("How to read this report"), "h1")]
    for section in explanation(content.instrument, content.locale, _,
                               min_clients=report.min_clients,
                               gap_threshold=report.gap_threshold):
        story.append(pdf.para(section.heading, "h2"))
        story += [pdf.para(paragraph) for paragraph in section.paragraphs]
    return story
