"""The mail a client gets: from the advisor by name, greeting them properly, saying how
long it takes and until when, as plain text and HTML; reminders likewise."""

from datetime import date, timedelta

import pytest

from pib360.extensions import db
from tests.helpers import log_in, make_round, make_user, post_form


@pytest.fixture
def advisor(app):
    return make_user("bo@example.com", name="Bo Bakker")


@pytest.fixture
def logged_in(client, advisor):
    log_in(client, "bo@example.com")
    return client


def invite(client, feedback_round, lines):
    post_form(client, f"/rounds/{feedback_round.id}/invite", {"addresses": lines}).close()


def test_the_invitation_comes_from_the_advisor_and_greets_the_client(
        logged_in, advisor, mailbox):
    feedback_round = make_round(advisor, deadline=date(2099, 3, 31))
    invite(logged_in, feedback_round, "Piet Pieters <piet@example.com>\nanon@example.com")
    [named] = mailbox.to("piet@example.com")
    [unnamed] = mailbox.to("anon@example.com")
    assert named["From"].addresses[0].display_name == "Bo Bakker via pib360"
    assert named["From"].addresses[0].addr_spec == "noreply@localhost"  # the platform's own
    text = mailbox.text(named)
    assert text.startswith("Beste Piet Pieters,")
    assert mailbox.text(unnamed).startswith("Goedendag,")
    assert "Beste," not in mailbox.text(unnamed)
    assert text.count("Bo Bakker") <= 2  # not five times
    assert "ongeveer tien minuten" in text and "31 maart 2099" in text
    [link] = mailbox.links(named)
    html = named.get_body(("html",)).get_content()
    assert link in html and "Beste Piet Pieters," in html


def test_a_reminder_is_written_the_same_way(logged_in, advisor, mailbox):
    from pib360.models.types import utcnow

    feedback_round = make_round(advisor, deadline=date.today() + timedelta(days=10))
    invite(logged_in, feedback_round, "Piet <piet@example.com>")
    feedback_round.invitations[0].invited_at = utcnow() - timedelta(days=3)
    db.session.commit()
    post_form(logged_in, f"/rounds/{feedback_round.id}/remind", {},
              form_page=f"/rounds/{feedback_round.id}").close()
    reminder = mailbox.to("piet@example.com")[1]
    assert reminder["From"].addresses[0].display_name == "Bo Bakker via pib360"
    assert reminder["Subject"].startswith("Herinnering")
    text = mailbox.text(reminder)
    assert text.startswith("Beste Piet,") and text.count("Bo Bakker") <= 2
    assert "ongeveer tien minuten" in text and "Graag uw antwoord uiterlijk" in text
    assert reminder.get_body(("html",)) is not None and mailbox.links(reminder)
