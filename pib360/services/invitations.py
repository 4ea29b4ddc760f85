"""Inviting clients: parse addresses, create personal links, send and remind."""

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from pib360 import clock, mail
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, InvitationLink, InvitationStatus, Share, User
from pib360.services import ServiceError, instruments, progress, questionnaire
from pib360.untrusted import plain_text
from pib360.urls import external_url

MAX_INVITATIONS = 200
MAX_REMINDERS = 3
REMINDER_INTERVAL = timedelta(hours=48)
_ANGLE = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+)>$")
# A line that ends in "[en]" (or "[nl]") asks for the client's mail in that language.
_LANGUAGE_MARK = re.compile(r"\s*\[(?P<language>nl|en)\]$", re.IGNORECASE)
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Entry:
    """One client to invite, from line `line` of the input."""

    line: int
    email: str
    name: str | None = None
    language: str | None = None  # the mail's language, when not the round's


@dataclass(frozen=True)
class Problem:
    """A line that was not used, and why."""

    line: int
    text: str
    reason: str


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def hash_token(token: str) -> str:
    """What is stored of a link's token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def parse_lines(text: str) -> Parsed:
    """Addresses, one per line: `address`, `Name <address>` or `name, address`."""
    parsed = Parsed()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = plain_text(raw).strip()
        if not line:
            continue
        mark = _LANGUAGE_MARK.search(line)
        name, address = _split(line[: mark.start()] if mark else line)
        _add(parsed, number, line, name, address,
             mark["language"].lower() if mark else None)
    return parsed


def parse_csv(data: bytes) -> Parsed:
    """Addresses from a CSV file: a column with an address, optionally a name before it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError({"upload": [_("Save the file as CSV in UTF-8 and try again.")]}) \
            from None
    # No NUL (the csv module refuses it) nor any other control character in what is stored.
    text = plain_text(text, multiline=True)
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(enumerate(csv.reader(io.StringIO(text), dialect), start=1))
    except csv.Error:  # e.g. a cell longer than the csv module's limit of 131,072 characters
        raise ServiceError({"upload": [_(
            "This file could not be read as CSV. Save it as CSV in UTF-8, with one address "
            "per row, and try again.")]}) from None
    parsed = Parsed()
    for number, row in rows:
        cells = [cell.strip() for cell in row if cell.strip()]
        # A cell "en" or "nl" is the language of that client's mail.
        language = next((c.lower() for c in cells if c.lower() in LANGUAGES), None)
        cells = [c for c in cells if c.lower() not in LANGUAGES]
        if not cells:
            continue
        address = next((c for c in cells if "@" in c), None)
        if address is None and number == 1:
            continue  # a header row such as "name;email"
        name = next((c for c in cells if c != address), None)
        _add(parsed, number, ", ".join(cells), name, address or cells[-1], language)
    return parsed


def _split(line: str) -> tuple[str | None, str]:
    match = _ANGLE.match(line)
    if match:
        return match["name"].strip(' "') or None, match["email"].strip()
    if "," in line or ";" in line:
        name, _sep, address = re.split(r"([,;])", line, maxsplit=1)
        return name.strip() or None, address.strip()
    return None, line


def _add(parsed: Parsed, number: int, line: str, name: str | None, address: str,
         language: str | None = None) -> None:
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        parsed.problems.append(Problem(number, line, _("not a valid e-mail address")))
        return
    parsed.entries.append(Entry(number, checked.normalized.lower(), (name or "")[:200] or None,
                                language))


@dataclass
class InviteResult:
    invited: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@use_case
def invite(feedback_round: FeedbackRound, parsed: Parsed) -> InviteResult:
    """Invite every new address of `parsed`; report duplicates and what is over the limit."""
    if not feedback_round.accepts_answers(clock.utcnow(), clock.zone()):
        raise ServiceError(_("Clients can only be invited while the round is open."))
    result = InviteResult(problems=list(parsed.problems))
    known = {
        email for (email,) in db.session.execute(
            db.select(Invitation.email).where(Invitation.round_id == feedback_round.id)
        )
    }
    readers = _report_readers(feedback_round.advisor)
    room = MAX_INVITATIONS - len(feedback_round.invitations)
    for entry in parsed.entries:
        reader = readers.get(mailbox(entry.email))
        if reader is not None:
            result.problems.append(Problem(entry.line, entry.email, reader))
        elif entry.email in known:
            result.problems.append(Problem(entry.line, entry.email, _("already invited")))
        elif len(result.invited) >= room:
            result.problems.append(Problem(
                entry.line, entry.email,
                _("a round can have at most %(n)d invitations", n=MAX_INVITATIONS)))
        else:
            known.add(entry.email)
            _create(feedback_round, entry)
            result.invited.append(entry)
    result.problems.sort(key=lambda problem: problem.line)
    return result


def mailbox(address: str) -> str:
    """The mailbox an address delivers to, for comparing: lower case, without a "+tag"."""
    local, _at, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _report_readers(advisor: User) -> dict[str, str]:
    """Mailboxes that must not answer as a client, each with the reason why.

    The advisor's own and their coaches' answers would count as a client's: with a few
    of those, the minimum no longer protects the one real client among them.
    """
    readers = {mailbox(advisor.email): _(
        "this is your own address: your answers would count as a client's")}
    coaches = db.session.execute(
        db.select(User).join(Share, Share.coach_id == User.id)
        .where(Share.advisor_id == advisor.id)
    ).scalars()
    for coach in coaches:
        readers[mailbox(coach.email)] = _(
            "this is the address of %(name)s, who reads your reports as your coach",
            name=coach.name)
    return readers


def _create(feedback_round: FeedbackRound, entry: Entry) -> Invitation:
    language = entry.language if entry.language != feedback_round.language else None
    invitation = Invitation(feedback_round=feedback_round, email=entry.email, name=entry.name,
                            language=language)
    db.session.add(invitation)
    invitation.message = _send(invitation, "invitation")
    return invitation


SUBJECTS = {
    "invitation": lambda advisor: _l("%(name)s asks for your feedback", name=advisor),
    "reminder": lambda advisor: _l("Reminder: %(name)s asks for your feedback", name=advisor),
}


def _send(invitation: Invitation, template: str):
    """Queue a mail (invitation or reminder) with a new personal link for this invitation."""
    token = secrets.token_urlsafe(32)
    invitation.links.append(InvitationLink(token_hash=hash_token(token)))
    feedback_round = invitation.feedback_round
    link = external_url("survey.enter", token=token)
    subject = SUBJECTS[template](feedback_round.advisor.name)
    return mail.queue(
        invitation.email, subject, template, invitation.mail_language, secret=True,
        group=feedback_round.mail_group, **client_mail_context(invitation, link),
    )


def client_mail_context(invitation, link: str) -> dict:
    """What the invitation and reminder templates need, and the mail's sender name."""
    feedback_round = invitation.feedback_round
    return dict(
        sender_name=_l("%(name)s via pib360", name=feedback_round.advisor.name),
        feedback_round=feedback_round, invitation=invitation, link=link,
        pages=len(questionnaire.pages(instruments.for_round(feedback_round))),
    )


def next_reminder_at(feedback_round: FeedbackRound) -> datetime | None:
    """When the advisor may send the next reminder; None when that is now."""
    last = feedback_round.last_reminder_at
    if last is None or clock.utcnow() >= last + REMINDER_INTERVAL:
        return None
    return last + REMINDER_INTERVAL


@use_case
def remind(feedback_round: FeedbackRound, now: datetime | None = None,
           automatic: bool = False) -> int:
    """Remind every client who has not answered yet; at most once per 48 hours per round.

    What the advisor sees does not depend on who is reminded, so a reminder cannot be used
    to find out whether one particular client answered. The count is for the scheduler.
    """
    now = now or clock.utcnow()
    if not feedback_round.accepts_answers(now, clock.zone()):
        raise ServiceError(_("Reminders can only be sent while the round is open."))
    last = feedback_round.last_reminder_at
    if not automatic and last is not None and now < last + REMINDER_INTERVAL:
        raise ServiceError(_("The last reminder went out less than 48 hours ago."))
    if progress.of_round(feedback_round).everyone_answered:
        raise ServiceError(_("Everyone you invited has answered: there is nobody to remind."))
    conditions = [
        Invitation.round_id == feedback_round.id,
        Invitation.status == InvitationStatus.ACTIVE,
        Invitation.used.is_(False),
        Invitation.reminders_sent < MAX_REMINDERS,
    ]
    if not automatic:  # a client invited moments ago needs no reminder yet
        conditions.append(Invitation.invited_at <= now - REMINDER_INTERVAL)
    due = db.session.execute(
        db.select(Invitation).where(*conditions).options(selectinload(Invitation.links))
    ).scalars().all()
    for invitation in due:
        _send(invitation, "reminder")
        invitation.reminders_sent += 1
    feedback_round.last_reminder_at = now
    return len(due)


@use_case
def withdraw(feedback_round: FeedbackRound, invitation_id: int) -> Invitation:
    """Withdraw an invitation: its links stop working. A response already given stays."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.round_id != feedback_round.id:
        raise LookupError(invitation_id)
    if not feedback_round.is_open:
        raise ServiceError(_("Invitations can only be withdrawn while the round is open."))
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.draft = None
    return invitation
