"""Development plans: focus points and actions after a report, and the coach's comments."""

from pib360.plans.views import bp

__all__ = ["bp"]
