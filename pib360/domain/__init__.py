"""The model and the numbers: the instrument, and what the answers to it add up to.

Pure Python on pandas, numpy and scipy: no Flask, no database, and nothing of the packages
above it (the rendering in `pib360.documents` reads from here, never the reverse). Each
module is imported where it is needed; this package imports nothing itself.

- instrument: the questionnaire. `Instrument`, `Item`, `Label`, `InstrumentError`;
  DIMENSIONS, ROLES, PERSPECTIVES, LOCALES, KINDS; `trust_quotient_scale` (the range of
  the trust quotient on an instrument's scale).
- instrument_file: instruments as versioned TOML files under `instruments/`, validated
  with precise messages. `load_instrument(path=None)`, `parse_instrument`,
  `parse_instrument_text` (an uploaded text; its `InstrumentError` carries the line).
- aggregation: answers (a DataFrame) -> gap reports. `compare` for one advisor ->
  `GapReport`, `cohort` for many -> `CohortReport`, `role_choices`.
- uncertainty: 90% intervals of a client mean and of a change between rounds (Welch).
  `mean_interval`, `change_interval`, `beyond_noise`.
- highlights: what to read first. `as_worded` (statements as agreement with their
  wording, and which way is favourable), `highlights` (strengths, development points, the
  largest blind spot and hidden strength).
- trend: an advisor's rounds over time, with each dimension's change and whether it lies
  beyond the noise. `trend_frame`, TREND_COLUMNS.
- versions: `RULES_VERSION`, which stored figures are keyed by; `NORM_FLOOR`.
- norms: installation-wide norms. `advisor_figures` (per advisor, from a cohort),
  `quantiles` (what is stored). norm_base: the stored norm as a report reads it, in plain
  Python (a page placing figures on it loads no pandas): `NormBase`, `position` (a
  percentile on a stored norm), `placements`, `report_figures`.
- psychometrics: measurement quality of the scales. `scale_reliability` (Cronbach's alpha,
  Feldt's interval, SEM) and `item_statistics`.
- prompts: reflection prompts per dimension and role. `PromptSet`, `Prompts`,
  `PromptError`; prompts_file: `load_prompts(path=None)` from TOML under `prompt_sets/`.
Private: `_scoring` (the vectorised core of aggregation and psychometrics) and `_frames`
(checking and coding answer frames).
"""
