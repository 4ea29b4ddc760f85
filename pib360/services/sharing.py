"""Who may read an advisor's reports: the advisor, and coaches they share with."""

from pib360.models import User


def can_read_reports(viewer: User, advisor: User) -> bool:
    """Whether `viewer` may read `advisor`'s reports right now."""
    return viewer.is_authenticated and viewer.id == advisor.id
