"""The mail outbox: queue a message with the change it announces, deliver it later.

`queue()` only adds a row to the session; the caller's commit stores it together with
what it announces, and a request that committed mail delivers it once its response has
gone out (`init_app` registers that, in one place, as SQLAlchemy session events).
`deliver()` claims due rows a few at a time with a short lease, sends them over one SMTP
connection and records the outcome of each before the next goes, so nothing is lost when the
server is down, nothing is sent twice when several deliverers (cron, workers) run at once,
and a deliverer that crashes holds its claim for a minute at most, with at most the one
message in flight at the crash going out twice.
"""

import secrets
import smtplib
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from functools import cache

from flask import Flask, current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_mail import BadHeaderError, Connection
from sqlalchemy import and_, bindparam, delete, event, or_, update

from pib360 import request_state
from pib360.background import after_response
from pib360.database import transaction
from pib360.extensions import db
from pib360.models import Invitation, MailStatus, OutboxMessage
from pib360.models.types import utcnow

# How long a claimed message belongs to one deliverer before another may retry it: what a
# crashed deliverer holds up at most. A deliverer claims BATCH messages at a time and starts
# no message once less than MAIL_TIMEOUT + LEASE_MARGIN of the lease is left.
LEASE = timedelta(minutes=1)
LEASE_MARGIN = timedelta(seconds=5)
BATCH = 20
MAX_BACKOFF = timedelta(hours=6)
ERASED_BODY = "[erased after delivery]"
SUBJECT_LENGTH = OutboxMessage.__table__.c.subject.type.length
SENDER_LENGTH = OutboxMessage.__table__.c.sender_name.type.length


@dataclass(frozen=True)
class Rendered:
    """A message as its recipient will read it."""

    sender_name: str | None
    subject: str
    body_text: str
    body_html: str


def render(subject, template: str, locale: str, sender_name=None, **context) -> Rendered:
    """Render `email/<template>.txt` and `.html`, subject and sender name in `locale`."""
    with force_locale(locale):
        return Rendered(
            sender_name=_one_line(str(sender_name), SENDER_LENGTH) if sender_name else None,
            subject=_one_line(str(subject), SUBJECT_LENGTH),
            body_text=render_template(f"email/{template}.txt", **context),
            body_html=render_template(f"email/{template}.html", **context),
        )


def queue(
    recipient: str,
    subject: str,
    template: str,
    locale: str,
    secret: bool = False,
    group: str | None = None,
    sender_name=None,
    **context,
) -> OutboxMessage:
    """Render `email/<template>.txt` and `.html` in `locale` and add them to the outbox.

    `sender_name` is the display name of the From header (the address stays the
    configured sender's), e.g. "Anna Jansen via pib360".
    """
    rendered = render(subject, template, locale, sender_name=sender_name, **context)
    message = OutboxMessage(
        recipient=recipient,
        sender_name=rendered.sender_name,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        secret=secret,
        group=group,
    )
    db.session.add(message)  # delivered after the commit: see init_app
    return message


def sender_parts(sender_name: str | None) -> tuple[str, str]:
    """The From header's name and address: the configured sender's address, under
    `sender_name` when there is one."""
    configured = current_app.config["MAIL_DEFAULT_SENDER"]
    name, address = configured if isinstance(configured, tuple) else parseaddr(configured)
    return sender_name or name, address


def sender(sender_name: str | None) -> str:
    """The From header (see `sender_parts`), encoded where the name is not ASCII."""
    return formataddr(sender_parts(sender_name), charset="utf-8")


def _one_line(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis.

    Subjects carry names (a coach's and a group's, each up to 120 characters) that together
    can exceed the column; on PostgreSQL that refused the whole invitation.
    """
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass
class DeliveryResult:
    """What one run of `deliver()` did."""

    sent: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Outgoing:
    """A claimed message, copied out of the database so no transaction stays open while
    we talk to the SMTP server (on SQLite that would hold every other writer up)."""

    id: int
    attempts: int
    secret: bool
    recipient: str | None
    subject: str
    body_text: str
    body_html: str | None
    sender_name: str | None

    def to_email(self, sender: str) -> Message:
        """The message as MIME, built with the standard library's plain (compat32) classes:
        Flask-Mail's Message nests one multipart more and parses every header again, at
        half again the cost of sending."""
        if any(character in field for field in (self.subject, self.recipient, sender)
               for character in "\r\n"):
            raise BadHeaderError("a line break in a header")
        message: Message = _text(self.body_text, "plain")
        if self.body_html:
            # A boundary of our own: "=_" never occurs in quoted-printable, and the
            # standard library would otherwise compile a regular expression per message
            # to make sure of its own.
            message = MIMEMultipart("alternative", f"=_{secrets.token_hex(12)}",
                                    [message, _text(self.body_html, "html")])
        message["Subject"] = (self.subject if self.subject.isascii()
                              else Header(self.subject, "utf-8").encode())
        name, address = parseaddr(sender)
        message["From"] = formataddr((name, address), charset="utf-8")
        message["To"] = _ascii_domain(self.recipient)
        message["Date"] = formatdate()
        message["Message-ID"] = make_msgid(domain=_domain_of(sender))
        return message


def _text(body: str, subtype: str) -> MIMEText:
    return MIMEText(body, subtype, _UTF8)


# UTF-8 bodies quoted-printable: no line longer than SMTP allows (an HTML body's are).
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP
_SMTP_LINES = compat32.clone(linesep="\r\n")


def _ascii_domain(address: str) -> str:
    """The address with an internationalised domain in its ASCII form (bücher.de ->
    xn--bcher-kva.de), as SMTP servers without SMTPUTF8 take it."""
    local, _at, domain = address.rpartition("@")
    if domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


@cache
def _domain_of(sender: str) -> str:
    """The sender's domain, for Message-IDs (without it, every id asks the resolver)."""
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def forget_finished() -> int:
    """Delete the messages that were sent or failed for good, except those an invitation
    of a round that is still open points to (its progress counts them; the round's close
    deletes them). Returns how many went."""

    referenced = db.select(Invitation.message_id).where(Invitation.message_id.is_not(None))
    with transaction():
        return db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.status.in_([MailStatus.SENT, MailStatus.UNDELIVERABLE]),
                   OutboxMessage.id.not_in(referenced))
            .execution_options(synchronize_session=False)
        ).rowcount


def deliver(now: datetime | None = None, until: float | None = None) -> DeliveryResult:
    """Send due messages over one connection until none is due, or until the monotonic
    clock passes `until`; record each outcome as soon as it is known.

    `now` fixes the time the claims are made at (tests); by default each claim reads it.
    """
    result = DeliveryResult()
    connection = None
    try:
        while until is None or time.monotonic() < until:
            outgoing = _claim_due(now or utcnow(), BATCH)
            if not outgoing:
                break
            if current_app.config["MAIL_CONSOLE"]:
                for message in outgoing:
                    _print(message)
                    _record_sent(message, now or utcnow(), result)
                continue
            if connection is None:
                connection = _TimeoutConnection(current_app.extensions["mail"])
                try:
                    connection.open()
                except (OSError, smtplib.SMTPException) as exc:
                    for message in outgoing:
                        _record_failure(message, now or utcnow(), exc, result)
                    connection = None
                    break
            _send_batch(connection, outgoing, now, until, result)
    finally:
        if connection is not None:
            connection.close()
    return result


def _send_batch(connection, outgoing: list["_Outgoing"], now: datetime | None,
                until: float | None, result: DeliveryResult) -> None:
    """Send one claimed batch; give back what is left when the lease or the budget runs
    out, so another deliverer need not wait for the lease."""
    margin = LEASE_MARGIN.total_seconds()
    window = LEASE.total_seconds() - current_app.config["MAIL_TIMEOUT"] - margin
    stop_at = time.monotonic() + max(window, margin)
    if until is not None:
        stop_at = min(stop_at, until)
    for number, message in enumerate(outgoing):
        if time.monotonic() > stop_at:
            _release(outgoing[number:])
            return
        _send_one(connection, message, now or utcnow(), result)


def _send_one(connection, message: _Outgoing, now: datetime, result: DeliveryResult) -> None:
    if message.recipient is None:  # erased: the round closed before it could go out
        _record_failure(message, now, ValueError("recipient erased"), result, permanent=True)
        return
    try:
        connection.send_email(message.to_email(sender(message.sender_name)))
    except (BadHeaderError, ValueError) as exc:
        # A line break in a header (a name typed with one): no retry can mend it, and
        # raising would leave every later message of the batch stuck.
        _record_failure(message, now, exc, result, permanent=True)
    except (OSError, smtplib.SMTPException) as exc:
        _record_failure(message, now, exc, result)
    else:
        _record_sent(message, now, result)


def _claim_due(now: datetime, batch: int) -> list[_Outgoing]:
    """Take the due messages for this deliverer alone, in one conditional update."""
    due = or_(
        and_(
            OutboxMessage.status.in_([MailStatus.QUEUED, MailStatus.FAILED]),
            OutboxMessage.next_attempt_at <= now,
        ),
        and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.lease_until < now),
    )
    candidates = (
        db.select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(batch)
    )
    with transaction():
        return _claim(due, candidates, now)


def _claim(due, candidates, now: datetime) -> list[_Outgoing]:
    # Re-checking `due` in the UPDATE itself is what makes a race lose cleanly: a row
    # another deliverer claimed first no longer matches.
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), due)
        .values(
            status=MailStatus.SENDING,
            lease_until=now + LEASE,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    outgoing = []
    if claimed:
        columns = [getattr(OutboxMessage, f.name) for f in fields(_Outgoing)]
        rows = db.session.execute(
            db.select(*columns).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        )
        outgoing = [_Outgoing(*row) for row in rows]
    return outgoing


class _TimeoutConnection(Connection):
    """Flask-Mail's connection, with the socket timeout that Flask-Mail does not set."""

    def configure_host(self) -> smtplib.SMTP:
        # The settings are read when connecting, like MAIL_TIMEOUT, so the app's
        # configuration is the one place they live.
        config = current_app.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        host = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                          timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                host.starttls()
            if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
                host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except (OSError, smtplib.SMTPException):
            host.close()
            raise
        return host

    def send_email(self, message: Message) -> None:
        """Send one message built by `_Outgoing.to_email`."""
        self.host.sendmail(parseaddr(message["From"])[1], [message["To"]],
                           message.as_bytes(policy=_SMTP_LINES))

    def open(self) -> None:
        """Connect (and log in) to the SMTP server."""
        self.host = self.configure_host()
        self.num_emails = 0

    def close(self) -> None:
        """Say goodbye; a server that vanished mid-batch changes nothing recorded."""
        if self.host is not None:
            try:
                self.host.quit()
            except (OSError, smtplib.SMTPException):
                self.host.close()
            self.host = None


def _record_sent(message: _Outgoing, now: datetime, result: DeliveryResult) -> None:
    values = dict(status=MailStatus.SENT, sent_at=now, lease_until=None, last_error=None)
    if message.secret and not current_app.config["MAIL_KEEP_SECRET_BODIES"]:
        values.update(body_text=ERASED_BODY, body_html=None)
    _record(message, values)
    result.sent += 1


def _record_failure(
    message: _Outgoing, now: datetime, error: Exception, result: DeliveryResult,
    permanent: bool = False,
) -> None:
    values = dict(last_error=f"{type(error).__name__}: {error}"[:1000], lease_until=None)
    if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        # Given up: nobody will read the body again, and it may carry a survey link.
        values.update(status=MailStatus.UNDELIVERABLE)
        if not current_app.config["MAIL_KEEP_SECRET_BODIES"]:
            values.update(body_text=ERASED_BODY, body_html=None)
    else:
        values.update(status=MailStatus.FAILED,
                      next_attempt_at=now + backoff(message.attempts))
    _record(message, values)
    result.failed += 1


def _release(messages: list[_Outgoing]) -> None:
    """Give claimed, unsent messages back at once (their attempt did not happen)."""
    with transaction():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([m.id for m in messages]),
                   OutboxMessage.status == MailStatus.SENDING)
            .values(status=MailStatus.QUEUED, lease_until=None,
                    attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )


def _record(message: _Outgoing, values: dict) -> None:
    # Its own short transaction per message: once the server accepted a message, that is
    # stored before the next one goes, so it never goes out again. The commit need not
    # wait for the disk: a crash of pib360 loses nothing, and after a power cut a message
    # whose record was lost goes out once more.
    with transaction(durable=False):
        db.session.execute(_record_statement(tuple(sorted(values))),
                           {"message_id": message.id, **values})


@cache
def _record_statement(columns: tuple[str, ...]):
    """The UPDATE that records an outcome, built once per set of columns: one message is
    one row, and building the statement would cost more than running it."""
    table = OutboxMessage.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("message_id"), table.c.status == MailStatus.SENDING)
        .values({column: bindparam(column) for column in columns})
    )


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 1, 2, 4, ... minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _print(message: OutboxMessage) -> None:
    print(
        f"\n----- mail to {message.recipient}: {message.subject}\n{message.body_text}\n-----",
        flush=True,
    )


def init_app(app: Flask) -> None:
    """Deliver the mail a request queued once its transaction has committed and the
    response has gone out (the background job, `flask pib360 jobs run`, sends the rest)."""
    session_class = db.session.session_factory.class_
    for name, listener in (("after_flush", _note_queued_mail),
                           ("after_commit", _deliver_after_response),
                           ("after_soft_rollback", _forget_queued_mail)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def _note_queued_mail(session, flush_context) -> None:
    if any(isinstance(instance, OutboxMessage) for instance in session.new):
        session.info["mail_queued"] = True


def _forget_queued_mail(session, previous_transaction) -> None:
    session.info.pop("mail_queued", None)


def _deliver_after_response(session) -> None:
    if not session.info.pop("mail_queued", False) or not has_request_context():
        return
    if current_app.config["MAIL_DELIVER_AFTER_REQUEST"] and request_state.deliver_mail_later():
        after_response(deliver)
