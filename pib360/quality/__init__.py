"""Instrument quality: reliability of the scales and item statistics, for admins and coaches."""

from pib360.quality.views import bp

__all__ = ["bp"]
