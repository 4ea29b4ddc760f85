"""Attack: an advisor invites addresses of their own to defeat the minimum.

With the minimum at 2, one real client plus one fake answer gave the real client's
answers back. The minimum is now at least 3, and the advisor's own address (also with a
"+tag") and their coaches' addresses are refused on the invitation list.
"""

import sqlite3

import pytest
from flask_migrate import upgrade

from pib360 import create_app
from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, OutboxMessage, Role
from pib360.services import sharing
from tests.helpers import log_in, make_round, make_user, post_form


@pytest.fixture
def advisor_client(app, client):
    anna = make_user("anna@example.com", name="Anna Jansen")
    coach = make_user("carel@example.com", Role.COACH, "Carel de Coach")
    sharing.share_with_coach(anna, coach.email)
    log_in(client)
    return client, make_round(anna)


def test_the_advisors_own_and_coachs_addresses_are_refused(advisor_client):
    client, feedback_round = advisor_client
    mail_before = db.session.execute(db.select(OutboxMessage.id)).scalars().all()
    addresses = "ANNA@example.com\nanna+klant@example.com\nCarel <carel@example.com>\n"
    page = post_form(client, f"/rounds/{feedback_round.id}/invite",
                     {"addresses": addresses}).get_data(as_text=True)
    assert page.count("dit is uw eigen adres") == 2
    assert "dit is het adres van Carel de Coach, die als uw coach uw rapporten leest" in page
    assert db.session.execute(db.select(Invitation)).first() is None
    assert db.session.execute(db.select(OutboxMessage.id)).scalars().all() == mail_before


def test_real_clients_beside_a_refused_address_are_invited(advisor_client):
    client, feedback_round = advisor_client
    post_form(client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "anna@example.com\npiet@example.com"}).close()
    invited = db.session.execute(db.select(Invitation.email)).scalars().all()
    assert invited == ["piet@example.com"]


def test_the_round_page_says_what_the_minimum_protects(advisor_client):
    client, feedback_round = advisor_client
    page = client.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "minstens 3 klanten" in page and "uw eigen adres" in page


def test_the_upgrade_raises_a_minimum_of_two_only_where_answers_still_come(tmp_path):
    path = tmp_path / "old.sqlite"
    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(revision="30e3fa6f2bba")
        with sqlite3.connect(path) as raw:
            raw.execute("INSERT INTO user (id, email, name, password_hash, role, language, "
                        "active, session_version, created_at) VALUES (1, 'a@example.com', 'A', "
                        "'x', 'advisor', 'nl', 1, 1, '2026-01-01 00:00:00')")
            for number, status in enumerate(("draft", "open", "closed"), start=1):
                raw.execute(
                    "INSERT INTO feedback_round (id, advisor_id, title, language, "
                    "instrument_id, instrument_version, min_clients, auto_reminder, "
                    "auto_reminder_sent, deadline_notice_sent, status, self_answers, "
                    "self_completed, created_at) VALUES (?, 1, ?, 'nl', 'pib360', '1.0', 2, 0, "
                    "0, 0, ?, '{}', 1, '2026-01-01 00:00:00')", (number, status, status))
        upgrade()
        minimums = dict(db.session.execute(
            db.select(FeedbackRound.title, FeedbackRound.min_clients)).all())
        db.session.remove()
        db.engine.dispose()
    assert minimums == {"draft": 3, "open": 3, "closed": 2}
