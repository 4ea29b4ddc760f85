"""The mail outbox: queue a message with the change it announces, deliver it later.

`queue()` only adds a row to the session; the caller's commit stores it together with
what it announces, and a request that committed mail delivers it once its response has
gone out (`init_app` registers that, in one place, as SQLAlchemy session events).
`deliver()` claims due rows, sends them over one SMTP connection and records the outcome
of each, so nothing is lost when the server is down and nothing is sent twice when several
deliverers (cron, workers) run at once.
"""

import smtplib
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import Flask, current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy import and_, event, or_, update

from pib360 import request_state
from pib360.background import after_response
from pib360.database import transaction
from pib360.extensions import db
from pib360.models import MailStatus, OutboxMessage
from pib360.models.types import utcnow

# How long a claimed message belongs to one deliverer before another may retry it.
LEASE = timedelta(minutes=10)
LEASE_MARGIN = timedelta(minutes=1)
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


def sender(sender_name: str | None) -> str | tuple[str, str]:
    """The From header: the configured sender, under `sender_name` when there is one."""
    configured = current_app.config["MAIL_DEFAULT_SENDER"]
    if not sender_name:
        return configured
    address = configured[1] if isinstance(configured, tuple) else parseaddr(configured)[1]
    return (sender_name, address)


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
    sender_name: str | None
    subject: str
    body_text: str
    body_html: str | None

    def to_flask_message(self) -> Message:
        return Message(
            subject=self.subject,
            recipients=[self.recipient],
            body=self.body_text,
            html=self.body_html,
            sender=sender(self.sender_name),
        )


def deliver(now: datetime | None = None, batch: int = 200) -> DeliveryResult:
    """Send every due message once; record each outcome as soon as it is known."""
    now = now or utcnow()
    outgoing = _claim_due(now, batch)
    result = DeliveryResult()
    if not outgoing:
        return result
    if current_app.config["MAIL_CONSOLE"]:
        for message in outgoing:
            _print(message)
            _record_sent(message, now, result)
        return result
    connection = _TimeoutConnection(current_app.extensions["mail"])
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        for message in outgoing:
            _record_failure(message, now, exc, result)
        return result
    # Stop before the claim runs out: after that another deliverer may take the rest.
    stop_at = time.monotonic() + (LEASE - LEASE_MARGIN).total_seconds()
    try:
        for message in outgoing:
            if time.monotonic() > stop_at:
                break
            _send_one(connection, message, now, result)
    finally:
        connection.close()
    return result


def _send_one(connection, message: _Outgoing, now: datetime, result: DeliveryResult) -> None:
    if message.recipient is None:  # erased: the round closed before it could go out
        _record_failure(message, now, ValueError("recipient erased"), result, permanent=True)
        return
    try:
        connection.send(message.to_flask_message())
    except BadHeaderError as exc:
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
        values.update(status=MailStatus.UNDELIVERABLE)
    else:
        values.update(status=MailStatus.FAILED,
                      next_attempt_at=now + backoff(message.attempts))
    _record(message, values)
    result.failed += 1


def _record(message: _Outgoing, values: dict) -> None:
    # Its own short transaction per message: once the server accepted a message, that is
    # stored before the next one goes, so it never goes out again.
    with transaction():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status == MailStatus.SENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
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
    response has gone out (the command line delivers with `flask pib360 deliver`)."""
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
