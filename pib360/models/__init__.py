"""All models, imported here so Alembic's autogenerate sees every table."""

from pib360.models.accounts import Role, User, normalize_email
from pib360.models.instruments import DefaultInstrument, InstalledInstrument
from pib360.models.norms import NormFigure
from pib360.models.outbox import MailStatus, OutboxMessage
from pib360.models.plans import (
    MAX_FOCUS_POINTS,
    CoachNote,
    DevelopmentPlan,
    FocusKind,
    FocusPoint,
    PlanAction,
    PlanComment,
    PlanRefusal,
)
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
    "MAX_FOCUS_POINTS",
    "MIN_CLIENTS_FLOOR",
    "Answers",
    "CoachNote",
    "Cohort",
    "CohortInvitation",
    "CohortInvitationStatus",
    "CohortMember",
    "DefaultInstrument",
    "DevelopmentPlan",
    "FeedbackRound",
    "FocusKind",
    "FocusPoint",
    "IllegalTransition",
    "InstalledInstrument",
    "Invitation",
    "InvitationLink",
    "InvitationStatus",
    "MailStatus",
    "NormFigure",
    "OutboxMessage",
    "PlanAction",
    "PlanComment",
    "PlanRefusal",
    "Refusal",
    "ReportFile",
    "Response",
    "Role",
    "RoundStatus",
    "Share",
    "User",
    "normalize_email",
]
