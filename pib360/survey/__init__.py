"""The client's survey: no account, a personal link, anonymous answers."""

from pib360.survey.views import bp

__all__ = ["bp"]
