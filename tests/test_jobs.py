"""The background job (`pib360 jobs run`, `deliver`, `worker`): it works until its queue is
empty, a crash holds mail up briefly and sends at most the message in flight twice, and
a closed round's report is ready before anyone asks for it."""

from datetime import timedelta

import pytest

from pib360 import jobs, mail
from pib360.extensions import db
from pib360.models import MailStatus, OutboxMessage, ReportFile, Role
from pib360.models.types import utcnow
from pib360.worker import work
from tests.helpers import log_in, make_closed_round, make_user, post_form


def queue(count: int) -> None:
    db.session.add_all(OutboxMessage(recipient=f"client{n}@example.com", subject=f"Bericht {n}",
                                     body_text=f"Hallo {n}", body_html=f"<p>Hallo {n}</p>")
                       for n in range(count))
    db.session.commit()


def test_one_run_sends_everything_due_over_one_connection(app, runner, mailbox):
    queue(mail.BATCH * 2 + 5)  # more than one claim
    result = runner.invoke(args=["pib360", "jobs", "run"])
    assert result.exit_code == 0, result.output
    assert f"Sent {mail.BATCH * 2 + 5} message(s), 0 failed" in result.output
    assert len(mailbox.messages) == mail.BATCH * 2 + 5
    # Sent mail leaves the outbox: its body (perhaps with a link) is nobody's business.
    assert "Deleted 45 finished message(s)" in result.output
    assert db.session.execute(db.select(OutboxMessage)).first() is None
    # The old name still works.
    assert "Sent 0 message(s)" in runner.invoke(args=["pib360", "deliver"]).output


def test_a_crash_mid_batch_sends_only_the_message_in_flight_twice(app, mailbox, monkeypatch):
    queue(5)
    start = utcnow()
    record = mail._record
    recorded = []

    def crash_after_the_third_is_accepted(message, values):
        if len(recorded) == 2:
            raise SystemExit("killed")  # the server has the third; its record is lost
        recorded.append(message.id)
        record(message, values)

    monkeypatch.setattr(mail, "_record", crash_after_the_third_is_accepted)
    with pytest.raises(SystemExit):
        mail.deliver(now=start)
    monkeypatch.setattr(mail, "_record", record)
    db.session.rollback()
    assert mail.deliver(now=start + timedelta(seconds=30)).sent == 0  # still claimed
    assert mail.deliver(now=start + mail.LEASE + timedelta(seconds=1)).sent == 3
    received = sorted(m["To"] for m in mailbox.messages)
    assert received == sorted([f"client{n}@example.com" for n in range(5)]
                              + ["client2@example.com"])
    assert mail.LEASE <= timedelta(minutes=1)


def test_the_worker_runs_the_job_until_stopped(app, mailbox, capsys):
    queue(3)
    work(interval=0, budget=10, runs=2)
    assert len(mailbox.messages) == 3
    assert "Sent 3 message(s), 0 failed" in capsys.readouterr().out


def test_an_undeliverable_message_loses_its_body_and_then_its_row(app, mailbox, monkeypatch):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    db.session.add(OutboxMessage(recipient="nobody@example.com", subject="Uitnodiging",
                                 body_text="http://localhost/s/secret-token", secret=True))
    db.session.commit()

    async def refuse(server, session, envelope, address, options):
        return "550 no such user here"

    monkeypatch.setattr(mailbox, "handle_RCPT", refuse, raising=False)
    assert mail.deliver().failed == 1
    [message] = db.session.execute(db.select(OutboxMessage)).scalars()
    db.session.refresh(message)
    assert message.status is MailStatus.UNDELIVERABLE
    assert "secret-token" not in message.body_text
    jobs.run(budget_seconds=10)
    assert db.session.execute(db.select(OutboxMessage)).first() is None


def test_the_steps_run_in_order_and_norms_have_their_place():
    names = [step.name for step in jobs.STEPS]
    # Norms before reports: a closed round's PDF shows the norm that includes it.
    assert names[:4] == ["schedule", "mail", "norms", "reports"]
    assert "retention" in names and names[-1] == "sqlite-log"


def test_a_closed_round_is_prepared_by_the_job_and_never_in_the_request(app, client):
    """Before the job: the page says the report is being prepared and reloads itself;
    the download answers 503 with Retry-After. After one run: both straight from storage,
    in Dutch and in English, for the advisor and for a coach."""
    app.config["REPORTS_RENDER_ON_REQUEST"] = False
    advisor = make_user()
    feedback_round = make_closed_round(advisor)
    log_in(client)
    page = client.get(f"/reports/{feedback_round.id}")
    assert page.status_code == 202
    assert page.headers["Refresh"] == "10"
    assert "wordt voorbereid" in page.get_data(as_text=True)
    pdf = client.get(f"/reports/{feedback_round.id}/report.pdf")
    assert pdf.status_code == 503 and pdf.headers["Retry-After"] == "10"
    assert pdf.mimetype == "text/html"
    assert db.session.execute(db.select(ReportFile)).first() is None  # nothing rendered

    run = jobs.run(budget_seconds=60)
    assert run.counts["reports"] == {"rendered": 1}
    names = {(name.partition("@")[0], locale) for name, locale in
             db.session.execute(db.select(ReportFile.name, ReportFile.locale))}
    assert names == {(name, locale) for locale in ("nl", "en") for name in (
        "page-own.html", "page-coach.html", "report.pdf", "report.csv", "report.xlsx",
        "at-a-glance.json")}
    page = client.get(f"/reports/{feedback_round.id}")
    assert page.status_code == 200
    assert "Spiegelrapport: Najaar 2026" in page.get_data(as_text=True)
    assert client.get(f"/reports/{feedback_round.id}/report.pdf").data.startswith(b"%PDF")
    assert jobs.run(budget_seconds=60).counts["reports"] == {"rendered": 0}


def test_a_new_name_is_on_the_reports_the_job_renders_again(app, client):
    """The name is on every stored page and document: changing it takes them away, and
    the job renders them anew, so a coach never reads the old name."""
    import io

    from pypdf import PdfReader

    app.config["REPORTS_RENDER_ON_REQUEST"] = False
    advisor = make_user(name="Anna Jansen")
    feedback_round = make_closed_round(advisor)
    jobs.run(budget_seconds=60)
    log_in(client)
    post_form(client, "/account/profile", {"name": "Anna Bakker", "language": "nl"})
    assert client.get(f"/reports/{feedback_round.id}").status_code == 202  # being prepared

    assert jobs.run(budget_seconds=60).counts["reports"] == {"rendered": 1}
    pdf = client.get(f"/reports/{feedback_round.id}/report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Anna Bakker" in text and "Anna Jansen" not in text
    # Saving the profile with the same name leaves the stored files alone.
    post_form(client, "/account/profile", {"name": "Anna Bakker", "language": "en"})
    assert client.get(f"/reports/{feedback_round.id}").status_code == 200


def test_the_coachs_dashboard_shows_what_the_job_stored(app):
    """The dashboard computes no figure: before the job it says the round is being
    prepared, after it shows the stored trust quotient and largest gap."""
    from pib360.services import sharing

    app.config["REPORTS_RENDER_ON_REQUEST"] = False
    advisor = make_user()
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach")
    own = {"credibility": 5, "reliability": 5, "intimacy": 5, "self_orientation": 3}
    clients = {"credibility": 6, "reliability": 6, "intimacy": 3, "self_orientation": 2}
    make_closed_round(advisor, self_scores=own, client_scores=[clients] * 3)
    sharing.share_with_coach(advisor, coach.email)
    db.session.commit()
    client = app.test_client()
    log_in(client, coach.email)
    page = client.get("/coach/").get_data(as_text=True)
    assert "Het rapport wordt voorbereid" in page and "zelf 5,00" not in page

    jobs.run(budget_seconds=60)
    page = client.get("/coach/").get_data(as_text=True)
    assert "wordt voorbereid" not in page
    # Trust quotients (5 + 5 + 5) / 3 and (6 + 6 + 3) / 2; intimacy has the largest gap.
    assert "zelf 5,00 · klanten 7,50" in page
    assert "Intimiteit: zelf 5,0 · klanten 3,0" in page
