"""The `flask pib360 ...` commands an operator runs."""

from pib360.extensions import db
from pib360.models import MailStatus, OutboxMessage, Role, User
from pib360.services.demo import DEMO_PASSWORD
from tests.conftest import free_port
from tests.helpers import log_in, make_user

PASSWORD_INPUT = "a long enough password\na long enough password\n"


def users() -> list[User]:
    db.session.expire_all()
    return list(db.session.execute(db.select(User).order_by(User.email)).scalars())


def create_user(runner, *args, input=PASSWORD_INPUT):
    return runner.invoke(args=["pib360", "create-user", *args], input=input)


def test_create_user_asks_for_the_password_twice(runner, client):
    result = create_user(runner, "Carel@Example.com", "--role", "coach")
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert "Created coach carel@example.com" in result.output
    [user] = users()
    assert (user.email, user.name, user.role, user.language) == (
        "carel@example.com", "Carel", Role.COACH, "nl")
    assert log_in(client, email="carel@example.com",
                  password="a long enough password").status_code == 302


def test_create_user_for_each_role(runner):
    for role in ("advisor", "admin"):
        result = create_user(runner, f"{role}@example.com", "--role", role, "--name", "Ada")
        assert result.exit_code == 0, result.output
    assert [(u.role, u.name) for u in users()] == [(Role.ADMIN, "Ada"), (Role.ADVISOR, "Ada")]


def test_create_user_refuses_a_bad_address(runner):
    result = create_user(runner, "not-an-address")
    assert result.exit_code != 0
    assert "Invalid value for EMAIL" in result.output
    assert users() == []


def test_create_user_refuses_a_short_password(runner):
    result = create_user(runner, "anna@example.com", input="short\nshort\n")
    assert result.exit_code != 0
    assert "use at least 12 characters" in result.output
    assert users() == []


def test_create_user_asks_again_when_the_passwords_differ(runner):
    result = create_user(runner, "anna@example.com",
                         input="first password!!\nsecond password!\n" + PASSWORD_INPUT)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert users()[0].check_password("a long enough password")


def test_create_user_refuses_an_address_that_is_taken(runner):
    make_user(email="anna@example.com", name="Anna Jansen")
    result = create_user(runner, "ANNA@example.com", "--role", "admin")
    assert result.exit_code == 1
    assert "an account for ANNA@example.com exists already" in result.output
    [user] = users()
    assert (user.name, user.role) == ("Anna Jansen", Role.ADVISOR)


def test_create_user_refuses_an_unknown_role(runner):
    result = create_user(runner, "anna@example.com", "--role", "owner")
    assert result.exit_code == 2
    assert "'owner' is not one of 'advisor', 'coach', 'admin'" in result.output
    assert users() == []


def test_deliver_sends_the_outbox_and_reports(app, runner, mailbox):
    db.session.add(OutboxMessage(recipient="anna@example.com", subject="Hallo", body_text="Hoi"))
    db.session.commit()
    result = runner.invoke(args=["pib360", "deliver"])
    assert result.exit_code == 0
    assert "Sent 1 message(s), 0 failed" in result.output
    assert [m["Subject"] for m in mailbox.to("anna@example.com")] == ["Hallo"]
    assert "Sent 0 message(s)" in runner.invoke(args=["pib360", "deliver"]).output
    assert len(mailbox.messages) == 1


def test_deliver_reports_failures_and_keeps_the_mail(app, runner, mailbox):
    app.config["MAIL_PORT"] = free_port()
    db.session.add(OutboxMessage(recipient="anna@example.com", subject="Hallo", body_text="Hoi"))
    db.session.commit()
    result = runner.invoke(args=["pib360", "deliver"])
    assert result.exit_code == 0
    assert "Sent 0 message(s), 1 failed (will be retried)" in result.output
    db.session.expire_all()
    assert db.session.execute(db.select(OutboxMessage.status)).scalar_one() is MailStatus.FAILED


def test_demo_creates_accounts_and_says_how_to_log_in(runner, client):
    result = runner.invoke(args=["pib360", "demo"])
    assert result.exit_code == 0, result.output
    assert "advisor@example.com" in result.output and DEMO_PASSWORD in result.output
    assert {u.role for u in users()} == set(Role)
    for user in users():
        # The demo advisors who fill the norm are summed up in one line.
        assert user.email in result.output or user.email.startswith("demo-adviseur-")
    assert "32 demo advisors (demo-adviseur-01@example.com and on)" in result.output
    assert log_in(client, email="admin@example.com", password=DEMO_PASSWORD).status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_demo_can_run_twice(runner):
    first = runner.invoke(args=["pib360", "demo"])
    emails = [u.email for u in users()]
    second = runner.invoke(args=["pib360", "demo"])
    assert second.exit_code == 0, second.output
    assert [u.email for u in users()] == emails
    assert first.output.splitlines()[-4:] == second.output.splitlines()[-4:]


def test_demo_refuses_production_unless_forced(app, monkeypatch):
    app.config["PIB360_CONFIG"] = "production"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pib360", "demo"])
    assert result.exit_code != 0 and "not in production" in result.output
    assert db.session.execute(db.select(User)).first() is None
    assert runner.invoke(args=["pib360", "demo", "--force"]).exit_code == 0
