"""Benchmark: the first view of a closed round's report, against the view after it.

Run: .venv/bin/python bench/report.py [--responses 200] [--rounds 5] [--repeat 5]

On a temporary SQLite file, through the Flask test client (no network), for `--rounds`
closed rounds with `--responses` client responses each:
- the background job's work per round (`report_rendering.render_round`: the page for the
  advisor and for a coach, PDF, CSV and XLSX, in Dutch and English);
- the first view of each round's report page once the job has run, median over the rounds;
- the same in a freshly started process (as after a worker restart: what the view imports
  counts too), median over the rounds;
- a later view of the same page (the baseline), median of `--repeat`;
- for comparison, what a first view cost when the request rendered the page itself
  (REPORTS_RENDER_ON_REQUEST, as development does), and the PDF's first download then.
Prints each time and the first view's ratio to the later one.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pib360 import clock, create_app  # noqa: E402
from pib360.extensions import db  # noqa: E402
from pib360.models import FeedbackRound, Response, Role, User  # noqa: E402
from pib360.models.types import utcnow  # noqa: E402
from pib360.services import instruments, report_rendering, rounds  # noqa: E402

PASSWORD = "benchmark password"
ROOT = Path(__file__).resolve().parent.parent
# One view in a new interpreter: the app is built and logged in, then the view is timed.
FRESH = """
import time
from pib360 import create_app
app = create_app({config!r})
client = app.test_client()
client.post("/account/login", data={{"email": "bench@example.com", "password": {password!r}}})
start = time.perf_counter()
assert client.get("/reports/{round_id}").status_code == 200
print(time.perf_counter() - start)
"""


def fresh_view(config: dict, round_id: int) -> float:
    """The first view of a report in a freshly started process, in seconds."""
    code = FRESH.format(config=config, password=PASSWORD, round_id=round_id)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return float(result.stdout)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def build_round(advisor: User, responses: int, number: int) -> int:
    instrument = instruments.current()
    values = {item.id: 5 for item in instrument.scale_items}
    values[instrument.choice_item.id] = "expert"
    feedback_round = FeedbackRound(
        advisor=advisor, title=f"Benchmark {number}", instrument_id=instrument.id,
        instrument_version=instrument.version, self_answers=values, self_completed=True)
    db.session.add(feedback_round)
    feedback_round.open(utcnow(), clock.zone())
    db.session.flush()
    for client in range(responses):
        answers = {key: (client % 7) + 1 for key in values if key != "best_role"}
        answers["best_role"] = ["expert", "expert_plus", "valued_helper"][client % 3]
        answers["keep_doing"] = f"Comment {client}"
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id, answers=answers))
    db.session.commit()
    rounds.close_round(feedback_round)
    return feedback_round.id


def render(round_id: int) -> None:
    """The background job's work for one closed round."""
    report_rendering.render_round(db.session.get(FeedbackRound, round_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = {"PIB360_CONFIG": "testing",
                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                  "WTF_CSRF_ENABLED": False,  # log in without a form page
                  "REPORTS_RENDER_ON_REQUEST": False}
        app = create_app(config)
        with app.app_context():
            db.create_all()
            advisor = User(email="bench@example.com", name="Bench Advisor", role=Role.ADVISOR)
            advisor.set_password(PASSWORD)
            db.session.add(advisor)
            round_ids = [build_round(advisor, args.responses, n) for n in range(args.rounds + 1)]
            job = [timed(partial(render, round_id)) for round_id in round_ids[:-1]]
            db.session.remove()
        client = app.test_client()
        client.post("/account/login", data={"email": "bench@example.com", "password": PASSWORD})

        def view(round_id: int, path: str = "") -> None:
            response = client.get(f"/reports/{round_id}{path}")
            assert response.status_code == 200, (round_id, response.status_code)

        fresh = [fresh_view(config, round_id) for round_id in round_ids[:-1]]
        first = [timed(partial(view, round_id)) for round_id in round_ids[:-1]]
        later = [timed(lambda: view(round_ids[0])) for _ in range(args.repeat)]
        app.config["REPORTS_RENDER_ON_REQUEST"] = True  # the way it was: render in the request
        unrendered = round_ids[-1]
        in_request = timed(lambda: view(unrendered))
        pdf_in_request = timed(lambda: view(unrendered, "/report.pdf"))
    baseline = statistics.median(later)
    print(f"report of a closed round with {args.responses} client responses "
          f"(SQLite, test client; medians)")
    for label, seconds in [
        (f"job: render one round (median of {args.rounds})", statistics.median(job)),
        (f"first view after the job (median of {args.rounds})", statistics.median(first)),
        (f"the same in a fresh process (median of {args.rounds})", statistics.median(fresh)),
        (f"baseline: a later view (median of {args.repeat})", baseline),
        ("first view rendered in the request (before)", in_request),
        ("PDF rendered in the request (before)", pdf_in_request),
    ]:
        print(f"{label:<52} {seconds * 1000:8.1f} ms {seconds / baseline:7.2f}x")


if __name__ == "__main__":
    main()
