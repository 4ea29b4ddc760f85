"""The `flask pib360 ...` commands: users, the background job, demo data, reports, quality."""

import click
from flask.cli import AppGroup

from pib360.auth.forms import MIN_PASSWORD
from pib360.models import Role
from pib360.services import ServiceError

pib360_cli = AppGroup("pib360", help="Manage pib360: users, the background job, demo data.")


@pib360_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADVISOR.value,
              show_default=True)
@click.option("--name", help="Display name (defaults to the part before @).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.password_option(help="Asked for when not given.")
def create_user(email: str, role: str, name: str | None, language: str, password: str) -> None:
    """Create an account; asks for the password."""
    from email_validator import EmailNotValidError, validate_email

    from pib360.services import accounts

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters",
                                 param_hint="password")
    try:
        user = accounts.create_user(email, name or email.split("@")[0], password,
                                    Role(role), language)
    except ServiceError:
        raise click.ClickException(f"an account for {email} exists already") from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


jobs_cli = AppGroup("jobs", help="The background job: schedule, mail, reports, retention.")
pib360_cli.add_command(jobs_cli)

BUDGET_HELP = "Stop after this many seconds; what is left waits for the next run."


@jobs_cli.command("run")
@click.option("--budget", type=float, default=50, show_default=True, help=BUDGET_HELP)
def run_jobs_command(budget: float) -> None:
    """Run the background job once: close rounds at their deadline, send reminders and
    mail, render closed rounds' reports, apply retention.

    Safe to run from cron every minute, also from several machines at once.
    """
    _run_jobs(budget)


@pib360_cli.command("deliver")
@click.option("--budget", type=float, default=50, show_default=True, help=BUDGET_HELP)
def deliver_command(budget: float) -> None:
    """The same as `jobs run` (its old name)."""
    _run_jobs(budget)


def _run_jobs(budget: float) -> None:
    from pib360 import jobs

    job = jobs.run(budget)
    for line in job.lines(jobs.STEPS):
        click.echo(line)


@pib360_cli.command("worker")
@click.option("--interval", type=float, default=30, show_default=True,
              help="Seconds to wait after a run that found nothing more to do.")
@click.option("--budget", type=float, default=50, show_default=True, help=BUDGET_HELP)
def worker_command(interval: float, budget: float) -> None:
    """Run the background job in a loop, for a deployment without cron (stop: SIGTERM)."""
    from pib360.worker import work

    work(interval, budget, report=click.echo)


@pib360_cli.command("demo")
@click.option("--force", is_flag=True,
              help="Also in production (the demo accounts have a published password).")
def demo_command(force: bool) -> None:
    """Create demo accounts (and demo data) on this database and print how to log in."""
    from flask import current_app

    from pib360.services import demo

    if current_app.config["PIB360_CONFIG"] == "production" and not force:
        raise click.ClickException(
            "the demo accounts have a published password: not in production "
            "(use --force on a database nobody relies on)"
        )
    try:
        logins = demo.create_demo()
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo("Demo data is ready. Log in at the address pib360 runs on with:")
    for role, email, password in logins:
        click.echo(f"  {role:<8} {email:<28} password: {password}")
    click.echo(f"Besides, {demo.NORM_ADVISORS} demo advisors (demo-adviseur-01@example.com "
               f"and on) with a closed round each fill the norm and the quality page.")


@pib360_cli.command("report")
@click.argument("round_id", type=int)
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Write the PDF here.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write the CSV here.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Write the XLSX here.")
@click.option("--language", type=click.Choice(["nl", "en"]),
              help="Language of the files (default: the advisor's).")
def report_command(round_id: int, pdf_path, csv_path, xlsx_path, language) -> None:
    """Write the gap report of a closed round as PDF, CSV and/or XLSX files."""
    from pathlib import Path

    from pib360.extensions import db
    from pib360.models import FeedbackRound
    from pib360.services import reports

    feedback_round = db.session.get(FeedbackRound, round_id)
    if feedback_round is None:
        raise click.ClickException(f"there is no round {round_id}")
    if not feedback_round.is_closed:
        raise click.ClickException(f"round {round_id} is not closed yet: no report")
    targets = {"pdf": pdf_path, "csv": csv_path, "xlsx": xlsx_path}
    if not any(targets.values()):
        raise click.UsageError("give at least one of --pdf, --csv, --xlsx")
    locale = language or feedback_round.advisor.language
    for kind, path in targets.items():
        if path:
            data, _mimetype = reports.document(feedback_round, kind, locale, render_missing=True)
            Path(path).write_bytes(data)
            click.echo(f"Wrote {path} ({len(data):,} bytes).")


@pib360_cli.group("instrument")
def instrument_group() -> None:
    """Questionnaires: install a new version."""


@instrument_group.command("install")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--default", "make_default", is_flag=True,
              help="Also make it the questionnaire of new rounds.")
def install_instrument_command(file: str, make_default: bool) -> None:
    """Check an instrument file and install it, as the admin upload page does."""
    from pathlib import Path

    from flask_babel import force_locale

    from pib360.services import instruments

    path = Path(file)
    with path.open("rb") as handle:
        data = handle.read(instruments.MAX_FILE_SIZE + 1)
    with force_locale("en"):
        try:
            instrument = instruments.install(data, path.name, None, make_default)
        except ServiceError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Installed {instrument.id} {instrument.version} "
               f"({len(instrument.scale_items)} statements).")
    if make_default:
        click.echo("New rounds use it from now on; existing rounds keep their version.")


@pib360_cli.command("instrument-quality")
@click.option("--version", "version", help="Instrument version (default: the current one).")
@click.option("--instrument", "instrument_id",
              help="Instrument id (default: the current instrument's).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="en", show_default=True)
def instrument_quality_command(version: str | None, instrument_id: str | None,
                               language: str) -> None:
    """Print the reliability of every scale and the item statistics, over all closed rounds."""
    from flask_babel import force_locale, gettext

    from pib360.services import instruments, quality

    if version is None and instrument_id is None:
        key = (None, None)
    else:
        key = (instrument_id or instruments.current().id, version or instruments.current().version)
    try:
        result = quality.quality(None, *key)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    instrument = result.instrument
    click.echo(f"{instrument.id} {instrument.version}: {result.respondents} client(s) from "
               f"{result.rounds} closed round(s).")
    if not result.enough:
        raise click.ClickException(
            f"no figures: they need at least {quality.MIN_RESPONDENTS} clients from at least "
            f"{quality.MIN_ROUNDS} closed rounds, so that none can be traced to one round")
    from pib360.documents.quality_files import quality_text

    with force_locale(language):
        click.echo(quality_text(result.reliability, result.items, instrument, language, gettext))
