"""Benchmark: what starting a worker costs, against a minimal Flask + Flask-SQLAlchemy app.

Run: .venv/bin/python bench/startup.py [--repeat 5]

Measured in the same run, each in fresh processes:
- import: CPU seconds and peak RSS of a Python process that imports the app
  (`pib360.wsgi`, which builds it) and of one that builds the minimal app;
- idle worker: the resident memory of a gunicorn worker (one worker, sync) serving each
  app, after it answered one request for its login page (or the minimal app's one page).
Prints each figure and its ratio to the minimal app.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402

MINIMAL = '''
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///{path}"
db = SQLAlchemy(app)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.route("/")
def index():
    return str(db.session.execute(db.select(db.func.count()).select_from(Note)).scalar())


with app.app_context():
    db.create_all()
'''
MEASURE = '''
import resource, time
start = time.process_time()
{code}
print(time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
'''


def environment(folder: Path) -> dict:
    return {**os.environ, "PIB360_CONFIG": "development", "PYTHONPATH": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'pib360.sqlite'}"}


def import_cost(code: str, folder: Path, repeat: int) -> tuple[float, float]:
    """Median CPU seconds and peak RSS (MB) of importing `code` in a fresh interpreter."""
    runs = []
    for _ in range(repeat):
        output = subprocess.run([sys.executable, "-c", MEASURE.format(code=code)], cwd=folder,
                                env=environment(folder), capture_output=True, text=True,
                                check=True).stdout.split()
        runs.append((float(output[0]), float(output[1])))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def idle_worker_rss(app: str, path: str, folder: Path) -> float:
    """Resident MB of one gunicorn worker after one request."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", app], cwd=folder, env=environment(folder))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
        return int(next(line for line in status.splitlines()
                        if line.startswith("VmRSS")).split()[1]) / 1024
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "minimal.py").write_text(MINIMAL.format(path=folder / "minimal.sqlite"))
        subprocess.run([sys.executable, "-m", "flask", "--app", "pib360", "db", "upgrade"],
                       cwd=ROOT, env=environment(folder), check=True, capture_output=True)
        base_cpu, base_rss = import_cost("import minimal", folder, args.repeat)
        cpu, rss = import_cost("import pib360.wsgi", folder, args.repeat)
        base_worker = idle_worker_rss("minimal:app", "/", folder)
        worker = idle_worker_rss("pib360.wsgi:app", "/account/login", folder)
    print(f"{'':32} {'minimal app':>12} {'pib360':>10} {'ratio':>7}")
    print(f"{'import, CPU seconds':32} {base_cpu:12.2f} {cpu:10.2f} {cpu / base_cpu:6.1f}x")
    print(f"{'import, peak RSS (MB)':32} {base_rss:12.0f} {rss:10.0f} {rss / base_rss:6.1f}x")
    print(f"{'idle gunicorn worker, RSS (MB)':32} {base_worker:12.0f} {worker:10.0f} "
          f"{worker / base_worker:6.1f}x")


if __name__ == "__main__":
    main()
