"""An advisor's trust quotient and trust dimensions over their closed rounds."""

from pib360.trend.views import bp

__all__ = ["bp"]
