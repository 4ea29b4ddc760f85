"""All models, imported here so Alembic's autogenerate sees every table."""

from pib360.models.accounts import Role, User, normalize_email
from pib360.models.outbox import MailStatus, OutboxMessage
from pib360.models.reports import ReportFile
from pib360.models.rounds import (
    AUTO_REMINDER_DAYS,
    MIN_CLIENTS_FLOOR,
    Answers,
    FeedbackRound,
    IllegalTransition,
    Invitation,
    InvitationLink,
    InvitationStatus,
    Refusal,
    Response,
    RoundStatus,
)
from pib360.models.sharing import (
    Cohort,
    CohortInvitation,
    CohortInvitationStatus,
    CohortMember,
    Share,
)

__all__ = [
    "AUTO_REMINDER_DAYS",
    "MIN_CLIENTS_FLOOR",
    "Answers",
    "Cohort",
    "CohortInvitation",
    "CohortInvitationStatus",
    "CohortMember",
    "FeedbackRound",
    "IllegalTransition",
    "Invitation",
    "InvitationLink",
    "InvitationStatus",
    "MailStatus",
    "OutboxMessage",
    "Refusal",
    "ReportFile",
    "Response",
    "Role",
    "RoundStatus",
    "Share",
    "User",
    "normalize_email",
]
