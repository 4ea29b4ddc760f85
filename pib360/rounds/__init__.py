"""The advisor's feedback rounds: create, self-assess, invite, follow, remind, close."""

from pib360.rounds import manage, preview, self_assessment  # noqa: F401  (routes on bp)
from pib360.rounds.views import bp

__all__ = ["bp"]
