"""The advisor's rounds: create, open, self-assess, invite, remind, withdraw, close."""

import re
from datetime import date, timedelta

import pytest

from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, MailStatus, OutboxMessage, RoundStatus
from pib360.services import instruments
from tests.helpers import log_in, make_invitation, make_round, make_user, post_form


def test_create_round_as_draft(logged_in, advisor):
    response = post_form(logged_in, "/rounds/new", {
        "title": "Voorjaar 2027", "language": "en", "min_clients": "4",
        "deadline": (date.today() + timedelta(days=20)).isoformat(), "message": "Graag!",
    })
    assert response.status_code == 302
    feedback_round = db.session.execute(db.select(FeedbackRound)).scalar_one()
    assert feedback_round.status is RoundStatus.DRAFT
    assert (feedback_round.title, feedback_round.language, feedback_round.min_clients) == (
        "Voorjaar 2027", "en", 4)
    assert feedback_round.instrument_version == instruments.current().version
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Voorjaar 2027" in page and "Concept" in page


@pytest.mark.parametrize("fields, message", [
    ({"min_clients": "1"}, "Vul een getal in van 3 tot 50."),
    ({"min_clients": "2"}, "Vul een getal in van 3 tot 50."),
    ({"min_clients": "1" * 700}, "Vul een getal in van 3 tot 50."),  # too big for a float
    ({"title": ""}, "Geef de ronde een titel."),
    ({"deadline": "2020-01-01"}, "De deadline kan niet in het verleden liggen."),
    ({"auto_reminder": "y"}, "Een automatische herinnering heeft een deadline nodig."),
])
def test_create_round_refuses_bad_input(logged_in, fields, message):
    data = {"title": "Ronde", "language": "nl", "min_clients": "3", **fields}
    page = post_form(logged_in, "/rounds/new", data).get_data(as_text=True)
    assert message in page
    assert db.session.execute(db.select(FeedbackRound)).first() is None


def test_self_assessment_is_saved_per_page_and_completes(logged_in, advisor):
    feedback_round = make_round(advisor, status="draft", self_value=None)
    instrument = instruments.for_round(feedback_round)
    first_page = [item for item in instrument.scale_items[:7]]
    data = {f"q-{item.id}": "6" for item in first_page}
    data["q-" + first_page[0].id] = "na"
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/self/1", {**data, "go": "stop"})
    assert response.status_code == 302
    db.session.refresh(feedback_round)
    assert feedback_round.self_answers[first_page[0].id] is None  # cannot judge
    assert feedback_round.self_answers[first_page[1].id] == 6
    assert not feedback_round.self_completed
    # Resuming goes to the first page with an unanswered question.
    assert logged_in.get(f"/rounds/{feedback_round.id}/self").headers["Location"].endswith(
        f"/rounds/{feedback_round.id}/self/2")


def test_self_assessment_refuses_values_outside_the_scale(logged_in, advisor):
    feedback_round = make_round(advisor, status="draft", self_value=None)
    item = instruments.for_round(feedback_round).scale_items[0]
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/self/1",
                     {f"q-{item.id}": "9"}).get_data(as_text=True)
    assert "Kies een waarde van 1 tot 7" in page
    db.session.refresh(feedback_round)
    assert feedback_round.self_answers == {}


def test_unknown_item_is_a_bad_request(logged_in, advisor):
    feedback_round = make_round(advisor, status="draft", self_value=None)
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/self/1", {"q-nope": "3"})
    assert response.status_code == 400


def test_open_round_then_invite_with_mixed_input(logged_in, advisor, mailbox):
    feedback_round = make_round(advisor, status="draft")
    post_form(logged_in, f"/rounds/{feedback_round.id}/open", {},
              form_page=f"/rounds/{feedback_round.id}")
    db.session.refresh(feedback_round)
    assert feedback_round.is_open
    text = "\n".join([
        "Piet Klant <piet@example.com>",
        "Marie, marie@example.com",
        "geen-adres",
        "PIET@example.com",
        "jan@example.com",
    ])
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/invite", {"addresses": text})
    page = response.get_data(as_text=True)
    assert "3 uitnodigingen zijn onderweg." in page
    assert "regel 3" in page and "geen geldig e-mailadres" in page
    assert "regel 4" in page and "al uitgenodigd" in page
    invitations = db.session.execute(db.select(Invitation)).scalars().all()
    assert sorted(i.email for i in invitations) == [
        "jan@example.com", "marie@example.com", "piet@example.com"]
    assert {i.name for i in invitations} == {"Piet Klant", "Marie", None}


def test_the_invite_form_shows_its_example_as_text(logged_in, advisor):
    feedback_round = make_round(advisor)
    page = logged_in.get(f"/rounds/{feedback_round.id}/invite").get_data(as_text=True)
    assert "Naam &lt;adres&gt;" in page


def test_invite_by_csv_upload(logged_in, advisor):
    import io

    feedback_round = make_round(advisor)
    csv_file = (io.BytesIO(b"naam;email\nAnn;ann@example.com\nBob;bob@example\n"), "klanten.csv")
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
                     {"upload": csv_file}, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert "1 uitnodiging is onderweg." in text
    assert "bob@example" in text and "geen geldig e-mailadres" in text
    assert [i.email for i in feedback_round.invitations] == ["ann@example.com"]


def test_invitation_cap_of_200(logged_in, advisor):
    feedback_round = make_round(advisor)
    text = "\n".join(f"client{n}@example.com" for n in range(205))
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
                     {"addresses": text}).get_data(as_text=True)
    assert "200 uitnodigingen zijn onderweg." in page
    assert "maximaal 200 uitnodigingen" in page
    assert db.session.execute(db.select(db.func.count(Invitation.id))).scalar() == 200


def test_invitation_mail_is_delivered_and_tells_the_client_what_they_need(
        logged_in, advisor, mailbox, app):
    feedback_round = make_round(advisor, deadline=date.today() + timedelta(days=10),
                                message="Ik hoor graag eerlijk hoe u mij ervaart.")
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
                         {"addresses": "piet@example.com"})
    response.close()  # as a WSGI server does once the response has been sent
    [message] = mailbox.to("piet@example.com")
    body = mailbox.text(message)
    assert "Anna Jansen" in message["Subject"]
    assert "Anna Jansen vraagt u als klant om feedback" in body
    assert "ongeveer tien minuten" in body and "anoniem" in body
    assert "Ik hoor graag eerlijk hoe u mij ervaart." in body
    [link] = mailbox.links(message)
    assert "/s/" in link and len(link.rsplit("/", 1)[1]) >= 43  # 256-bit token
    assert message.get_body(("html",)) is not None
    stored = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert stored.status is MailStatus.SENT
    assert link.rsplit("/", 1)[1] not in stored.body_text  # the token is not kept


def test_progress_shows_counts_and_delivery_but_not_who_answered(logged_in, advisor, mailbox):
    feedback_round = make_round(advisor)
    post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "a@example.com\nb@example.com"}).close()
    page = logged_in.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "0 van de 2 uitgenodigde klanten hebben geantwoord." in page
    assert page.count("afgeleverd") >= 2
    assert "Nog 3 nodig voor het minimum van 3." in page


def test_reminders_go_to_clients_who_have_not_answered(logged_in, advisor, mailbox):
    from pib360.models.types import utcnow

    feedback_round = make_round(advisor)
    post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "a@example.com\nb@example.com\nnew@example.com"}).close()
    a, b, new = feedback_round.invitations
    a.invited_at = b.invited_at = utcnow() - timedelta(days=3)
    b.used = True  # b answered
    db.session.commit()
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/remind", {},
                     form_page=f"/rounds/{feedback_round.id}", follow_redirects=True)
    assert "Er zijn herinneringen onderweg" in page.get_data(as_text=True)
    page.close()
    # Only a: b answered, and new was invited less than 48 hours ago.
    assert [len(mailbox.to(x)) for x in ("a@example.com", "b@example.com",
                                         "new@example.com")] == [2, 1, 1]
    assert "herinnering" in mailbox.text(mailbox.to("a@example.com")[1]).lower()


def test_the_remind_button_says_the_same_whoever_is_reminded(logged_in, advisor):
    """Otherwise reminding could reveal whether one particular client answered."""
    pages = []
    for used in (False, True):
        feedback_round = make_round(advisor, title=f"Ronde {used}")
        post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
                  {"addresses": "a@example.com"}).close()
        feedback_round.invitations[0].used = used
        db.session.commit()
        response = post_form(logged_in, f"/rounds/{feedback_round.id}/remind", {},
                             form_page=f"/rounds/{feedback_round.id}", follow_redirects=True)
        page = response.get_data(as_text=True)
        pages.append(re.search(r'<div class="flashes".*?</div>', page, re.S).group())
    assert pages[0] == pages[1] and "herinneringen onderweg" in pages[0]


def test_reminders_at_most_every_48_hours_and_three_per_client(app, advisor):
    from pib360.models.types import utcnow
    from pib360.services import ServiceError, invitations

    feedback_round = make_round(advisor)
    invitation, _token = make_invitation(feedback_round)
    start = utcnow() + timedelta(hours=49)
    assert invitations.remind(feedback_round, start) == 1
    with pytest.raises(ServiceError, match="minder dan 48 uur"):
        invitations.remind(feedback_round, start + timedelta(hours=47))
    counts = [invitations.remind(feedback_round, start + timedelta(hours=49 * step))
              for step in (1, 2, 3)]
    assert counts == [1, 1, 0]  # three reminders in all
    db.session.refresh(invitation)
    assert invitation.reminders_sent == 3


def test_withdrawn_invitation_link_stops_working(logged_in, advisor, mailbox, client):
    feedback_round = make_round(advisor)
    post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "a@example.com"}).close()
    [link] = mailbox.links(mailbox.to("a@example.com")[0])
    invitation = db.session.execute(db.select(Invitation)).scalar_one()
    post_form(logged_in, f"/rounds/{feedback_round.id}/invitations/{invitation.id}/withdraw",
              {}, form_page=f"/rounds/{feedback_round.id}")
    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 410
    assert "niet meer beschikbaar" in response.get_data(as_text=True)
    assert "Anna" not in response.get_data(as_text=True)


def test_close_needs_complete_self_assessment(logged_in, advisor):
    feedback_round = make_round(advisor, self_value=None)
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/close", {},
                     follow_redirects=True).get_data(as_text=True)
    assert "Vul eerst uw zelfbeoordeling in" in page
    db.session.refresh(feedback_round)
    assert feedback_round.is_open


def test_close_asks_for_confirmation_then_erases_client_addresses(logged_in, advisor, mailbox):
    feedback_round = make_round(advisor)
    post_form(logged_in, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "Piet <piet@example.com>"}).close()
    page = logged_in.get(f"/rounds/{feedback_round.id}/close").get_data(as_text=True)
    assert "Ja, sluit de ronde" in page
    db.session.refresh(feedback_round)
    assert feedback_round.is_open  # GET changes nothing
    post_form(logged_in, f"/rounds/{feedback_round.id}/close", {})
    db.session.refresh(feedback_round)
    assert feedback_round.is_closed
    # Nothing is kept of the invitations and the client mail but counts.
    assert db.session.execute(db.select(Invitation)).first() is None
    assert db.session.execute(db.select(OutboxMessage)).first() is None
    assert (feedback_round.invited_count, feedback_round.delivered_count) == (1, 1)
    page = logged_in.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "piet@example.com" not in page
    assert "0 van 1 uitgenodigde klant heeft geantwoord." in page


def test_other_advisors_rounds_are_not_found(client, advisor):
    feedback_round = make_round(advisor)
    make_user(email="other@example.com")
    log_in(client, email="other@example.com")
    for path in ("", "/self/1", "/invite", "/close"):
        assert client.get(f"/rounds/{feedback_round.id}{path}").status_code == 404
    assert post_form(client, f"/rounds/{feedback_round.id}/remind", {},
                     form_page="/rounds/").status_code == 404
