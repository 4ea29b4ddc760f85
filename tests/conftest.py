"""Fixtures: an app on a real database (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set), a test client, a CLI runner and a real SMTP server."""

import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from pib360 import create_app
from pib360.extensions import db, limiter

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """What the SMTP test server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def text(self, message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    def links(self, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://\S+", self.text(message))

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages to `address`, once `count` have arrived (from another process)."""
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.to(address)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the whole run."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    """The SMTP server's inbox, emptied for this test."""
    smtp_server.handler.messages.clear()
    return smtp_server.handler


@pytest.fixture(scope="session")
def postgresql_url():
    """The PostgreSQL test database, with the schema created once for the run."""
    url = os.environ["TEST_DATABASE_URL"]
    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """A URL to an empty database: a new SQLite file, or the emptied PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    url = request.getfixturevalue("postgresql_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The test's own session is committed first: it must not hold the database (SQLite
    write lock) while the request runs, and its objects are re-read afterwards.
    """

    def run_wsgi_app(self, environ, buffered=False):
        # Per request, redirects included: the context (and its session) ends with the
        # request, before the response is closed, as under a real WSGI server.
        db.session.commit()
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered)


@pytest.fixture
def app(database_url, smtp_server):
    """The app on an empty database, with mail going to the SMTP test server."""
    app = create_app(
        {
            "PIB360_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_PORT": smtp_server.port,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database_url.startswith("sqlite"):
            db.create_all()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
