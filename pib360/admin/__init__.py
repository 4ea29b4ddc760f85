"""Account management for admins."""

from pib360.admin.views import bp

__all__ = ["bp"]
