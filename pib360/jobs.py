"""The background job: everything pib360 does at a time rather than on a click.

`run()` goes through `STEPS` in order, again and again, until no step has work left or
its time budget is spent. `flask pib360 jobs run` runs it once (from cron, every minute),
`flask pib360 worker` in a loop; several runs at once (cron on two machines, workers) are
safe, because every step claims its work with conditional updates or does work that is
the same whoever does it.

To add a step, write a function that takes the monotonic time to stop at and returns a
`StepResult`, and add it to `STEPS`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class StepResult:
    """What one pass of a step did (counts by name), and whether it has work left."""

    counts: dict[str, int] = field(default_factory=dict)
    more: bool = False


@dataclass(frozen=True)
class Step:
    """A named piece of the job, and how to tell the operator what it did."""

    name: str
    run: Callable[[float], StepResult]
    words: str = ""  # formatted with the step's counts, summed over the run


def _schedule(until: float) -> StepResult:
    """Automatic reminders before a round's deadline, closing rounds once it passed."""
    from pib360.services.schedule import run_schedule

    reminded, closed = run_schedule()
    return StepResult(dict(reminded=reminded, closed=closed))


def _retention(until: float) -> StepResult:
    """Notice of deletion a month ahead, then deletion of closed rounds past retention."""
    from pib360.services.retention import apply_retention

    noticed, deleted = apply_retention()
    return StepResult(dict(noticed=noticed, deleted=deleted))


def _mail(until: float) -> StepResult:
    """Send due mail until none is due or the budget is spent."""
    from pib360.mail import deliver

    result = deliver(until=until)
    return StepResult(dict(sent=result.sent, failed=result.failed),
                      more=time.monotonic() >= until)


def _reports(until: float) -> StepResult:
    """Render the charts, pages and files of closed rounds that lack them."""
    from pib360.services.report_rendering import render_waiting_reports

    rendered, waiting = render_waiting_reports(until)
    return StepResult(dict(rendered=rendered), more=waiting)


def _norms(until: float) -> StepResult:
    """Recompute the installation's norms when a round closed since the last time; before
    the reports, so that a closed round's PDF shows the norm that includes it."""
    from pib360.services.norms import recompute_norms

    return StepResult(dict(norms=recompute_norms() or 0))


def _outbox(until: float) -> StepResult:
    """Delete mail that was sent or failed for good."""
    from pib360.mail import forget_finished

    return StepResult(dict(deleted=forget_finished()))


def _sqlite_log(until: float) -> StepResult:
    """Empty SQLite's write-ahead log: erased rows must not linger there, whoever erased."""
    from pib360.database import truncate_wal

    truncate_wal()
    return StepResult()


# In order: what queues mail comes before the mail, the slow rendering after it.
STEPS: list[Step] = [
    Step("schedule", _schedule, "Reminded {reminded} round(s), closed {closed} round(s)."),
    Step("mail", _mail, "Sent {sent} message(s), {failed} failed (will be retried)."),
    Step("norms", _norms, "Recomputed the norms of {norms} instrument version(s)."),
    Step("reports", _reports, "Rendered the reports of {rendered} closed round(s)."),
    Step("retention", _retention,
         "Retention: {noticed} notice(s) sent, {deleted} round(s) deleted."),
    Step("outbox", _outbox, "Deleted {deleted} finished message(s) from the outbox."),
    Step("sqlite-log", _sqlite_log),
]


@dataclass
class JobRun:
    """What one run of the job did: each step's counts, summed over its passes."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    passes: int = 0
    out_of_time: bool = False  # stopped by the budget with work left

    def add(self, step: Step, result: StepResult) -> None:
        totals = self.counts.setdefault(step.name, {})
        for name, count in result.counts.items():
            totals[name] = totals.get(name, 0) + count

    def lines(self, steps: list[Step]) -> list[str]:
        """What the run did, a line per step that says something."""
        return [step.words.format(**self.counts[step.name]) for step in steps
                if step.words and step.name in self.counts]


def run(budget_seconds: float = 50, steps: list[Step] | None = None) -> JobRun:
    """Run every step, and again while one has work left, until `budget_seconds` pass.

    Each step gets the time to stop at; a step that cannot stop midway (the schedule)
    finishes its pass. A step that still has work when the budget is spent leaves it
    for the next run.
    """
    until = time.monotonic() + budget_seconds
    job = JobRun()
    more = True
    while more and time.monotonic() < until:
        more = False
        job.passes += 1
        for step in steps or STEPS:
            if time.monotonic() >= until:
                break
            result = step.run(until)
            job.add(step, result)
            more = more or result.more
    job.out_of_time = more
    return job
