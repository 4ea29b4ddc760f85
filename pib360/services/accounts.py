"""Account use cases: registration, authentication, passwords, profiles, roles."""

import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from pib360 import mail
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import FeedbackRound, ReportFile, Role, User, normalize_email
from pib360.models.accounts import password_hash_method
from pib360.services import ServiceError, throttle
from pib360.urls import external_url

RESET_SALT = "password-reset"
INVITATION_SALT = "account-invitation"
# How long the link in a coach's invitation lets them choose a password.
INVITATION_MAX_AGE = timedelta(days=7)


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check when no account matches, so a missing account takes as long as a
    wrong password and response times do not reveal which addresses have accounts."""
    return generate_password_hash(secrets.token_hex(16), method)


class LoginThrottled(ServiceError):
    """Too many failed attempts for this account or address."""


def find_user(email: str) -> User | None:
    """The user with this address, case-insensitively."""
    return db.session.execute(
        db.select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


@use_case
def create_user(
    email: str, name: str, password: str, role: Role = Role.ADVISOR, language: str = "nl"
) -> User:
    """Create an account; refuses an address that is taken."""
    user = User(email=normalize_email(email), name=name.strip(), role=role, language=language)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        raise ServiceError(
            {"email": [_("This address cannot be used for a new account. If it is yours, "
                         "log in or reset your password.")]}
        ) from None
    return user


def authenticate(email: str, password: str, address: str) -> User | None:
    """The active user with these credentials, or None; raises when throttled."""
    key = normalize_email(email)
    if not throttle.count_attempt(key, address):
        raise LoginThrottled(
            _("Too many failed attempts. Wait 15 minutes, or reset your password.")
        )
    user = find_user(key)
    stored = user.password_hash if user is not None else _dummy_hash(password_hash_method())
    # End the read before the slow part: no connection (nor any lock) is held while hashing.
    db.session.commit()
    if check_password_hash(stored, password) and user is not None and user.active:
        throttle.give_back(key, address)
        return user
    return None


@use_case
def end_sessions(user: User) -> None:
    """Log the user out everywhere (every session and remember cookie)."""
    user.end_sessions()


@use_case
def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; ends other sessions."""
    if not user.check_password(current):
        raise ServiceError({"current": [_("This is not your current password.")]})
    user.set_password(new)


@use_case
def update_profile(user: User, name: str, language: str) -> None:
    """Save name and preferred language. A new name is on every report of the advisor's:
    those are rendered again."""
    name = name.strip()
    if name != user.name:
        # The background job renders them again (services.report_rendering).
        db.session.execute(db.delete(ReportFile).where(ReportFile.round_id.in_(
            db.select(FeedbackRound.id).where(FeedbackRound.advisor_id == user.id))))
    user.name = name
    user.language = language


def _token_serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _account_token(user: User, salt: str) -> str:
    # The session version in the token makes the link single-use: setting a password
    # raises it.
    return _token_serializer(salt).dumps({"id": user.id, "v": user.session_version})


def _user_for_token(token: str, salt: str, max_age: timedelta, invalid: ServiceError) -> User:
    try:
        data = _token_serializer(salt).loads(token, max_age=max_age.total_seconds())
    except (SignatureExpired, BadSignature):
        raise invalid from None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or user.session_version != data.get("v"):
        raise invalid
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this address; silent otherwise.

    The forgot-password page runs this after its response has gone out, so it delivers
    the mail itself.
    """
    if _queue_reset_mail(email) and current_app.config["MAIL_DELIVER_AFTER_REQUEST"]:
        mail.deliver()


@use_case
def _queue_reset_mail(email: str) -> bool:
    """Queue the reset mail for the active account with this address, if there is one."""
    user = find_user(email)
    if user is None or not user.active:
        return False
    link = external_url("auth.reset_password", token=_account_token(user, RESET_SALT))
    hours = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 3600)
    mail.queue(user.email, _l("Reset your pib360 password"), "password_reset", user.language,
               secret=True, user=user, link=link, hours=hours)
    return True


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for, if it is still valid."""
    return _user_for_token(
        token, RESET_SALT, current_app.config["PASSWORD_RESET_MAX_AGE"],
        ServiceError(_("This link has expired or has already been used. Ask for a new one "
                       "below.")))


@use_case
def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link, which then stops working."""
    user = user_for_reset_token(token)
    user.set_password(password)
    throttle.lift(user.email)  # whoever locked the account out, its owner is back
    return user


@use_case
def set_role(actor: User, user: User, role: Role) -> None:
    """Change a user's role (admins only; an admin cannot demote themself)."""
    if user.id == actor.id and role is not Role.ADMIN:
        raise ServiceError(_("You cannot take away your own admin role."))
    user.role = role


@use_case
def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account; deactivation ends its sessions."""
    if user.id == actor.id:
        raise ServiceError(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.end_sessions()


@use_case
def invite_coach(admin: User, email: str, name: str, language: str) -> User:
    """Create a coach's account and e-mail them a link to choose its password."""
    if admin.role is not Role.ADMIN:
        raise ServiceError(_("Only an admin can invite a coach."))
    if find_user(email) is not None:
        raise ServiceError({"email": [_(
            "An account with this address exists already: change its role in the list of "
            "users.")]})
    # Nobody knows this password: the coach chooses their own through the link.
    coach = create_user(email, name, secrets.token_urlsafe(32), Role.COACH, language)
    link = external_url("auth.welcome", token=_account_token(coach, INVITATION_SALT))
    mail.queue(coach.email, _l("%(name)s invites you to pib360 as a coach", name=admin.name),
               "coach_welcome", coach.language, secret=True, coach=coach, admin=admin,
               link=link, days=INVITATION_MAX_AGE.days)
    return coach


def user_for_invitation_token(token: str) -> User:
    """The invited user of a welcome link, if it is still valid and unused."""
    return _user_for_token(
        token, INVITATION_SALT, INVITATION_MAX_AGE,
        ServiceError(_("This invitation link has expired or has already been used. Log in, "
                       "or ask for a new password below.")))


@use_case
def accept_invitation(token: str, password: str) -> User:
    """Set the invited user's first password; the link then stops working."""
    user = user_for_invitation_token(token)
    user.set_password(password)
    return user
