"""Benchmark: sending the outbox over one SMTP connection, against raw smtplib.

Run: .venv/bin/python bench/mail.py [--messages 500] [--repeat 5]

All send the same messages (a subject, a plain and an HTML body of an invitation's size,
Date and Message-ID) over one connection to the same local aiosmtpd server:
- pib360: `mail.deliver()` on a temporary SQLite file, which claims the messages a batch
  at a time, builds each, and records each outcome in its own transaction before the
  next goes;
- baseline: a loop over `smtplib.SMTP.send_message` with `email.message.EmailMessage`,
  the standard library's own way;
- floor: `smtplib.SMTP.sendmail` of the bytes pib360 sends, built beforehand (SMTP alone).
Prints the median of each and pib360's ratio to both.
"""

import argparse
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pib360 import create_app  # noqa: E402
from pib360.extensions import db  # noqa: E402
from pib360.models import OutboxMessage  # noqa: E402

TEXT = "Beste klant,\n\n" + "Wilt u mij feedback geven? " * 20 + "\n\nhttp://localhost/s/{n}\n"
HTML = "<p>Beste klant,</p><p>" + "Wilt u mij feedback geven? " * 20 + "</p><p>{n}</p>"


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def raw_smtplib(port: int, messages: int) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(messages):
            message = EmailMessage()
            message["Subject"] = f"Feedback {n}"
            message["From"] = "pib360 <noreply@localhost>"
            message["To"] = f"client{n}@example.com"
            message["Date"] = formatdate()
            message["Message-ID"] = make_msgid(domain="localhost")
            message.set_content(TEXT.format(n=n))
            message.add_alternative(HTML.format(n=n), subtype="html")
            smtp.send_message(message)
    return time.perf_counter() - start


def prebuilt_bytes(port: int, app, messages: int) -> float:
    from pib360.mail import _SMTP_LINES, _Outgoing

    with app.app_context():
        data = [_Outgoing(n, 1, False, f"client{n}@example.com", f"Feedback {n}",
                          TEXT.format(n=n), HTML.format(n=n))
                .to_email("pib360 <noreply@localhost>").as_bytes(policy=_SMTP_LINES)
                for n in range(messages)]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n, message in enumerate(data):
            smtp.sendmail("noreply@localhost", [f"client{n}@example.com"], message)
    return time.perf_counter() - start


def pib360_deliver(app, messages: int) -> float:
    from pib360 import mail

    with app.app_context():
        db.session.add_all(
            OutboxMessage(recipient=f"client{n}@example.com", subject=f"Feedback {n}",
                          body_text=TEXT.format(n=n), body_html=HTML.format(n=n))
            for n in range(messages))
        db.session.commit()
        start = time.perf_counter()
        result = mail.deliver()
        elapsed = time.perf_counter() - start
        assert result.sent == messages, result
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The server in a process of its own, as a real one is: in a thread of this process it
    # would compete with the sender for the interpreter lock.
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                               f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"])
    _wait_for(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app({"PIB360_CONFIG": "testing", "MAIL_PORT": port,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
            with app.app_context():
                db.create_all()
            raw_smtplib(port, 20)  # warm up both
            pib360_deliver(app, 20)
            baseline, floor, ours = [], [], []
            for _ in range(args.repeat):  # in turns, so a busy moment hits all three
                baseline.append(raw_smtplib(port, args.messages))
                floor.append(prebuilt_bytes(port, app, args.messages))
                ours.append(pib360_deliver(app, args.messages))
    finally:
        server.terminate()
        server.wait(timeout=10)
    raw, bare = statistics.median(baseline), statistics.median(floor)
    deliver = statistics.median(ours)
    print(f"{args.messages} messages over one connection (median of {args.repeat})")
    for label, seconds in [("baseline: smtplib send_message", raw),
                           ("floor: smtplib sendmail, prebuilt", bare),
                           ("pib360 mail.deliver()", deliver)]:
        print(f"{label:<36} {seconds:7.3f} s  {seconds / args.messages * 1000:6.2f} ms/message")
    print(f"pib360 / baseline: {deliver / raw:.2f}x   pib360 / floor: {deliver / bare:.2f}x")


if __name__ == "__main__":
    main()
