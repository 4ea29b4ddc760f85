"""Accounts: register, log in and out, reset and change passwords, profile."""

from pib360.auth.views import bp

__all__ = ["bp"]
