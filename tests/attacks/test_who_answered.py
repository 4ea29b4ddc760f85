"""Attack: the advisor probes whether one particular client answered.

Withdrawing an invitation used to show it: withdrawing a client who had answered left
"Invited" unchanged, withdrawing one who had not lowered it. Everything the advisor sees
must be the same whichever client answered, except the round's number of responses.
"""

import re

from pib360.extensions import db, limiter
from pib360.models import FeedbackRound, Invitation
from tests.helpers import answer_survey, full_answers, log_in, make_round, make_user, post_form

CLIENTS = ("piet@example.com", "karin@example.com", "joost@example.com")


def page_text(response) -> str:
    """A page as the advisor sees it, without the per-session CSRF tokens."""
    text = response.get_data(as_text=True)
    return re.sub(r'name="csrf_token"[^>]*>', "", text)


def advisor_view(app, mailbox, answered_by: str) -> list[str]:
    """Every round page the advisor sees before and after withdrawing piet, when only
    `answered_by` answered (on a database built afresh, so ids are equal)."""
    db.session.remove()
    db.drop_all()
    db.create_all()
    limiter.reset()
    mailbox.messages.clear()
    feedback_round = make_round(make_user(), title="Najaar")
    advisor = app.test_client()
    log_in(advisor)
    post_form(advisor, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "\n".join(CLIENTS)}).close()
    [link] = mailbox.links(mailbox.wait_for(answered_by)[0])
    client = app.test_client()
    client.get(link.replace("http://localhost", ""))
    instrument_answers = full_answers(_instrument(feedback_round), 5)
    answer_survey(client, _instrument(feedback_round), instrument_answers)
    pages = [f"/rounds/{feedback_round.id}{suffix}" for suffix in ("", "/close", "/invite")]
    seen = [page_text(advisor.get(path)) for path in ["/rounds/", *pages]]
    piet = db.session.execute(db.select(Invitation).filter_by(email=CLIENTS[0])).scalar_one()
    withdrawn = post_form(advisor, f"/rounds/{feedback_round.id}/invitations/{piet.id}/withdraw",
                          {}, form_page=pages[0], follow_redirects=True)
    seen.append(page_text(withdrawn))
    seen += [page_text(advisor.get(path)) for path in ["/rounds/", *pages]]
    return seen


def _instrument(feedback_round: FeedbackRound):
    from pib360.services import instruments

    return instruments.for_round(feedback_round)


def test_withdrawing_a_client_shows_nothing_of_whether_they_answered(app, mailbox):
    piet_answered = advisor_view(app, mailbox, answered_by=CLIENTS[0])
    karin_answered = advisor_view(app, mailbox, answered_by=CLIENTS[1])
    assert "Ingetrokken" in piet_answered[-3]  # the round page after withdrawing
    for seen_when_piet, seen_when_karin in zip(piet_answered, karin_answered, strict=True):
        assert seen_when_piet == seen_when_karin


def test_when_everyone_answered_there_is_no_reminder_to_send(app, client, mailbox):
    feedback_round = make_round(make_user())
    log_in(client)
    post_form(client, f"/rounds/{feedback_round.id}/invite", {"addresses": CLIENTS[0]}).close()
    [link] = mailbox.links(mailbox.wait_for(CLIENTS[0])[0])
    survey = app.test_client()
    survey.get(link.replace("http://localhost", ""))
    answer_survey(survey, _instrument(feedback_round), full_answers(_instrument(feedback_round)))
    page = client.get(f"/rounds/{feedback_round.id}").get_data(as_text=True)
    assert "Iedereen die u hebt uitgenodigd, heeft geantwoord." in page
    assert f"/rounds/{feedback_round.id}/remind" not in page
    refused = post_form(client, f"/rounds/{feedback_round.id}/remind", {},
                        form_page=f"/rounds/{feedback_round.id}", follow_redirects=True)
    assert "er is niemand om te herinneren" in refused.get_data(as_text=True)
    db.session.refresh(feedback_round)
    assert feedback_round.last_reminder_at is None  # and so no 48-hour wait either
