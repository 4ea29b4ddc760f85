"""Privacy duties: an account's data as one ZIP, deleting an account with everything of
it, retention of closed rounds, mail that leaves the outbox, and the privacy statement."""

import io
import json
import zipfile
from datetime import timedelta

import pytest

from pib360 import mail
from pib360.extensions import db
from pib360.models import (
    CoachNote,
    CohortMember,
    DevelopmentPlan,
    FeedbackRound,
    FocusPoint,
    OutboxMessage,
    PlanAction,
    PlanComment,
    ReportFile,
    Response,
    Role,
    Share,
    User,
)
from pib360.models.types import utcnow
from pib360.services import cohorts, plans, retention, sharing
from tests.helpers import (
    PASSWORD,
    log_in,
    make_closed_round,
    make_invitation,
    make_round,
    make_user,
    post_form,
)


@pytest.fixture
def advisor(app):
    return make_user()


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def test_an_advisor_downloads_everything_held_about_them(client, advisor):
    closed = make_closed_round(advisor, title="Najaar 2026")
    open_round = make_round(advisor, title="Voorjaar 2027")
    make_invitation(open_round, email="piet@example.com")
    coach = make_user("sam@example.com", Role.COACH, "Sam Coach")
    sharing.share_with_coach(advisor, coach.email)
    plans.add_focus_point(advisor, closed, "dimension", "intimacy", "Meer vragen stellen.")
    plans.comment(coach, closed, "Goed plan.")
    log_in(client)
    response = client.get("/account/data/pib360-export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    account = json.loads(archive.read("account.json"))
    assert (account["email"], account["name"]) == ("anna@example.com", "Anna Jansen")
    rounds = json.loads(archive.read("rounds.json"))
    assert [r["title"] for r in rounds] == ["Najaar 2026", "Voorjaar 2027"]
    assert rounds[0]["self_answers"] == closed.self_answers
    assert archive.namelist().count(f"reports/round-{closed.id}.csv") == 1
    assert "Sam Coach" in archive.read("sharing.csv").decode()
    [plan] = json.loads(archive.read("plans.json"))
    assert plan["focus_points"][0]["intention"] == "Meer vragen stellen."
    assert plan["comments"][0]["text"] == "Goed plan."
    # The clients' addresses and individual answers are theirs, not the advisor's.
    everything = b" ".join(archive.read(name) for name in archive.namelist())
    assert b"piet@example.com" not in everything


def test_deleting_an_account_asks_the_password_and_takes_everything(
        app, client, advisor, mailbox):
    closed = make_closed_round(advisor)
    make_invitation(make_round(advisor), email="piet@example.com")
    other = make_user("otto@example.com", name="Otto")
    kept = make_closed_round(other)
    coach = make_user("sam@example.com", Role.COACH, "Sam Coach")
    sharing.share_with_coach(advisor, coach.email)
    group = cohorts.create_cohort(coach, "Groep")
    db.session.add(CohortMember(cohort=group, advisor=advisor))
    db.session.commit()
    point = plans.add_focus_point(advisor, closed, "role", "trusted_advisor", "Confronteren.")
    plans.add_action(advisor, closed, point.id, "Eén moeilijk gesprek per maand", None)
    plans.comment(coach, closed, "Goed plan.")
    plans.add_note(coach, advisor, "Privé notitie.")
    client.get(f"/reports/{closed.id}")  # a stored page
    log_in(client)
    wrong = post_form(client, "/account/data", {"password": "not my password"})
    assert wrong.status_code == 200 and "Dit is niet uw wachtwoord" in wrong.get_data(True)
    assert db.session.get(User, advisor.id) is not None

    response = post_form(client, "/account/data", {"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.execute(db.select(User.email).order_by(User.email)).scalars().all() == [
        "otto@example.com", "sam@example.com"]
    assert [r.id for r in db.session.execute(db.select(FeedbackRound)).scalars()] == [kept.id]
    assert {r.round_id for r in db.session.execute(db.select(Response)).scalars()} == {kept.id}
    assert all(f.round_id == kept.id for f in db.session.execute(db.select(ReportFile)).scalars())
    assert count(Share) == count(CohortMember) == 0
    # The plan, its actions, the coach's comment on it and the coach's notes about her.
    assert count(DevelopmentPlan) == count(FocusPoint) == count(PlanAction) == 0
    assert count(PlanComment) == count(CoachNote) == 0
    assert client.get("/rounds/").status_code == 302  # logged out
    mail.deliver()
    [goodbye] = mailbox.to("anna@example.com")
    assert "verwijderd" in goodbye["Subject"]
    assert mailbox.to("piet@example.com") == []  # the open round's invitation went too


def test_the_only_admin_cannot_delete_their_account(client):
    make_user("ada@example.com", Role.ADMIN, "Ada")
    log_in(client, email="ada@example.com")
    response = post_form(client, "/account/data", {"password": PASSWORD})
    assert "enige beheerder" in response.get_data(as_text=True)
    assert count(User) == 1


def test_closed_rounds_go_after_the_retention_with_one_notice_a_month_ahead(app, advisor,
                                                                            mailbox):
    app.config["RETENTION_MONTHS"] = 12
    now = utcnow()
    old = make_closed_round(advisor, title="Oud", closed_at=now - timedelta(days=340))
    recent = make_closed_round(advisor, title="Recent", closed_at=now - timedelta(days=200))
    assert retention.apply_retention(now) == (1, 0)  # 340 days: within a month of a year
    assert retention.apply_retention(now + timedelta(days=1)) == (0, 0)  # once
    mail.deliver()
    [notice] = mailbox.to("anna@example.com")
    assert "Oud" in notice["Subject"]
    assert "12 maanden" in mailbox.text(notice)
    # A year after the close, but not yet a month after the notice: it stays.
    assert retention.apply_retention(now + timedelta(days=26)) == (0, 0)
    assert retention.apply_retention(now + timedelta(days=31)) == (0, 1)
    db.session.expire_all()
    assert [r.title for r in db.session.execute(db.select(FeedbackRound)).scalars()] == [
        "Recent"]
    assert {r.round_id for r in db.session.execute(db.select(Response)).scalars()} == {
        recent.id}
    assert old.id not in {f.round_id for f in db.session.execute(db.select(ReportFile)).scalars()}


def test_a_deleted_round_leaves_nothing_in_the_next_report_or_the_norms(app, client, advisor):
    """The next round's report opened with the deleted round's plan and scores, and the
    norm counted it: both are made again without it."""
    from pib360.database import transaction
    from pib360.models import NormFigure
    from pib360.services import privacy

    now = utcnow()
    spring = make_closed_round(advisor, title="Voorjaar", closed_at=now - timedelta(days=200))
    plans.add_focus_point(advisor, spring, "dimension", "intimacy", "Meer vragen stellen.")
    autumn = make_closed_round(advisor, title="Najaar")
    db.session.add(NormFigure(instrument_id=spring.instrument_id,
                              instrument_version=spring.instrument_version,
                              measure="trust_quotient", advisors=30, min_advisors=30,
                              quantiles=[1.0] * 17, computed_at=now))
    db.session.commit()
    log_in(client)
    assert "Voorjaar" in client.get(f"/reports/{autumn.id}").get_data(as_text=True)
    assert count(ReportFile) > 0  # the autumn page, stored
    with transaction():
        privacy.erase_round(db.session.get(FeedbackRound, spring.id))
    db.session.expire_all()
    assert count(ReportFile) == count(NormFigure) == 0
    page = client.get(f"/reports/{autumn.id}").get_data(as_text=True)
    assert "Voorjaar" not in page and "Meer vragen stellen." not in page


def test_the_privacy_statement_is_linked_from_the_survey_in_its_language(app, client,
                                                                         advisor):
    app.config["RETENTION_MONTHS"] = 48
    invitation, token = make_invitation(make_round(advisor, language="en"))
    welcome = client.get(f"/s/{token}", follow_redirects=True).get_data(as_text=True)
    assert 'href="/privacy?lang=en"' in welcome
    statement = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "Privacy: what pib360 stores, and who can see it" in statement
    assert "48 months after it closed" in statement
    dutch = client.get("/privacy").get_data(as_text=True)
    assert "48 maanden" in dutch and 'lang="nl"' in dutch
    assert client.get("/privacy?lang=xx").status_code == 200  # unknown: the visitor's own


def test_mail_leaves_the_outbox_once_sent_or_given_up(app, mailbox):
    db.session.add_all([OutboxMessage(recipient="a@example.com", subject="A", body_text="a"),
                        OutboxMessage(recipient="b@example.com", subject="B", body_text="b")])
    db.session.commit()
    mail.deliver()
    assert mail.forget_finished() == 2
    assert count(OutboxMessage) == 0
