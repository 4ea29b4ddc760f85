"""Benchmark: full client surveys under load, against minimal Flask endpoints.

Run: .venv/bin/python bench/load.py [--surveys 2000] [--concurrency 32] [--workers 4]
                                    [--postgresql URL]

Starts gunicorn (`--workers` workers of 4 threads, as the README deploys it) on a new
SQLite file, and on PostgreSQL when `--postgresql` names a database it may empty, and
drives `--surveys` clients through the whole survey (open the link, the welcome page, every
page read and posted, the thanks page), `--concurrency` at a time. Prints responses (HTTP
requests) per second, the submit's p50/p95/p99, errors, the server's CPU per request
(gunicorn's master and workers, from /proc) and each worker's memory afterwards, against
two endpoints measured in the same run under the same load, on the same database, by the
same gunicorn: a minimal Flask + Flask-SQLAlchemy + Jinja page doing one read and one
write, and a constant string. Then it checks the database: every invitation used once,
and after the close exactly one response per survey.
"""

import argparse
import concurrent.futures
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402

MINIMAL = '''
from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = {url!r}
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {options!r}
db = SQLAlchemy(app)
PAGE = "<!doctype html><title>{{{{ title }}}}</title><p>{{{{ count }}}} notes</p>"


class BenchNote(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(40))


@app.route("/")
def constant():
    return "ok"


@app.route("/note", methods=["POST"])
def note():
    count = db.session.execute(db.select(db.func.count()).select_from(BenchNote)).scalar()
    db.session.add(BenchNote(text="note"))
    db.session.commit()
    return render_template_string(PAGE, title="Notes", count=count)
'''
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def server_cpu(master: int) -> float:
    """CPU seconds of a gunicorn master and its workers so far."""
    pids = [master] + Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_rss(master: int) -> list[float]:
    """Resident MB of each gunicorn worker."""
    sizes = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(next(line for line in status.splitlines()
                              if line.startswith("VmRSS")).split()[1]) / 1024)
    return sizes


def start_gunicorn(app: str, workers: int, folder: Path, env: dict) -> tuple:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=folder, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz" if "pib360" in app else base, timeout=5)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"gunicorn did not start: {app}") from None
            time.sleep(0.2)
    time.sleep(2)  # every worker booted
    return server, base


def stop(server) -> None:
    server.terminate()
    server.wait(timeout=30)


def prepare(url: str, surveys: int) -> tuple[int, list[str], list[list[dict]]]:
    """An empty database with the schema, an advisor's open round with `surveys`
    invitations; returns the round id, the link tokens and each page's answers."""
    from sqlalchemy import insert

    from pib360 import clock, create_app
    from pib360.extensions import db
    from pib360.models import FeedbackRound, Invitation, InvitationLink, Role, User
    from pib360.models.types import utcnow
    from pib360.services import instruments, questionnaire
    from pib360.services.invitations import hash_token

    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        instrument = instruments.current()
        advisor = User(email="bench@example.com", name="Bench Advisor", role=Role.ADVISOR,
                       password_hash="-")
        answers = {item.id: 5 for item in instrument.scale_items}
        feedback_round = FeedbackRound(
            advisor=advisor, title="Load", instrument_id=instrument.id,
            instrument_version=instrument.version, self_completed=True,
            self_answers={**answers, instrument.choice_item.id: "expert"})
        db.session.add(feedback_round)
        feedback_round.open(utcnow(), clock.zone())
        db.session.flush()
        tokens = [secrets.token_urlsafe(32) for _ in range(surveys)]
        invitation_ids = db.session.execute(
            insert(Invitation).returning(Invitation.id),
            [{"round_id": feedback_round.id, "email": f"client{n}@example.com",
              "session_key": secrets.token_urlsafe(32)} for n in range(surveys)],
        ).scalars().all()
        db.session.execute(insert(InvitationLink), [
            {"invitation_id": invitation_id, "token_hash": hash_token(token)}
            for invitation_id, token in zip(invitation_ids, tokens, strict=True)])
        db.session.commit()
        pages = []
        for page in questionnaire.pages(instrument):
            fields = {}
            for item in page.items:
                if item.kind == "scale":
                    fields[f"q-{item.id}"] = "5"
                elif item.kind == "choice":
                    fields[f"q-{item.id}"] = "expert"
                else:
                    fields[f"q-{item.id}"] = "Prima samenwerking."
            pages.append(fields)
        round_id = feedback_round.id
        db.engine.dispose()
    return round_id, tokens, pages


def one_survey(base: str, token: str, pages: list[dict]) -> tuple[int, int, float | None]:
    """A client's whole survey: (requests, errors, seconds the submit took)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    requests = errors = 0
    submit = None

    def call(path: str, data: dict | None = None, expect: int = 200) -> str:
        nonlocal requests, errors
        requests += 1
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, data=body, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        if status != expect:
            errors += 1
        return text

    call(f"/s/{token}", expect=303)
    welcome = call("/survey/")
    match = CSRF.search(call("/survey/1")) or CSRF.search(welcome)
    csrf = match.group(1) if match else ""
    for number, fields in enumerate(pages, start=1):
        if number > 1:
            call(f"/survey/{number}")
        last = number == len(pages)
        started = time.perf_counter()
        call(f"/survey/{number}", {"csrf_token": csrf, "go": "submit" if last else "next",
                                    **fields}, expect=303)
        if last:
            submit = time.perf_counter() - started
    call("/survey/thanks")
    return requests, errors, submit


def drive_surveys(base: str, tokens: list[str], pages: list[dict], concurrency: int) -> dict:
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda token: one_survey(base, token, pages), tokens))
    elapsed = time.perf_counter() - started
    submits = sorted(s for _r, _e, s in results if s is not None)
    requests = sum(r for r, _e, _s in results)
    return {"requests": requests, "errors": sum(e for _r, e, _s in results),
            "seconds": elapsed, "p50": percentile(submits, 50), "p95": percentile(submits, 95),
            "p99": percentile(submits, 99)}


def drive_baseline(base: str, path: str, method: str, requests: int, concurrency: int) -> dict:
    def call(_n):
        request = urllib.request.Request(base + path, data=b"" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                return 0
        except OSError:
            return 1

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        errors = sum(pool.map(call, range(requests)))
    return {"requests": requests, "errors": errors, "seconds": time.perf_counter() - started}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def check_database(url: str, round_id: int, surveys: int) -> str:
    """Every invitation used once; after the close, exactly one response per survey."""
    from pib360 import create_app
    from pib360.extensions import db
    from pib360.models import FeedbackRound, Invitation, Response
    from pib360.services import rounds

    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        def count(model, *where):
            return db.session.execute(
                db.select(db.func.count()).select_from(model).where(*where)).scalar()

        used = count(Invitation, Invitation.used.is_(True))
        rounds.close_round(db.session.get(FeedbackRound, round_id))
        responses = count(Response, Response.round_id == round_id)
        db.engine.dispose()
    verdict = "OK" if used == responses == surveys else "MISMATCH"
    return f"{verdict}: {used} invitations used, {responses} responses, {surveys} surveys"


def run(label: str, url: str, args, folder: Path) -> None:
    round_id, tokens, pages = prepare(url, args.surveys)
    env = {**os.environ, "PYTHONPATH": str(folder), "PIB360_CONFIG": "production",
           "SECRET_KEY": "load-benchmark", "DATABASE_URL": url,
           "PIB360_BASE_URL": "http://127.0.0.1", "MAIL_PORT": "1"}
    app = ("pib360:create_app({'SESSION_COOKIE_SECURE': False, 'HSTS': False, "
           "'MAIL_DELIVER_AFTER_REQUEST': False})")
    server, base = start_gunicorn(app, args.workers, ROOT, env)
    try:
        before = server_cpu(server.pid)
        load = drive_surveys(base, tokens, pages, args.concurrency)
        cpu = server_cpu(server.pid) - before
        rss = worker_rss(server.pid)
    finally:
        stop(server)
    options = {"connect_args": {"timeout": 15}} if url.startswith("sqlite") else \
        {"pool_pre_ping": True}
    (folder / "minimal.py").write_text(MINIMAL.format(url=url, options=options))
    subprocess.run([sys.executable, "-c", "from minimal import app, db\n"
                    "with app.app_context(): db.create_all()"], cwd=folder, env=env,
                   check=True)
    baselines = {}
    server, base = start_gunicorn("minimal:app", args.workers, folder, env)
    try:
        for name, path, method in (("read+write", "/note", "POST"), ("constant", "/", "GET")):
            before = server_cpu(server.pid)
            result = drive_baseline(base, path, method, load["requests"], args.concurrency)
            result["cpu"] = server_cpu(server.pid) - before
            baselines[name] = result
    finally:
        stop(server)
    per_request = cpu / load["requests"]
    print(f"\n{label}: {args.surveys} surveys, {args.concurrency} at a time, "
          f"{args.workers} workers x 4 threads")
    print(f"  requests {load['requests']}, errors {load['errors']}, "
          f"{load['requests'] / load['seconds']:.0f} requests/s, "
          f"{args.surveys / load['seconds']:.1f} surveys/s")
    print(f"  submit p50 {load['p50'] * 1000:.0f} ms, p95 {load['p95'] * 1000:.0f} ms, "
          f"p99 {load['p99'] * 1000:.0f} ms")
    print(f"  server CPU per request: pib360 {per_request * 1000:.2f} ms; worker RSS after "
          f"the run {min(rss):.0f} to {max(rss):.0f} MB")
    for name, result in baselines.items():
        base_per_request = result["cpu"] / result["requests"]
        print(f"  baseline {name:<10} {base_per_request * 1000:.2f} ms "
              f"({result['requests'] / result['seconds']:.0f} requests/s, "
              f"errors {result['errors']}): pib360 is {per_request / base_per_request:.1f}x")
    print(f"  database: {check_database(url, round_id, args.surveys)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--postgresql", help="a PostgreSQL URL whose database may be emptied")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        run("SQLite", f"sqlite:///{folder / 'load.sqlite'}", args, folder)
        if args.postgresql:
            run("PostgreSQL", args.postgresql, args, folder)


if __name__ == "__main__":
    main()
