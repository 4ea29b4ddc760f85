"""Cohorts: a coach's named groups of advisors. Create, invite by e-mail, join, leave.

Joining a cohort shares the advisor's reports with its coach. The group report lives in
`cohort_reports`.
"""

import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from pib360 import mail
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import Cohort, CohortInvitation, CohortMember, Role, Share, User
from pib360.services import ServiceError, sharing
from pib360.services.accounts import find_user
from pib360.services.invitations import InviteResult, Parsed, Problem, hash_token
from pib360.urls import external_url

MAX_INVITATIONS = 200


@use_case
def create_cohort(coach: User, name: str) -> Cohort:
    """A new, empty cohort of this coach."""
    name = name.strip()
    if not name:
        raise ServiceError({"name": [_("Give the group a name.")]})
    cohort = Cohort(coach=coach, name=name)
    db.session.add(cohort)
    return cohort


def cohorts_of(coach: User) -> list[tuple[Cohort, int]]:
    """The coach's cohorts, newest first, each with its number of members."""
    members = (
        select(CohortMember.cohort_id, func.count().label("n"))
        .group_by(CohortMember.cohort_id).subquery()
    )
    rows = db.session.execute(
        select(Cohort, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .where(Cohort.coach_id == coach.id)
        .order_by(Cohort.created_at.desc(), Cohort.id.desc())
    )
    return [(cohort, count) for cohort, count in rows.all()]


def own_cohort(coach: User, cohort_id: int) -> Cohort | None:
    """The coach's own cohort with this id, or None (also for another coach's cohort)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.coach_id != coach.id:
        return None
    return cohort


def members(cohort: Cohort) -> list[User]:
    """The cohort's advisors who share with its coach, by name."""
    # Revoking a share removes the membership too; checking the share here as well means
    # a member's data can never reach the coach without it.
    return list(db.session.execute(
        select(User).join(CohortMember, CohortMember.advisor_id == User.id)
        .join(Share, (Share.advisor_id == User.id) & (Share.coach_id == cohort.coach_id))
        .where(CohortMember.cohort_id == cohort.id).order_by(User.name, User.id)
    ).scalars())


@use_case
def invite(cohort: Cohort, parsed: Parsed) -> InviteResult:
    """E-mail a personal join link to every new address of `parsed`."""
    result = InviteResult(problems=list(parsed.problems))
    known = {invitation.email for invitation in cohort.invitations if invitation.pending}
    known |= {advisor.email for advisor in members(cohort)}
    room = MAX_INVITATIONS - sum(1 for invitation in cohort.invitations if invitation.pending)
    for entry in parsed.entries:
        if entry.email in known:
            result.problems.append(
                Problem(entry.line, entry.email, _("already invited or in the group")))
        elif len(result.invited) >= room:
            result.problems.append(Problem(
                entry.line, entry.email,
                _("a group can have at most %(n)d open invitations", n=MAX_INVITATIONS)))
        else:
            known.add(entry.email)
            _send(cohort, entry.email)
            result.invited.append(entry)
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _send(cohort: Cohort, email: str) -> None:
    token = secrets.token_urlsafe(32)
    db.session.add(CohortInvitation(cohort=cohort, email=email, token_hash=hash_token(token)))
    # In the language of the account with this address, if there is one.
    account = find_user(email)
    language = account.language if account is not None else cohort.coach.language
    mail.queue(email, _l("%(coach)s invites you to the group %(cohort)s",
                         coach=cohort.coach.name, cohort=cohort.name),
               "cohort_invitation", language, secret=True, cohort=cohort,
               link=external_url("sharing.join", token=token))


def invitation_for(token: str) -> CohortInvitation | None:
    """The pending invitation of a join link, or None for an unknown or used link, or one
    whose coach is no longer an active coach (joining would share reports with them)."""
    invitation = db.session.execute(
        select(CohortInvitation).where(CohortInvitation.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if invitation is None or not invitation.pending:
        return None
    coach = invitation.cohort.coach
    return invitation if coach.active and coach.role is Role.COACH else None


@use_case
def join(advisor: User, token: str) -> Cohort:
    """Join the cohort of a join link and share reports with its coach; the coach is told."""
    if advisor.role is not Role.ADVISOR:
        raise ServiceError(_("Only advisors can join a group."))
    invitation = invitation_for(token)
    if invitation is None:
        raise LookupError("unknown or used join link")
    cohort = invitation.cohort
    invitation.accept()
    if db.session.get(CohortMember, (cohort.id, advisor.id)) is None:
        db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    sharing.ensure_share(advisor, cohort.coach)
    sharing.notify_coach(advisor, cohort.coach, cohort)
    return cohort


def memberships(advisor: User) -> list[Cohort]:
    """The cohorts the advisor is in, by name."""
    return list(db.session.execute(
        select(Cohort).options(joinedload(Cohort.coach))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.advisor_id == advisor.id).order_by(Cohort.name, Cohort.id)
    ).scalars())


@use_case
def leave(advisor: User, cohort_id: int) -> Cohort:
    """Leave a cohort; sharing with its coach goes on until the advisor revokes it."""
    member = db.session.get(CohortMember, (cohort_id, advisor.id))
    if member is None:
        raise LookupError(cohort_id)
    cohort = member.cohort
    db.session.delete(member)
    return cohort
