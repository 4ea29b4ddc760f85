"""What the GDPR asks of pib360: hand an account holder everything pib360 holds about
them, erase an account or a round with everything of it."""

import csv
import io
import json
import zipfile
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_

from pib360 import mail
from pib360.database import use_case
from pib360.documents._spreadsheet import cell_value
from pib360.extensions import db
from pib360.models import (
    CoachNote,
    Cohort,
    CohortInvitation,
    CohortMember,
    DevelopmentPlan,
    FeedbackRound,
    NormFigure,
    OutboxMessage,
    PlanComment,
    ReportFile,
    Response,
    Role,
    RoundStatus,
    Share,
    User,
)
from pib360.services import ServiceError, rounds


def erase_round(feedback_round: FeedbackRound) -> None:
    """Delete a round with its responses, rendered reports, invitations and client mail.
    Only flushes: the caller's transaction commits."""
    if feedback_round.is_closed:
        _forget_what_was_built_on(feedback_round)
    rounds.forget_clients(feedback_round)
    for statement in (
        delete(Response).where(Response.round_id == feedback_round.id),
        delete(ReportFile).where(ReportFile.round_id == feedback_round.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.delete(feedback_round)
    db.session.flush()


def _forget_what_was_built_on(feedback_round: FeedbackRound) -> None:
    """What other stored data shows of a closed round goes too: the advisor's next closed
    round's rendered files (its report opens with this round's plan and scores; the job
    renders them again without), and the norms of its instrument version (recomputed by the
    job from the rounds that are left)."""
    following = db.select(FeedbackRound.id).where(
        FeedbackRound.advisor_id == feedback_round.advisor_id,
        FeedbackRound.status == RoundStatus.CLOSED,
        FeedbackRound.closed_at > feedback_round.closed_at,
    ).order_by(FeedbackRound.closed_at, FeedbackRound.id).limit(1).scalar_subquery()
    for statement in (
        delete(ReportFile).where(ReportFile.round_id == following),
        delete(NormFigure).where(NormFigure.instrument_id == feedback_round.instrument_id,
                                 NormFigure.instrument_version
                                 == feedback_round.instrument_version),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))


def _rounds_of(user: User) -> list[FeedbackRound]:
    return list(db.session.execute(
        db.select(FeedbackRound).where(FeedbackRound.advisor_id == user.id)
        .order_by(FeedbackRound.id)
    ).scalars())


@use_case
def delete_account(user: User, password: str) -> None:
    """Delete the account and everything of it, after checking its password: its rounds
    (with their clients' responses, reports and mail), shares with coaches and from
    advisors, group memberships, the groups it coaches, and mail waiting for it; the
    database deletes the plans of its rounds and a coach's notes and comments with them
    (foreign keys ON DELETE CASCADE). A mail to its address says so."""
    if not user.check_password(password):
        raise ServiceError({"password": [_("This is not your password.")]})
    if user.role is Role.ADMIN and not _another_admin(user):
        raise ServiceError(_("You are the only admin: make someone else admin first."))
    address, name, language = user.email, user.name, user.language
    for feedback_round in _rounds_of(user):
        erase_round(feedback_round)
    cohorts = db.select(Cohort.id).where(Cohort.coach_id == user.id)
    for statement in (
        delete(Share).where(or_(Share.advisor_id == user.id, Share.coach_id == user.id)),
        delete(CohortMember).where(or_(CohortMember.advisor_id == user.id,
                                       CohortMember.cohort_id.in_(cohorts))),
        delete(CohortInvitation).where(or_(CohortInvitation.cohort_id.in_(cohorts),
                                           CohortInvitation.email == address)),
        delete(Cohort).where(Cohort.coach_id == user.id),
        delete(OutboxMessage).where(OutboxMessage.recipient == address),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.delete(user)
    db.session.flush()
    mail.queue(address, _l("Your pib360 account has been deleted"), "account_deleted",
               language, name=name)


def _another_admin(user: User) -> bool:
    return db.session.execute(
        db.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True),
                                 User.id != user.id).limit(1)
    ).first() is not None


def export_archive(user: User) -> bytes:
    """Everything pib360 holds about `user`, as a ZIP: the account, each round with its
    settings, counts and self-assessment, each closed round's report as CSV, the shares
    and groups, the development plans (with the coaches' comments), and a coach's own
    notes and comments. Clients' individual answers are not in it: they are the clients'
    and anonymous; the report holds what may be shown of them."""
    from pib360.services import reports

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("account.json", _json(_account(user)))
        rounds = _rounds_of(user)
        archive.writestr("rounds.json", _json([_round(r) for r in rounds]))
        for feedback_round in rounds:
            if feedback_round.is_closed:
                data, _mimetype = reports.document(feedback_round, "csv", user.language,
                                                   render_missing=True)
                archive.writestr(f"reports/round-{feedback_round.id}.csv", data)
        archive.writestr("sharing.csv", _sharing_csv(user))
        archive.writestr("plans.json", _json(_plans(rounds)))
        if user.is_coach:
            archive.writestr("coach-notes.json", _json(_coach_notes(user)))
    return buffer.getvalue()


def _plans(rounds: list[FeedbackRound]) -> list[dict]:
    """The development plans of the user's rounds, with their actions and the coaches'
    comments on them."""
    found = []
    for plan in db.session.execute(db.select(DevelopmentPlan).where(
            DevelopmentPlan.round_id.in_([r.id for r in rounds]))).scalars():
        found.append({
            "round_id": plan.round_id, "round_title": plan.round.title,
            "focus_points": [{
                "kind": point.kind.value, "key": point.key, "intention": point.intention,
                "actions": [{"text": action.text, "target_date": action.target_date,
                             "done_at": action.done_at} for action in point.actions],
            } for point in plan.focus_points],
            "comments": [{"coach": comment.coach.name, "text": comment.text,
                          "created_at": comment.created_at} for comment in plan.comments],
        })
    return found


def _coach_notes(coach: User) -> list[dict]:
    """A coach's private notes and their comments on plans: theirs, and only theirs."""
    notes = db.session.execute(db.select(CoachNote).where(CoachNote.coach_id == coach.id)
                               .order_by(CoachNote.id)).scalars()
    comments = db.session.execute(db.select(PlanComment).where(PlanComment.coach_id == coach.id)
                                  .order_by(PlanComment.id)).scalars()
    return ([{"note about": note.advisor.name, "text": note.text,
              "created_at": note.created_at} for note in notes]
            + [{"comment on the plan of": comment.plan.round.advisor.name,
                "text": comment.text, "created_at": comment.created_at}
               for comment in comments])


def _account(user: User) -> dict:
    return {"email": user.email, "name": user.name, "role": user.role.value,
            "language": user.language, "active": user.active,
            "created_at": getattr(user, "created_at", None)}


def _round(feedback_round: FeedbackRound) -> dict:
    columns = ("id", "title", "language", "status", "instrument_id", "instrument_version",
               "min_clients", "deadline", "message", "auto_reminder", "created_at",
               "opened_at", "closed_at", "invited_count", "delivered_count", "failed_count",
               "self_completed", "self_answers")
    return {column: getattr(feedback_round, column) for column in columns}


def _sharing_csv(user: User) -> str:
    rows = [("what", "with", "e-mail address", "since")]
    for share in db.session.execute(db.select(Share).where(
            or_(Share.advisor_id == user.id, Share.coach_id == user.id))).scalars():
        if share.advisor_id == user.id:
            rows.append(("you share your reports with coach", share.coach.name,
                         share.coach.email, share.created_at))
        else:
            rows.append(("shares their reports with you", share.advisor.name,
                         share.advisor.email, share.created_at))
    for member in db.session.execute(
            db.select(CohortMember).where(CohortMember.advisor_id == user.id)).scalars():
        rows.append(("you are a member of the group", member.cohort.name,
                     member.cohort.coach.email, member.joined_at))
    for cohort in db.session.execute(
            db.select(Cohort).where(Cohort.coach_id == user.id)).scalars():
        rows.append(("you coach the group", cohort.name, "", cohort.created_at))
    out = io.StringIO()
    csv.writer(out).writerows([[_cell(value) for value in row] for row in rows])
    return out.getvalue()


def _cell(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else cell_value(str(value))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
