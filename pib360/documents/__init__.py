"""Rendering: a gap report, a trend or a cohort as charts, files and words a reader can use.

Pure like `pib360.domain`, whose reports it renders: no Flask, no database; it may import
the domain, never the layers above. What puts words on a page takes the report's `locale`
and a `translate` function (the service passes flask_babel.gettext inside force_locale).
Charts and files are deterministic, the same input giving the same bytes, so a closed
round's are rendered once and stored. Each module is imported where it is needed
(matplotlib, reportlab and openpyxl are heavy); this package imports nothing itself.

- charts: matplotlib Figures as PNG for the PDFs (the web pages draw their own charts in
  templates/_charts.html, which reflow on a phone). `dimension_chart`, `role_chart`,
  `role_choice_chart`, `cohort_chart`.
- content: what a report shows, gathered once. `ReportContent`, `CohortContent` (also
  importable from `files`).
- files: PDF (reportlab), CSV and XLSX (openpyxl). `ReportContent` -> `report_pdf`,
  `report_csv`, `report_xlsx`; `CohortContent` -> `cohort_pdf`.
- texts: the words around the figures. `explanation` -> [`Section`] (how to read a
  report), `trust_quotient_reading`, `distribution_words`, `suppressed_note`.
- formatting: numbers and dates as a report shows them in each language. `format_number`,
  `format_gap`, `format_percent`, `format_date`, `capital`; MISSING ("–").
Private: `_chart_style` (the shared look and byte rendering), `_cohort_chart`, `_pdf`
(PDF building blocks), `_report_pdf`, `_cohort_pdf`, `_report_tables` (the labelled tables
behind CSV, XLSX and PDF), `_xlsx`, `_spreadsheet` (safe cells).
"""
