"""All models, imported here so Alembic's autogenerate sees every table."""

from pib360.models.accounts import Role, User, normalize_email
from pib360.models.outbox import MailStatus, OutboxMessage

__all__ = ["MailStatus", "OutboxMessage", "Role", "User", "normalize_email"]
