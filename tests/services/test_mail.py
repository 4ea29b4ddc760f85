"""The mail outbox: queued with what it announces, delivered once, retried when SMTP is down."""

import smtplib
import socket
import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from pib360 import mail
from pib360.extensions import db
from pib360.models import MailStatus, OutboxMessage, User
from pib360.models.types import utcnow
from tests.conftest import free_port
from tests.helpers import make_user


def queue(count=1, secret=False, recipient="client{n}@example.com", commit=True):
    """Queue `count` password-reset mails (and commit them), outside a request like cron."""
    messages = [
        mail.queue(recipient.format(n=n), f"Bericht {n}", "password_reset", "nl", secret=secret,
                   user=SimpleNamespace(name=f"Klant {n}"),
                   link=f"http://localhost/secret-link-{n}", hours=2)
        for n in range(count)
    ]
    if commit:
        db.session.commit()
    return messages


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


@pytest.fixture
def smtp_down(app):
    """Point the app at a port on which nothing listens."""
    app.config["MAIL_PORT"] = free_port()


@pytest.fixture
def connections(monkeypatch):
    """The socket timeout of every SMTP connection opened."""
    opened = []
    connect = smtplib.SMTP.connect

    def counting_connect(self, *args, **kwargs):
        reply = connect(self, *args, **kwargs)
        opened.append(self.sock.gettimeout())
        return reply

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    return opened


def test_queued_mail_is_stored_only_with_the_change_it_announces(app):
    db.session.add(User(email="x@example.com", name="X", password_hash="-"))
    queue(recipient="x@example.com", commit=False)
    db.session.rollback()
    assert outbox() == []
    db.session.add(User(email="y@example.com", name="Y", password_hash="-"))
    queue(recipient="y@example.com")
    assert [m.recipient for m in outbox()] == ["y@example.com"]
    assert db.session.execute(db.select(User.email)).scalars().all() == ["y@example.com"]


def test_deliver_sends_every_due_message_over_one_connection(app, mailbox, connections):
    queue(3)
    result = mail.deliver()
    assert (result.sent, result.failed) == (3, 0)
    assert connections == [app.config["MAIL_TIMEOUT"]]  # one connection, with a timeout
    assert sorted(m["To"] for m in mailbox.messages) == [
        "client0@example.com", "client1@example.com", "client2@example.com"]
    assert mailbox.links(mailbox.to("client1@example.com")[0]) == [
        "http://localhost/secret-link-1"]
    for message in outbox():
        assert (message.status, message.attempts) == (MailStatus.SENT, 1)
        assert message.sent_at is not None and message.last_error is None


def test_messages_not_yet_due_wait(app, mailbox):
    [message] = queue()
    message.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert mail.deliver().sent == 0
    assert mailbox.messages == []
    assert mail.deliver(now=utcnow() + timedelta(minutes=6)).sent == 1
    assert len(mailbox.messages) == 1


def test_mail_is_retried_with_back_off_after_the_server_was_down(
    app, mailbox, smtp_down, smtp_server
):
    queue()
    start = utcnow()
    assert mail.deliver(now=start).failed == 1
    [message] = outbox()
    assert (message.status, message.attempts) == (MailStatus.FAILED, 1)
    assert "Connection refused" in message.last_error
    assert message.next_attempt_at == start + timedelta(minutes=1)

    assert mail.deliver(now=start + timedelta(seconds=30)).failed == 0  # still backing off
    assert outbox()[0].attempts == 1

    assert mail.deliver(now=start + timedelta(minutes=1)).failed == 1  # still down
    [message] = outbox()
    assert message.attempts == 2
    assert message.next_attempt_at == start + timedelta(minutes=1 + 2)  # the wait doubled

    app.config["MAIL_PORT"] = smtp_server.port  # the server is back
    later = start + timedelta(minutes=3)
    assert mail.deliver(now=later).sent == 1
    [message] = outbox()
    assert (message.status, message.attempts, message.sent_at) == (MailStatus.SENT, 3, later)
    assert message.last_error is None
    assert mail.deliver(now=later + timedelta(days=1)).sent == 0
    assert len(mailbox.to("client0@example.com")) == 1  # arrived exactly once


def test_back_off_doubles_up_to_six_hours():
    assert [mail.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert mail.backoff(30) == timedelta(hours=6)


def test_a_message_becomes_undeliverable_after_the_last_attempt(
    app, mailbox, smtp_down, smtp_server
):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    queue()
    now = utcnow()
    for _ in range(3):
        mail.deliver(now=now)
        now += timedelta(hours=7)
    [message] = outbox()
    assert (message.status, message.attempts) == (MailStatus.UNDELIVERABLE, 3)
    assert message.last_error
    app.config["MAIL_PORT"] = smtp_server.port
    assert mail.deliver(now=now + timedelta(days=30)).sent == 0
    assert mailbox.messages == []


def test_a_hung_server_cannot_hang_delivery(app, mailbox):
    with socket.socket() as silent:  # accepts connections, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=0.3)
        queue()
        started = time.monotonic()
        result = mail.deliver()
    assert result.failed == 1
    assert time.monotonic() - started < 3
    [message] = outbox()
    assert message.status is MailStatus.FAILED
    assert "timed out" in message.last_error


def test_a_refused_recipient_fails_alone(app, mailbox, connections, monkeypatch):
    async def handle_rcpt(server, session, envelope, address, options):
        if address.startswith("client1@"):
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(mailbox, "handle_RCPT", handle_rcpt, raising=False)
    queue(3)
    result = mail.deliver()
    assert (result.sent, result.failed) == (2, 1)
    assert len(connections) == 1
    statuses = [(m.recipient, m.status) for m in outbox()]
    assert statuses == [("client0@example.com", MailStatus.SENT),
                        ("client1@example.com", MailStatus.FAILED),
                        ("client2@example.com", MailStatus.SENT)]
    assert "550" in outbox()[1].last_error
    assert sorted(m["To"] for m in mailbox.messages) == [
        "client0@example.com", "client2@example.com"]


def test_a_claimed_message_cannot_be_claimed_again(app):
    queue(2)
    now = utcnow()
    first = mail._claim_due(now, batch=10)
    assert len(first) == 2
    db.session.expire_all()
    assert [m.status for m in outbox()] == [MailStatus.SENDING] * 2
    assert mail._claim_due(now, batch=10) == []
    assert mail._claim_due(now + timedelta(seconds=50), batch=10) == []  # lease still runs


def test_a_deliverer_that_started_during_anothers_claim_takes_nothing(app):
    """Deliverer B looks for due mail while A has claimed it but not yet committed."""
    queue(3)
    a_is_claiming, b_is_looking = threading.Event(), threading.Event()
    claims, errors = {}, []

    def deliverer(name):
        try:
            with app.app_context():
                if name == "a":
                    def hold(session):  # A's claim is written, not yet committed
                        a_is_claiming.set()
                        b_is_looking.wait(timeout=5)
                        time.sleep(0.3)  # B is now waiting for A's rows (or lock)

                    event.listen(db.session(), "before_commit", hold, once=True)
                else:
                    a_is_claiming.wait(timeout=5)
                    b_is_looking.set()
                claims[name] = [m.id for m in mail._claim_due(utcnow(), batch=30)]
                db.session.remove()
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=deliverer, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert claims == {"a": [m.id for m in outbox()], "b": []}
    assert all(m.attempts == 1 for m in outbox())


def test_a_message_left_sending_is_retried_when_its_lease_expires(app, mailbox):
    crashed, busy = queue(2)
    start = utcnow()
    assert len(mail._claim_due(start, batch=2)) == 2  # and then the deliverer(s) died
    assert mail.deliver(now=start + timedelta(seconds=50)).sent == 0
    db.session.expire_all()
    busy.lease_until = start + mail.LEASE + timedelta(minutes=5)  # another deliverer's
    db.session.commit()
    assert mail.deliver(now=start + mail.LEASE + timedelta(seconds=1)).sent == 1
    crashed_now, busy_now = outbox()
    assert (crashed_now.status, crashed_now.attempts) == (MailStatus.SENT, 2)
    assert busy_now.status is MailStatus.SENDING
    assert [m["To"] for m in mailbox.messages] == ["client0@example.com"]


def test_secret_bodies_are_erased_once_sent(app, mailbox):
    queue(secret=True)
    queue(recipient="plain{n}@example.com")
    mail.deliver()
    secret, plain = outbox()
    assert mailbox.links(mailbox.to("client0@example.com")[0]) == [
        "http://localhost/secret-link-0"]
    assert "secret-link" not in secret.body_text and secret.body_html is None
    assert secret.body_text == mail.ERASED_BODY
    assert "http://localhost/secret-link-0" in plain.body_text


def test_secret_bodies_can_be_kept_for_development(app, mailbox):
    app.config["MAIL_KEEP_SECRET_BODIES"] = True
    queue(secret=True)
    mail.deliver()
    [message] = outbox()
    assert message.status is MailStatus.SENT
    assert "http://localhost/secret-link-0" in message.body_text


def test_console_mode_prints_mail_instead_of_sending_it(app, mailbox, capsys, connections):
    app.config["MAIL_CONSOLE"] = True
    queue()
    assert mail.deliver().sent == 1
    printed = capsys.readouterr().out
    assert "client0@example.com" in printed and "Bericht 0" in printed
    assert "http://localhost/secret-link-0" in printed
    assert connections == [] and mailbox.messages == []
    assert outbox()[0].status is MailStatus.SENT


def test_mail_is_rendered_in_the_recipients_language(app, mailbox):
    user = make_user(language="en")
    for address, language in ((user.email, "en"), ("nl@example.com", "nl")):
        mail.queue(address, "Reset", "password_reset", language, user=user,
                   link="http://localhost/l", hours=2)
    db.session.commit()
    mail.deliver()
    assert "Hello Anna Jansen," in mailbox.text(mailbox.to("anna@example.com")[0])
    assert "Beste Anna Jansen," in mailbox.text(mailbox.to("nl@example.com")[0])


def test_a_message_that_cannot_be_sent_does_not_hold_up_the_rest(app, mailbox):
    [bad] = queue(recipient="bad{n}@example.com")
    bad.subject = "Hallo\nBcc: everyone@example.com"  # e.g. from a name typed with a newline
    db.session.commit()
    queue(2)
    result = mail.deliver()
    assert (result.sent, result.failed) == (2, 1)
    bad_now, *others = outbox()
    assert bad_now.status is MailStatus.UNDELIVERABLE  # retrying cannot help
    assert "BadHeaderError" in bad_now.last_error
    assert [m.status for m in others] == [MailStatus.SENT] * 2
    assert sorted(m["To"] for m in mailbox.messages) == [
        "client0@example.com", "client1@example.com"]


def test_no_database_transaction_stays_open_while_talking_to_the_smtp_server(app, mailbox,
                                                                             monkeypatch):
    """On SQLite an open transaction holds the write lock: a slow SMTP server must not
    keep every other worker from writing."""
    import sqlite3

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's single writer lock is what this is about")
    queue(2)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writes = []
    original = mail._TimeoutConnection.send_email

    def send_while_another_worker_writes(self, message, *args, **kwargs):
        other = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # fails with "database is locked" if we hold it
        other.execute("ROLLBACK")
        other.close()
        writes.append(message["To"])
        return original(self, message, *args, **kwargs)

    monkeypatch.setattr(mail._TimeoutConnection, "send_email", send_while_another_worker_writes)
    assert mail.deliver().sent == 2
    assert writes == ["client0@example.com", "client1@example.com"]


def test_an_address_with_an_international_domain_is_delivered(app, mailbox):
    queue(recipient="anna{n}@bücher.example")
    assert mail.deliver().sent == 1
    assert [m["To"] for m in mailbox.messages] == ["anna0@xn--bcher-kva.example"]
