"""The coach's pages: the advisors who share with them, groups, and group reports."""

from pib360.coach.views import bp

__all__ = ["bp"]
