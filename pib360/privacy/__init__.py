"""The privacy statement, and an account holder's own data: download it, or delete it."""

from pib360.privacy.views import bp

__all__ = ["bp"]
