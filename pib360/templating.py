"""Template filters that format report figures as charts and files do, in the page's language."""

from flask import Flask
from flask_babel import get_locale

from pib360.documents import formatting


def init_app(app: Flask) -> None:
    """Register `number`, `gap`, `percent` and `day` filters."""

    def locale() -> str:
        return str(get_locale())

    app.add_template_filter(lambda v, digits=1: formatting.format_number(v, locale(), digits),
                            "number")
    app.add_template_filter(lambda v, digits=1: formatting.format_gap(v, locale(), digits), "gap")
    app.add_template_filter(lambda v: formatting.format_percent(v, locale()), "percent")
    app.add_template_filter(lambda d: formatting.format_date(d, locale()), "day")
