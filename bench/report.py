"""Benchmark: the gap report of a round with 200 client responses, uncached and cached.

Run: .venv/bin/python bench/report.py [--responses 200] [--repeat 5]

Times, on a temporary SQLite file through the Flask test client (no network):
- uncached: the report page plus its four SVG charts, the first time (charts rendered);
- cached: the same five requests again (charts read from the report_file table);
- the page alone (what a reader waits for before the images load);
- the PDF, first time and cached;
and, as the baseline measured in the same run, rendering one minimal matplotlib figure to
SVG. Prints each time and its ratio to that baseline.
"""

import argparse
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matplotlib.figure import Figure  # noqa: E402

from pib360 import clock, create_app  # noqa: E402
from pib360.extensions import db  # noqa: E402
from pib360.models import FeedbackRound, Response, Role, User  # noqa: E402
from pib360.models.types import utcnow  # noqa: E402
from pib360.services import instruments, rounds  # noqa: E402

PASSWORD = "benchmark password"


def minimal_figure() -> bytes:
    """The baseline: the least a chart costs, one line on one axes, as SVG."""
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().plot([1, 2, 3], [2, 1, 3])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def build_round(responses: int) -> int:
    instrument = instruments.current()
    advisor = User(email="bench@example.com", name="Bench Advisor", role=Role.ADVISOR)
    advisor.set_password(PASSWORD)
    values = {item.id: 5 for item in instrument.scale_items}
    values[instrument.choice_item.id] = "expert"
    feedback_round = FeedbackRound(
        advisor=advisor, title="Benchmark", instrument_id=instrument.id,
        instrument_version=instrument.version, self_answers=values, self_completed=True)
    db.session.add(feedback_round)
    feedback_round.open(utcnow(), clock.zone())
    db.session.flush()
    for number in range(responses):
        answers = {key: (number % 7) + 1 for key in values if key != "best_role"}
        answers["best_role"] = ["expert", "expert_plus", "valued_helper"][number % 3]
        answers["keep_doing"] = f"Comment {number}"
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id, answers=answers))
    db.session.commit()
    rounds.close_round(feedback_round)
    return feedback_round.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"PIB360_CONFIG": "testing",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                          "WTF_CSRF_ENABLED": False})  # log in without a form page
        with app.app_context():
            db.create_all()
            round_id = build_round(args.responses)
            db.session.remove()
        client = app.test_client()
        client.post("/account/login", data={"email": "bench@example.com", "password": PASSWORD})
        page = f"/reports/{round_id}"
        urls = [page] + [f"{page}/charts/{k}.svg" for k in ("dimensions", "roles", "items",
                                                              "role-choices")]

        def everything() -> None:
            for url in urls:
                assert client.get(url).status_code == 200, url

        def pdf() -> None:
            assert client.get(f"{page}/report.pdf").status_code == 200

        minimal_figure()  # warm up matplotlib's font cache
        baseline = best(minimal_figure, args.repeat)
        uncached = best(everything, 1)
        cached = best(everything, args.repeat)
        page_only = best(lambda: client.get(page), args.repeat)
        pdf_uncached = best(pdf, 1)
        pdf_cached = best(pdf, args.repeat)
    print(f"report of a round with {args.responses} client responses "
          f"(best of {args.repeat}, SQLite, test client)")
    print(f"{'baseline: one minimal matplotlib figure':<46} {baseline * 1000:8.1f} ms   1.0x")
    for label, seconds in [
        ("page + 4 charts, uncached (first view)", uncached),
        ("page + 4 charts, cached", cached),
        ("page alone", page_only),
        ("PDF, uncached", pdf_uncached),
        ("PDF, cached", pdf_cached),
    ]:
        print(f"{label:<46} {seconds * 1000:8.1f} ms {seconds / baseline:6.1f}x")
    print(f"cached / uncached: {cached / uncached:.2f}")


if __name__ == "__main__":
    main()
