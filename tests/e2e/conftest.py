"""A real server process (gunicorn, several workers) on the test database."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def start_server(app, database_url, smtp_server):
    """Start gunicorn (four workers) serving the app on a free loopback port, with extra
    settings; returns its base URL. Stopped when the test ends."""
    processes = []

    def start(**settings) -> str:
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
            sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", f"pib360:create_app({overrides!r})",
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
    from playwright.sync_api import sync_playwright

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
