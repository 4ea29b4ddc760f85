"""Gap reports of closed rounds: the page, its charts and its downloads."""

from pib360.reports.views import bp

__all__ = ["bp"]
