"""Account management and the installed questionnaires, for admins."""

from pib360.admin import instruments  # noqa: F401  (registers its routes on bp)
from pib360.admin.views import bp

__all__ = ["bp"]
