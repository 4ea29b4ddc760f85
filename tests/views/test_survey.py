"""The client's survey: personal link, drafts, one final submit, anonymity."""

from sqlalchemy import inspect

from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, InvitationLink, Response
from pib360.services import progress, questionnaire, rounds
from tests.helpers import (
    answer_survey,
    csrf_token,
    full_answers,
    log_in,
    make_invitation,
    make_round,
    make_user,
    post_form,
)


def enter(client, token):
    return client.get(f"/s/{token}")


def responses():
    return db.session.execute(db.select(Response)).scalars().all()


def test_invitation_mail_link_leads_to_the_survey_without_token_in_the_url(
        app, client, mailbox, feedback_round):
    advisor_client = app.test_client()
    log_in(advisor_client)
    post_form(advisor_client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "piet@example.com"}).close()
    [link] = mailbox.links(mailbox.to("piet@example.com")[0])
    token = link.rsplit("/", 1)[1]
    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 303
    assert response.headers["Location"] == "/survey/"
    assert token not in response.headers["Location"]
    cookie = client.get_cookie("pib360_survey", path="/survey")
    assert cookie is not None and cookie.http_only and token not in cookie.value
    page = client.get("/survey/")
    text = page.get_data(as_text=True)
    assert "Feedback voor Anna Jansen" in text
    assert "ongeveer tien minuten" in text and "anoniem" in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in text


def test_survey_in_the_rounds_language(app, client):
    feedback_round = make_round(make_user(), language="en")
    _invitation, token = make_invitation(feedback_round)
    enter(client, token)
    text = client.get("/survey/1").get_data(as_text=True)
    assert 'lang="en"' in text
    assert "My advisor" in text and "cannot judge" in text


def test_complete_survey_stores_one_anonymous_response(client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    enter(client, token)
    answers = full_answers(instrument, 6, role="valued_helper",
                           texts=["Blijf zo helder.", "Vaker doorvragen."])
    response = answer_survey(client, instrument, answers)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "anoniem ontvangen" in page
    db.session.refresh(invitation)
    assert invitation.used and invitation.draft is None
    # One answer alone waits: it becomes a response with at least the minimum of others.
    assert responses() == [] and invitation.submitted_answers == answers
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}
    rounds.close_round(feedback_round)
    [stored] = responses()
    assert stored.round_id == feedback_round.id
    assert stored.answers == answers


def test_answers_are_kept_as_a_draft_and_resumed(client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    enter(client, token)
    first = instrument.scale_items[0]
    post_form(client, "/survey/1", {f"q-{first.id}": "2", "go": "stop"})
    db.session.refresh(invitation)
    assert invitation.draft == {first.id: 2}
    assert responses() == []
    other_browser = client.application.test_client()
    enter(other_browser, token)
    page = other_browser.get("/survey/1").get_data(as_text=True)
    assert f'name="q-{first.id}" value="2" checked' in page


def test_submit_with_missing_answers_stores_nothing_and_shows_what_is_missing(
        client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    enter(client, token)
    answers = full_answers(instrument, 4)
    skipped = instrument.scale_items[3]
    del answers[skipped.id]
    response = answer_survey(client, instrument, answers)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Beantwoord deze vraag" in page and f'id="question-{skipped.id}"' in page
    assert responses() == []
    db.session.refresh(invitation)
    assert not invitation.used


def test_out_of_range_value_and_oversized_comment_are_refused(client, feedback_round, instrument):
    _invitation, token = make_invitation(feedback_round)
    enter(client, token)
    item = instrument.scale_items[0]
    page = post_form(client, "/survey/1", {f"q-{item.id}": "8", "go": "next"})
    assert "Kies een waarde van 1 tot 7" in page.get_data(as_text=True)
    last = len(questionnaire.pages(instrument))
    text_item = instrument.text_items[0]
    page = post_form(client, f"/survey/{last}", {f"q-{text_item.id}": "x" * 2001, "go": "stop"})
    assert "Gebruik hoogstens 2000 tekens" in page.get_data(as_text=True)
    assert responses() == []


def test_unknown_question_is_a_bad_request(client, feedback_round):
    _invitation, token = make_invitation(feedback_round)
    enter(client, token)
    assert post_form(client, "/survey/1", {"q-invented": "3"}).status_code == 400


def test_second_submit_stores_nothing_more(client, feedback_round, instrument):
    _invitation, token = make_invitation(feedback_round)
    enter(client, token)
    answers = full_answers(instrument, 5)
    answer_survey(client, instrument, answers, submit=False)
    last = len(questionnaire.pages(instrument))
    final = {"csrf_token": csrf_token(client, f"/survey/{last}"), "go": "submit"}
    first = client.post(f"/survey/{last}", data=final)
    again = client.post(f"/survey/{last}", data=final)  # double click, back button, replay
    assert first.status_code == 303
    assert "waren al ontvangen" in again.get_data(as_text=True)
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}
    # The link itself now says thank you.
    enter(client, token)
    assert "waren al ontvangen" in client.get("/survey/").get_data(as_text=True)


def test_unknown_link_is_404_and_reveals_nothing(client, feedback_round):
    response = enter(client, "not-a-real-token")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Deze link werkt niet" in text
    assert "Anna" not in text and feedback_round.title not in text


def test_link_of_a_closed_round_no_longer_works(client, feedback_round):
    _invitation, token = make_invitation(feedback_round)
    rounds.close_round(feedback_round)
    response = enter(client, token)
    assert response.status_code == 404  # closing deleted the invitation and its links
    text = response.get_data(as_text=True)
    assert "De feedbackronde is misschien afgelopen" in text
    assert "Anna" not in text


def test_forged_or_missing_survey_cookie_is_refused(client, feedback_round):
    _invitation, token = make_invitation(feedback_round)
    assert client.get("/survey/1").status_code == 404
    client.set_cookie("pib360_survey", "1.forged.signature", path="/survey")
    response = client.get("/survey/1")
    assert response.status_code == 404
    assert "Open de link uit uw e-mail opnieuw" in response.get_data(as_text=True)


def test_post_without_csrf_token_stores_nothing(client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    enter(client, token)
    item = instrument.scale_items[0]
    response = client.post("/survey/1", data={f"q-{item.id}": "5", "go": "stop"})
    assert response.status_code == 400
    db.session.refresh(invitation)
    assert invitation.draft is None


def test_nothing_stored_links_a_response_to_an_invitation(client, feedback_round, instrument):
    """docs/architecture.md, anonymity: no column, key or ordering connects the two."""
    tokens = [make_invitation(feedback_round, email=f"c{n}@example.com")[1] for n in range(4)]
    for number, token in enumerate(tokens):
        browser = client.application.test_client()
        enter(browser, token)
        answer_survey(browser, instrument, full_answers(instrument, number + 2))
    # The third submit moved a batch of three; the fourth waits until one more, or the close.
    assert len(responses()) == 3
    rounds.close_round(feedback_round)
    inspector = inspect(db.engine)
    columns = {c["name"] for c in inspector.get_columns("response")}
    assert columns == {"id", "round_id", "answers"}
    assert [fk["referred_table"] for fk in inspector.get_foreign_keys("response")] == [
        "feedback_round"]
    invitation_columns = {c["name"] for c in inspector.get_columns("invitation")}
    assert not any("response" in name or (name.endswith("_at") and name != "invited_at")
                   for name in invitation_columns)
    for table in ("invitation", "invitation_link"):
        for fk in inspector.get_foreign_keys(table):
            assert fk["referred_table"] != "response"
    # Keys are random: ordering by key does not give the order of submission.
    stored = [r.answers[instrument.scale_items[0].id]
              for r in db.session.execute(db.select(Response).order_by(Response.id)).scalars()]
    assert sorted(stored) == [2, 3, 4, 5]
    keys = [str(r.id) for r in responses()]
    assert all(len(k) == 36 for k in keys) and len(set(keys)) == 4
    # After closing, the data kept cannot identify a client: the invitations (who was
    # invited, which were used) are gone, the round keeps counts.
    assert db.session.execute(db.select(Invitation)).first() is None
    assert db.session.execute(db.select(InvitationLink)).first() is None
    closed = db.session.execute(db.select(FeedbackRound)).scalar_one()
    assert closed.is_closed and closed.invited_count == 4
    assert len(responses()) == 4


def test_expired_survey_session_asks_to_open_the_link_again(client, feedback_round,
                                                            monkeypatch):
    from pib360.survey import session

    _invitation, token = make_invitation(feedback_round)
    enter(client, token)
    assert client.get("/survey/1").status_code == 200
    monkeypatch.setattr(session, "MAX_AGE", -1)  # every session is past its age now
    response = client.get("/survey/1")
    assert response.status_code == 404
    assert "Open de link uit uw e-mail opnieuw" in response.get_data(as_text=True)
