"""`flask pib360 worker`: the background job in a loop, for a deployment without cron."""

import signal
import threading
from collections.abc import Callable

from flask import current_app

from pib360 import jobs
from pib360.extensions import db


def work(interval: float, budget: float, report: Callable[[str], object] = print,
         runs: int | None = None) -> None:
    """Run the job, then again after `interval` seconds (at once when it ran out of
    budget with work left), until SIGTERM or SIGINT, or after `runs` runs."""
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set())
                for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        done = 0
        while not stop.is_set() and (runs is None or done < runs):
            busy = _run_once(budget, report)
            done += 1
            if not busy and (runs is None or done < runs):
                stop.wait(interval)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run_once(budget: float, report: Callable[[str], object]) -> bool:
    """One run; whether it stopped with work left. A failing run (the database away) is
    logged and tried again after the interval: every step picks up where it was."""
    try:
        job = jobs.run(budget)
    except Exception:
        current_app.logger.exception("the background job failed; trying again later")
        return False
    finally:
        db.session.remove()
    for line in job.lines(jobs.STEPS):
        report(line)
    return job.out_of_time
