"""Fixtures: an app on a real database (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set), a test client, a CLI runner and a real SMTP server."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from pib360 import create_app
from pib360.extensions import db, limiter

ROOT = Path(__file__).resolve().parents[1]
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_configure(config):
    """Under pytest-xdist, give each worker a PostgreSQL database and a Redis database of its
    own (test_gw0, test_gw1, ...; /15, /14, ...), so that workers never empty each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    if os.environ.get("TEST_DATABASE_URL"):
        server = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"{server.database}_{worker}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        os.environ["TEST_DATABASE_URL"] = server.set(database=name).render_as_string(
            hide_password=False)
    if os.environ.get("TEST_REDIS_URL"):
        url, _slash, index = os.environ["TEST_REDIS_URL"].rpartition("/")
        os.environ["TEST_REDIS_URL"] = f"{url}/{(int(index or 0) - number) % 16}"


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


# A real server process (gunicorn, several workers) and a real browser (Chromium).


@pytest.fixture
def start_server(app, database_url, smtp_server, tmp_path):
    """Start gunicorn as the README deploys it (four workers of four threads, unless told
    otherwise) serving the app on a free loopback port, with extra settings; returns its
    base URL. Stopped when the test ends. Its access log, with each request's duration, is
    `server_log`."""
    processes = []

    def start(workers: int = 4, **settings) -> str:
        port = free_port()
        overrides = {
            "PIB360_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_PORT": smtp_server.port,
            "PIB360_BASE_URL": f"http://127.0.0.1:{port}",
            **settings,
        }
        app.config["PIB360_BASE_URL"] = overrides["PIB360_BASE_URL"]
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--access-logfile", str(tmp_path / "access.log"),
            "--access-logformat", "%(m)s %(U)s %(s)s %(D)s",
            f"pib360:create_app({overrides!r})",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": ""})
        processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_up(process, base_url)
        return base_url

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server_log(tmp_path):
    """The requests gunicorn served, with the seconds the app took for each."""

    def read(method: str, prefix: str, count: int) -> list[tuple[str, int, float]]:
        """(path, status, seconds) of the `method` requests to paths under `prefix`, once
        `count` are logged (a line is written just after its response has gone out)."""
        deadline = time.monotonic() + 10
        while True:
            lines = (tmp_path / "access.log").read_text().splitlines()
            found = [(path, int(status), int(micros) / 1e6)
                     for logged, path, status, micros in (line.split() for line in lines)
                     if logged == method and path.startswith(prefix)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    return read


def _wait_until_up(process, base_url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base_url + "/account/login", timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


@pytest.fixture
def live_server(start_server):
    """gunicorn serving the app on a free loopback port; yields its base URL."""
    return start_server()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine (the suite runs in parallel) may take more than the default 5 s.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A page in a phone-sized window."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    """A page in a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
