"""An advisor manages a round after creating it: title and message, a later deadline,
cancelling it, and previewing what clients will see before anything is sent."""

import uuid
from datetime import date, datetime, timedelta, timezone

from pib360 import clock
from pib360.extensions import db
from pib360.models import (
    FeedbackRound,
    Invitation,
    InvitationLink,
    OutboxMessage,
    Response,
    RoundStatus,
)
from pib360.services import instruments, progress, schedule
from tests.helpers import (
    answer_survey,
    full_answers,
    make_closed_round,
    make_invitation,
    make_round,
    post_form,
)


def client_page(app, token, path="/survey/"):
    """What a client sees, in a browser of their own."""
    browser = app.test_client()
    browser.get(f"/s/{token}")
    return browser.get(path).get_data(as_text=True)


def test_title_and_message_change_while_open_and_clients_see_them(app, logged_in, advisor):
    feedback_round = make_round(advisor, message="Oud bericht")
    _invitation, token = make_invitation(feedback_round)
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/edit",
                         {"title": "Najaar 2027", "message": "Graag uw eerlijke blik."})
    assert response.status_code == 302
    db.session.refresh(feedback_round)
    assert (feedback_round.title, feedback_round.message) == (
        "Najaar 2027", "Graag uw eerlijke blik.")
    assert "Graag uw eerlijke blik." in client_page(app, token)
    # An empty title is refused, and nothing changes.
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/edit",
                     {"title": " ", "message": ""}).get_data(as_text=True)
    assert "Geef de ronde een titel." in page
    db.session.refresh(feedback_round)
    assert feedback_round.message == "Graag uw eerlijke blik."


def test_a_closed_round_offers_no_changes_and_refuses_them(logged_in, advisor):
    feedback_round = make_closed_round(advisor)
    page = logged_in.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert f"/rounds/{feedback_round.id}/edit" not in page
    assert f"/rounds/{feedback_round.id}/cancel" not in page
    for path, data in (("edit", {"title": "Anders"}), ("cancel", {}),
                       ("extend", {"deadline": "2099-01-01"})):
        response = post_form(logged_in, f"/rounds/{feedback_round.id}/{path}", data,
                             form_page=f"/rounds/{feedback_round.id}", follow_redirects=True)
        assert "Een gesloten of geannuleerde ronde kan niet meer worden gewijzigd." in \
            response.get_data(as_text=True) or "Alleen de deadline van een open ronde" in \
            response.get_data(as_text=True)
    db.session.refresh(feedback_round)
    assert feedback_round.title == "Najaar 2026" and feedback_round.is_closed


def test_extending_the_deadline_moves_the_date_clients_see_and_the_reminder(
        app, logged_in, advisor):
    today = clock.local_today()
    feedback_round = make_round(advisor, deadline=today + timedelta(days=2),
                                auto_reminder=True, auto_reminder_sent=True)
    _invitation, token = make_invitation(feedback_round)
    edit_page = f"/rounds/{feedback_round.id}/edit"
    # Earlier than the current deadline: refused, with the reason.
    page = post_form(logged_in, f"/rounds/{feedback_round.id}/extend",
                     {"deadline": (today + timedelta(days=1)).isoformat()},
                     form_page=edit_page).get_data(as_text=True)
    assert "Kies een dag na de huidige deadline." in page
    new_deadline = today + timedelta(days=20)
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/extend",
                         {"deadline": new_deadline.isoformat()}, form_page=edit_page)
    assert response.status_code == 302
    db.session.refresh(feedback_round)
    assert feedback_round.deadline == new_deadline
    assert feedback_round.reminder_day() == new_deadline - timedelta(days=3)
    assert str(new_deadline.year) in client_page(app, token)
    assert f"{new_deadline.day} " in client_page(app, token)
    # The reminder follows the deadline: not due now, due again three days before it.
    now = datetime.now(timezone.utc)
    assert schedule.run_schedule(now) == (0, 0)
    assert schedule.run_schedule(now + timedelta(days=17, hours=1)) == (1, 0)


def test_cancelling_says_what_goes_and_keeps_only_title_and_counts(app, logged_in, advisor):
    feedback_round = make_round(advisor, min_clients=3, message="Persoonlijk")
    instrument = instruments.for_round(feedback_round)
    invited = [make_invitation(feedback_round, f"c{n}@example.com") for n in range(4)]
    # One client answered and waits; one has a draft; one response already moved.
    browser = app.test_client()
    browser.get(f"/s/{invited[0][1]}")
    answer_survey(browser, instrument, full_answers(instrument, 6))
    drafter = app.test_client()
    drafter.get(f"/s/{invited[1][1]}")
    post_form(drafter, "/survey/1", {f"q-{instrument.scale_items[0].id}": "2", "go": "stop"})
    db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id,
                            answers=full_answers(instrument, 3)))
    db.session.commit()

    page = logged_in.get(f"/rounds/{feedback_round.id}/cancel").get_data(as_text=True)
    assert "4 uitnodigingen" in page
    assert "klanten die begonnen" in page  # drafts go too, uncounted: no who-started oracle
    assert "2 reacties" in page
    response = post_form(logged_in, f"/rounds/{feedback_round.id}/cancel", {})
    assert response.status_code == 302

    db.session.expire_all()
    kept = db.session.get(FeedbackRound, feedback_round.id)
    assert kept.status is RoundStatus.CANCELLED
    assert (kept.title, kept.invited_count, kept.response_count) == ("Voorjaar 2027", 4, 2)
    assert kept.self_answers == {} and kept.message is None
    for model in (Invitation, InvitationLink, Response, OutboxMessage):
        assert db.session.execute(db.select(model)).first() is None, model
    assert progress.response_counts([kept.id]) == {kept.id: 2}  # the list's, the coach's
    listing = logged_in.get("/rounds/").get_data(as_text=True)
    assert "Voorjaar 2027" in listing and "Geannuleerd" in listing
    # The clients' links no longer work; the round has no report.
    assert browser.get("/survey/1").status_code == 410
    assert logged_in.get(f"/reports/{feedback_round.id}").status_code == 404
    # And a second cancel is refused.
    again = post_form(logged_in, f"/rounds/{feedback_round.id}/cancel", {},
                      form_page=f"/rounds/{feedback_round.id}", follow_redirects=True)
    assert "kan niet meer worden gewijzigd" in again.get_data(as_text=True)


def test_a_draft_can_be_cancelled_too(logged_in, advisor):
    feedback_round = make_round(advisor, status="draft")
    post_form(logged_in, f"/rounds/{feedback_round.id}/cancel", {})
    db.session.refresh(feedback_round)
    assert feedback_round.is_cancelled and feedback_round.response_count == 0


def test_preview_shows_the_mails_and_questionnaire_in_the_rounds_language(
        logged_in, advisor):
    feedback_round = make_round(advisor, status="draft", language="en",
                                deadline=date.today() + timedelta(days=9),
                                message="I would value your honest view.")
    page = logged_in.get(f"/rounds/{feedback_round.id}/preview").get_data(as_text=True)
    assert "Anna Jansen via pib360 &lt;" in page  # the From header
    assert "Anna Jansen asks for your feedback" in page  # the subject, in English
    assert "Good day," in page and "I would value your honest view." in page
    assert "Reminder: Anna Jansen asks for your feedback" in page
    mail = logged_in.get(f"/rounds/{feedback_round.id}/preview/invitation.html")
    assert "Give feedback" in mail.get_data(as_text=True)
    assert "script-src" not in mail.headers["Content-Security-Policy"]
    assert mail.headers["X-Frame-Options"] == "SAMEORIGIN"
    welcome = logged_in.get(f"/rounds/{feedback_round.id}/preview/survey").get_data(
        as_text=True)
    assert "Feedback for Anna Jansen" in welcome and "I would value your honest" in welcome
    first = logged_in.get(f"/rounds/{feedback_round.id}/preview/survey/1").get_data(
        as_text=True)
    assert "My advisor" in first and "Preview" in first
    # Dutch on request; and moving on in the preview stores nothing.
    dutch = logged_in.get(f"/rounds/{feedback_round.id}/preview/survey/1?lang=nl")
    assert "Mijn adviseur" in dutch.get_data(as_text=True)
    item = instruments.for_round(feedback_round).scale_items[0]
    moved = post_form(logged_in, f"/rounds/{feedback_round.id}/preview/survey/1?lang=en",
                      {f"q-{item.id}": "2", "go": "next"})
    assert moved.headers["Location"].endswith("/preview/survey/2?lang=en")
    db.session.refresh(feedback_round)
    assert feedback_round.self_answers == full_answers(instruments.for_round(feedback_round))
    assert db.session.execute(db.select(OutboxMessage)).first() is None
