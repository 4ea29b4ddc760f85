"""Faults an operator meets: a gunicorn worker killed while clients submit, and a run of
the background job killed while it sends. Nothing is lost; at most the one message in
flight goes out twice."""

import asyncio
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from pib360 import mail
from pib360.extensions import db
from pib360.models import Invitation, OutboxMessage, Response
from pib360.models.types import utcnow
from pib360.services import instruments, rounds
from tests.conftest import DATABASES, ROOT
from tests.e2e.test_concurrency import Browser, prepare
from tests.helpers import full_answers, make_invitation, make_round, make_user


def gunicorn_workers() -> list[int]:
    """The pids of the workers of the gunicorn this test started."""
    me = str(os.getpid())
    masters = [pid for pid in os.listdir("/proc") if pid.isdigit() and _parent(pid) == me]
    return [int(pid) for master in masters
            for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _parent(pid: str) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1]
    except OSError:
        return None


def test_a_killed_worker_loses_no_survey(app, database_url, start_server):
    if database_url.startswith("sqlite") and "postgresql" in DATABASES:
        pytest.skip("once is enough for the time it takes: on PostgreSQL, as in production")
    base = start_server(workers=2)
    feedback_round = make_round(make_user())
    instrument = instruments.for_round(feedback_round)
    tokens = [make_invitation(feedback_round, email=f"c{n}@example.com")[1] for n in range(12)]
    answers = {k: str(v) for k, v in full_answers(instrument, 5).items()}
    forms = [(browser := Browser(base), prepare(browser, token, instrument, answers))
             for token in tokens]
    pages = [""] * len(forms)

    def submit(index: int) -> None:
        browser, form = forms[index]
        form = dict(form)
        path = form.pop("path")
        for _attempt in range(5):  # as a client presses the button again
            try:
                pages[index] = browser.post(path, form)
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(forms))]
    for thread in threads[:6]:
        thread.start()
    os.kill(gunicorn_workers()[0], signal.SIGKILL)  # gunicorn starts a new one
    for thread in threads[6:]:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all("anoniem ontvangen" in page or "waren al ontvangen" in page for page in pages)
    db.session.commit()
    assert db.session.execute(db.select(Invitation.used)).scalars().all() == [True] * 12
    rounds.close_round(feedback_round)
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar() == 12


def test_a_killed_job_run_sends_only_the_message_in_flight_twice(app, database_url,
                                                                 smtp_server, mailbox,
                                                                 monkeypatch):
    db.session.add_all(OutboxMessage(recipient=f"client{n}@example.com", subject=f"Bericht {n}",
                                     body_text=f"Hallo {n}") for n in range(40))
    db.session.commit()
    handle = mailbox.handle_DATA

    async def slowly(server, session, envelope):
        await asyncio.sleep(0.03)
        return await handle(server, session, envelope)

    monkeypatch.setattr(mailbox, "handle_DATA", slowly)
    overrides = {"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                 "MAIL_PORT": smtp_server.port}
    code = ("from pib360 import create_app, jobs\n"
            f"app = create_app({overrides!r})\n"
            "with app.app_context():\n"
            "    jobs.run(50)\n")
    run = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(mailbox.messages) < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    run.kill()  # mid-batch
    run.wait(timeout=10)
    assert 10 <= len(mailbox.messages) < 40
    # Another run, once the dead run's claims have run out (at most a minute).
    assert mail.deliver(now=utcnow() + mail.LEASE + timedelta(seconds=1)).failed == 0
    received = [m["To"] for m in mailbox.messages]
    assert set(received) == {f"client{n}@example.com" for n in range(40)}
    assert len(received) - len(set(received)) <= 1
