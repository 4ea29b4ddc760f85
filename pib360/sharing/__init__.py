"""The advisor's side of coaching: share reports with a coach, revoke, join a group."""

from pib360.sharing.views import bp

__all__ = ["bp"]
