"""The time, and the time zone in which deadlines and closing dates are days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from pib360.models.types import utcnow

__all__ = ["local_today", "utcnow", "zone"]


def zone() -> ZoneInfo:
    """Where pib360 is used (BABEL_DEFAULT_TIMEZONE): a deadline is a day there."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today(now: datetime | None = None) -> date:
    """The date of `now` (default: this moment) where pib360 is used."""
    return (now or utcnow()).astimezone(zone()).date()
