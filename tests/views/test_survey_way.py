"""The client's way through the survey: their language on every page, resuming where
they stopped, and straight back to the end after being sent to a missing answer."""

from sqlalchemy import inspect

from pib360.extensions import db
from pib360.models import Response
from pib360.services import questionnaire, rounds
from tests.helpers import (
    answer_survey,
    full_answers,
    log_in,
    make_invitation,
    make_round,
    make_user,
    post_form,
)


def page_answers(page, value="4"):
    return {f"q-{item.id}": value for item in page.items if item.kind == "scale"}


def test_a_client_switches_language_on_any_page_and_it_is_not_stored(
        client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    client.get(f"/s/{token}")
    first = client.get("/survey/1").get_data(as_text=True)
    assert 'lang="nl"' in first and "Mijn adviseur" in first
    assert 'href="/survey/1?lang=en"' in first  # the switch, on the page itself
    english = client.get("/survey/1?lang=en").get_data(as_text=True)
    assert "My advisor" in english
    # The choice holds on the next pages, and for the welcome page too.
    pages = questionnaire.pages(instrument)
    post_form(client, "/survey/1", {**page_answers(pages[0]), "go": "next"})
    assert "My advisor" in client.get("/survey/2").get_data(as_text=True)
    assert "Feedback for Anna Jansen" in client.get("/survey/").get_data(as_text=True)
    assert "Mijn adviseur" in client.get("/survey/2?lang=nl").get_data(as_text=True)
    client.get("/survey/1?lang=en")
    answer_survey(client, instrument, full_answers(instrument, 5))
    rounds.close_round(feedback_round)
    # Nothing stored says which language anyone answered in.
    [response] = db.session.execute(db.select(Response)).scalars().all()
    assert "language" not in {c.key for c in inspect(Response).columns}
    assert set(response.answers) <= {item.id for item in instrument.items}


def test_a_line_marked_en_gets_mail_and_survey_in_english(app, client, mailbox):
    advisor = make_user(name="Anna Jansen")
    feedback_round = make_round(advisor)
    log_in(client)
    post_form(client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "John Smith <john@example.com> [en]\npiet@example.com"}).close()
    john, piet = feedback_round.invitations
    assert (john.name, john.language, piet.language) == ("John Smith", "en", None)
    [english] = mailbox.to("john@example.com")
    assert english["Subject"] == "Anna Jansen asks for your feedback"
    assert mailbox.text(english).startswith("Dear John Smith,")
    assert mailbox.text(mailbox.to("piet@example.com")[0]).startswith("Goedendag,")
    survey = app.test_client()
    [link] = mailbox.links(english)
    survey.get(link)
    assert "My advisor" in survey.get("/survey/1").get_data(as_text=True)
    # The advisor sees which line goes out in English, and that one client alone in
    # English could be recognised by the language of their comments.
    page = client.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "English" in page
    assert "Maar 1 klant krijgt de vragenlijst in het Engels" in page
    post_form(client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "a@example.com [en]\nb@example.com [en]"}).close()
    page = client.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "de vragenlijst in het Engels" not in page  # three in English: one of three


def test_resuming_opens_the_first_unanswered_page(client, feedback_round, instrument):
    _invitation, token = make_invitation(feedback_round)
    client.get(f"/s/{token}")
    pages = questionnaire.pages(instrument)
    post_form(client, "/survey/1", {**page_answers(pages[0]), "go": "next"})
    post_form(client, "/survey/2", {**page_answers(pages[1]), "go": "stop"})
    welcome = client.get("/survey/").get_data(as_text=True)
    assert 'href="/survey/3"' in welcome and "Verder waar u gebleven was" in welcome
    # A page reached the normal way offers no jump to the end.
    assert 'value="end"' not in client.get("/survey/2").get_data(as_text=True)


def test_sent_back_to_a_missing_answer_the_client_can_jump_to_the_end(
        client, feedback_round, instrument):
    invitation, token = make_invitation(feedback_round)
    client.get(f"/s/{token}")
    pages = questionnaire.pages(instrument)
    answers = full_answers(instrument, 4)
    skipped = pages[1].items[0]
    del answers[skipped.id]
    sent_back = answer_survey(client, instrument, answers)
    assert sent_back.headers["Location"] == "/survey/2?missing=1"
    page = client.get(sent_back.headers["Location"]).get_data(as_text=True)
    assert 'value="end"' in page and "Terug naar het einde" in page
    to_the_end = post_form(client, "/survey/2?missing=1",
                           {f"q-{skipped.id}": "3", "go": "end"})
    assert to_the_end.headers["Location"] == f"/survey/{len(pages)}"
    done = post_form(client, f"/survey/{len(pages)}", {"go": "submit"})
    assert done.headers["Location"] == "/survey/thanks"
    db.session.refresh(invitation)
    assert invitation.used and invitation.submitted_answers[skipped.id] == 3
