"""`flask pib360 deliver`: automatic reminders before the deadline, closing after it."""

from datetime import date, datetime, timedelta, timezone

from pib360.extensions import db
from pib360.models import Invitation, OutboxMessage
from pib360.services import instruments, invitations, schedule
from pib360.services.invitations import Entry, Parsed
from tests.helpers import full_answers, make_round, make_user

# Noon in Amsterdam (11:00 UTC in winter), so "today" is the same date in UTC and locally.
NOON = datetime(2027, 1, 10, 11, 0, tzinfo=timezone.utc)


def invite(feedback_round, *addresses):
    invitations.invite(feedback_round, Parsed(entries=[Entry(n, a) for n, a in
                                                       enumerate(addresses, 1)]))
    for invitation in feedback_round.invitations:
        invitation.invited_at = NOON - timedelta(days=10)
    db.session.commit()


def reminder_count() -> int:
    return db.session.execute(
        db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.subject.like("Herinnering%"))
    ).scalar()


def test_automatic_reminder_three_days_before_the_deadline_once(app):
    feedback_round = make_round(make_user(), deadline=date(2027, 1, 13), auto_reminder=True)
    invite(feedback_round, "a@example.com", "b@example.com")
    feedback_round.invitations[0].used = True
    db.session.commit()
    assert schedule.run_schedule(NOON - timedelta(days=1)) == (0, 0)  # four days before
    assert reminder_count() == 0
    assert schedule.run_schedule(NOON) == (1, 0)  # three days before: the unused one only
    assert reminder_count() == 1
    [message] = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.subject.like("Herinnering%"))).scalars()
    assert message.recipient == "b@example.com"
    assert schedule.run_schedule(NOON + timedelta(days=1)) == (0, 0)  # never twice
    assert reminder_count() == 1


def test_no_automatic_reminder_without_the_option(app):
    feedback_round = make_round(make_user(), deadline=date(2027, 1, 13))
    invite(feedback_round, "a@example.com")
    assert schedule.run_schedule(NOON) == (0, 0)
    assert reminder_count() == 0


def test_round_closes_itself_after_its_deadline(app):
    feedback_round = make_round(make_user(), deadline=date(2027, 1, 9))
    invite(feedback_round, "a@example.com")
    assert schedule.run_schedule(NOON) == (0, 1)
    db.session.refresh(feedback_round)
    assert feedback_round.is_closed
    assert db.session.execute(db.select(Invitation.email)).scalar() is None


def test_round_stays_open_on_its_last_day_and_without_self_assessment(app):
    advisor = make_user()
    last_day = make_round(advisor, deadline=date(2027, 1, 10))
    incomplete = make_round(advisor, deadline=date(2027, 1, 9), self_value=None)
    assert schedule.run_schedule(NOON) == (0, 0)
    db.session.refresh(last_day)
    db.session.refresh(incomplete)
    assert last_day.is_open and incomplete.is_open


def test_deliver_command_runs_the_schedule_and_sends(app, runner, mailbox, monkeypatch):
    feedback_round = make_round(make_user(), deadline=date.today() - timedelta(days=1))
    result = runner.invoke(args=["pib360", "deliver"])
    assert result.exit_code == 0, result.output
    assert "closed 1 round(s)" in result.output
    db.session.refresh(feedback_round)
    assert feedback_round.is_closed


def test_advisor_is_told_once_when_the_deadline_passed_before_the_self_assessment(app):
    feedback_round = make_round(make_user(), deadline=date(2027, 1, 9), self_value=None)
    invite(feedback_round, "a@example.com")
    assert schedule.run_schedule(NOON) == (0, 0)
    assert schedule.run_schedule(NOON + timedelta(hours=1)) == (0, 0)
    [notice] = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.recipient == "anna@example.com")
    ).scalars().all()
    assert "wacht op uw zelfbeoordeling" in notice.subject
    assert f"/rounds/{feedback_round.id}/self" in notice.body_text
    db.session.refresh(feedback_round)
    assert feedback_round.is_open  # closing still needs the self-assessment
    feedback_round.self_answers = full_answers(instruments.for_round(feedback_round))
    feedback_round.self_completed = True
    db.session.commit()
    assert schedule.run_schedule(NOON + timedelta(hours=2)) == (0, 1)
