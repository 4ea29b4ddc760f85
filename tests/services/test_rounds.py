"""A round as use cases: create, open, self-assess, close and keep counts only."""

from datetime import timedelta
from pathlib import Path

import pytest

from pib360 import clock, mail
from pib360.extensions import db
from pib360.models import (
    FeedbackRound,
    Invitation,
    InvitationLink,
    MailStatus,
    OutboxMessage,
    Response,
    RoundStatus,
)
from pib360.services import ServiceError, instruments, invitations, progress, responses, rounds
from tests.helpers import (
    full_answers,
    make_closed_round,
    make_invitation,
    make_round,
    make_user,
)

SETTINGS = dict(title="  Voorjaar 2027 ", language="en", min_clients=4, deadline=None,
                message="  Graag uw eerlijke mening. ", auto_reminder=False)
TOO_FEW = "Er moeten minstens 3 klanten antwoorden, zodat antwoorden anoniem blijven."
PAST = "De deadline kan niet in het verleden liggen."
NEEDS_DEADLINE = "Een automatische herinnering heeft een deadline nodig."


@pytest.fixture
def advisor(app):
    return make_user()


def stored_rounds() -> list[FeedbackRound]:
    db.session.expire_all()
    return list(db.session.execute(db.select(FeedbackRound).order_by(FeedbackRound.id)).scalars())


def days_from_today(days: int):
    return clock.local_today() + timedelta(days=days)


# Creating


def test_a_new_round_is_a_draft_with_the_current_instrument(advisor):
    created = rounds.create_round(advisor, **SETTINGS)
    [feedback_round] = stored_rounds()
    assert feedback_round.id == created.id and feedback_round.advisor == advisor
    assert feedback_round.status is RoundStatus.DRAFT and feedback_round.opened_at is None
    assert (feedback_round.title, feedback_round.language, feedback_round.min_clients) == (
        "Voorjaar 2027", "en", 4)
    assert feedback_round.message == "Graag uw eerlijke mening."
    current = instruments.current()
    assert (feedback_round.instrument_id, feedback_round.instrument_version) == (
        current.id, current.version)
    assert feedback_round.self_answers == {} and not feedback_round.self_completed


def test_the_least_a_round_may_ask_for(advisor):
    rounds.create_round(advisor, **{**SETTINGS, "min_clients": 3, "message": "   ",
                                    "deadline": days_from_today(0), "auto_reminder": True})
    [feedback_round] = stored_rounds()
    assert feedback_round.min_clients == 3 and feedback_round.message is None
    assert feedback_round.deadline == days_from_today(0) and feedback_round.auto_reminder


@pytest.mark.parametrize("settings, errors", [
    ({"min_clients": 2}, {"min_clients": [TOO_FEW]}),
    ({"deadline": -1}, {"deadline": [PAST]}),
    ({"auto_reminder": True}, {"auto_reminder": [NEEDS_DEADLINE]}),
    ({"min_clients": 0, "auto_reminder": True},
     {"min_clients": [TOO_FEW], "auto_reminder": [NEEDS_DEADLINE]}),
    ({"min_clients": 1, "deadline": -30, "auto_reminder": True},
     {"min_clients": [TOO_FEW], "deadline": [PAST]}),
])
def test_every_wrong_setting_is_named_and_nothing_is_stored(advisor, settings, errors):
    if "deadline" in settings:  # in days from today
        settings = {**settings, "deadline": days_from_today(settings["deadline"])}
    with pytest.raises(ServiceError) as refused:
        rounds.create_round(advisor, **{**SETTINGS, **settings})
    assert refused.value.errors == errors
    assert stored_rounds() == []


def test_an_advisor_finds_their_own_rounds_only_newest_first(advisor):
    bert = make_user(email="bert@example.com", name="Bert")
    first = make_round(advisor, title="First")
    second = make_round(advisor, title="Second", status="draft")
    theirs = make_round(bert, title="Bert's")
    assert rounds.own_round(advisor, first.id) == first
    assert rounds.own_round(advisor, theirs.id) is None
    assert rounds.own_round(advisor, theirs.id + 1) is None
    assert rounds.rounds_of(advisor) == [second, first]
    assert rounds.rounds_of(bert) == [theirs]


# Opening


def test_opening_a_draft_lets_clients_be_invited(advisor):
    feedback_round = make_round(advisor, status="draft")
    before = clock.utcnow()
    rounds.open_round(feedback_round)
    [opened] = stored_rounds()
    assert opened.status is RoundStatus.OPEN
    assert before <= opened.opened_at <= clock.utcnow()
    assert invitations.invite(opened, invitations.parse_lines("piet@example.com")).invited


@pytest.mark.parametrize("state, message", [
    ("open", "Alleen een conceptronde kan worden geopend."),
    ("closed", "Alleen een conceptronde kan worden geopend."),
    ("past deadline", "De deadline van deze ronde is verstreken."),
])
def test_opening_is_refused_with_the_reason(advisor, state, message):
    feedback_round = make_round(advisor, status="draft" if state == "past deadline" else "open")
    if state == "closed":
        feedback_round.close(clock.utcnow())
    elif state == "past deadline":
        feedback_round.deadline = days_from_today(-1)
    db.session.commit()
    before = (feedback_round.status, feedback_round.opened_at)
    with pytest.raises(ServiceError) as refused:
        rounds.open_round(feedback_round)
    assert refused.value.errors == {None: [message]}
    [unchanged] = stored_rounds()
    assert (unchanged.status, unchanged.opened_at) == before


def test_a_draft_made_with_an_older_instrument_opens_with_the_current_one(advisor):
    current = instruments.current()
    answers = full_answers(current, 4)
    feedback_round = make_round(advisor, status="draft", self_value=None)
    feedback_round.self_answers = {**answers, "retired_item": 2}
    feedback_round.self_completed = False
    incomplete = make_round(advisor, status="draft", self_value=None)
    incomplete.self_answers = {current.scale_items[0].id: 4, "retired_item": 2}
    incomplete.self_completed = True  # complete by the older instrument's items
    for draft in (feedback_round, incomplete):
        draft.instrument_version = "0.9"
    db.session.commit()
    rounds.open_round(feedback_round)
    rounds.open_round(incomplete)
    opened, opened_incomplete = stored_rounds()
    for each in (opened, opened_incomplete):
        assert (each.instrument_id, each.instrument_version) == (current.id, current.version)
    # The answers to items the current instrument still has are kept; it decides what is
    # complete.
    assert opened.self_answers == answers and opened.self_completed
    assert opened_incomplete.self_answers == {current.scale_items[0].id: 4}
    assert not opened_incomplete.self_completed


# The self-assessment


def test_the_self_assessment_is_saved_page_by_page_until_complete(advisor):
    feedback_round = make_round(advisor, status="draft", self_value=None)
    instrument = instruments.for_round(feedback_round)
    scale, role = instrument.scale_items, instrument.choice_item
    first_page = {item.id: 5 for item in scale[:7]}
    first_page[scale[0].id] = None  # "cannot judge" is an answer
    missing = rounds.save_self_answers(feedback_round, first_page)
    # 24 scale items and the role choice are required; 7 are answered.
    assert [item.id for item in missing] == [item.id for item in scale[7:]] + [role.id]
    assert not stored_rounds()[0].self_completed
    rest = {item.id: 6 for item in scale[7:]}
    assert rounds.save_self_answers(feedback_round, rest) == [role]
    assert rounds.save_self_answers(feedback_round, {role.id: "trusted_advisor",
                                                     scale[1].id: 2}) == []
    [saved] = stored_rounds()
    assert saved.self_completed
    assert saved.self_answers == {**first_page, **rest, role.id: "trusted_advisor",
                                  scale[1].id: 2}


def test_a_closed_rounds_self_assessment_cannot_change(advisor):
    feedback_round = make_round(advisor)
    answers = dict(feedback_round.self_answers)
    rounds.close_round(feedback_round)
    with pytest.raises(ServiceError) as refused:
        rounds.save_self_answers(feedback_round, {next(iter(answers)): 1})
    assert refused.value.errors == {None: [
        "Deze ronde is gesloten; de zelfbeoordeling kan niet meer veranderen."]}
    assert stored_rounds()[0].self_answers == answers


# Closing


@pytest.fixture
def busy_round(advisor):
    """An open round with min 3: four clients invited (mail: 2 sent, 1 failed, 1 queued),
    one withdrawn, two answered (waiting), one with a draft; and a second round."""
    feedback_round = make_round(advisor, min_clients=3)
    instrument = instruments.for_round(feedback_round)
    invitations.invite(feedback_round, invitations.parse_lines(
        "piet@example.com\nkarin@example.com\njoost@example.com\nels@example.com"))
    piet, karin, joost, els = feedback_round.invitations
    for invitation, status in ((piet, MailStatus.SENT), (karin, MailStatus.SENT),
                               (joost, MailStatus.UNDELIVERABLE)):
        invitation.message.status = status
    db.session.commit()
    responses.submit(piet, full_answers(instrument, 2))
    responses.submit(karin, full_answers(instrument, 6))
    responses.save_draft(joost, {instrument.scale_items[0].id: 4})
    invitations.withdraw(feedback_round, els.id)
    other = make_round(advisor, title="Other")
    make_invitation(other, email="other@example.com")
    make_closed_round(advisor, client_scores=(3, 4, 5))
    mail.queue("anna@example.com", "Voor de adviseur", "password_reset", "nl",
               user=advisor, link="http://localhost/reset", hours=2)
    db.session.commit()
    return feedback_round


def rows(model, **where) -> list:
    db.session.expire_all()
    return list(db.session.execute(db.select(model).filter_by(**where)).scalars())


def test_closing_keeps_counts_and_the_answers_only(busy_round):
    instrument = instruments.for_round(busy_round)
    before = clock.utcnow()
    rounds.close_round(busy_round)
    [closed, other, earlier] = stored_rounds()
    assert closed.status is RoundStatus.CLOSED and before <= closed.closed_at <= clock.utcnow()
    # Invited counts the withdrawn invitation too; delivered and failed are the mail's.
    assert (closed.invited_count, closed.delivered_count, closed.failed_count) == (4, 2, 1)
    # The two waiting answers moved, below the minimum, because nothing more will come.
    assert sorted(r.answers[instrument.scale_items[0].id]
                  for r in rows(Response, round_id=closed.id)) == [2, 6]
    assert rows(Invitation, round_id=closed.id) == []
    assert rows(OutboxMessage, group=closed.mail_group) == []
    assert [link.invitation.round_id for link in rows(InvitationLink)] == [other.id]
    # The other rounds and the advisor's own mail are untouched.
    assert len(rows(Response, round_id=earlier.id)) == 3
    assert [i.email for i in rows(Invitation, round_id=other.id)] == ["other@example.com"]
    assert [m.recipient for m in rows(OutboxMessage)] == ["anna@example.com"]
    counts = progress.of_round(closed)
    assert (counts.invited, counts.delivered, counts.failed, counts.responses) == (4, 2, 1, 2)


def test_a_round_closes_once(busy_round):
    rounds.close_round(busy_round)
    [closed, _other, _earlier] = stored_rounds()
    kept = (closed.closed_at, closed.invited_count, closed.delivered_count, closed.failed_count)
    answers = sorted(str(r.answers) for r in rows(Response))
    with pytest.raises(ServiceError) as refused:
        rounds.close_round(closed)
    assert refused.value.errors == {None: ["Alleen een open ronde kan worden gesloten."]}
    [closed, _other, _earlier] = stored_rounds()
    assert (closed.closed_at, closed.invited_count, closed.delivered_count,
            closed.failed_count) == kept
    assert sorted(str(r.answers) for r in rows(Response)) == answers


def test_a_refused_close_changes_nothing(busy_round):
    busy_round.self_completed = False
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        rounds.close_round(busy_round)
    assert refused.value.errors == {None: [
        "Vul eerst uw zelfbeoordeling in: het rapport vergelijkt die met de antwoorden van "
        "uw klanten."]}
    [still_open, _other, _earlier] = stored_rounds()
    assert still_open.is_open and still_open.closed_at is None
    assert still_open.invited_count is None
    assert len(rows(Invitation, round_id=still_open.id)) == 4
    assert len(rows(OutboxMessage, group=still_open.mail_group)) == 4
    assert rows(Response, round_id=still_open.id) == []
    assert progress.response_counts([still_open.id]) == {still_open.id: 2}


def test_a_round_without_clients_closes_with_zero_counts(advisor):
    feedback_round = make_round(advisor)
    rounds.close_round(feedback_round)
    [closed] = stored_rounds()
    assert (closed.invited_count, closed.delivered_count, closed.failed_count) == (0, 0, 0)
    assert rows(Response) == []


def test_closing_empties_sqlites_write_ahead_log(busy_round, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("a write-ahead log file is SQLite's")
    log = Path(database_url.removeprefix("sqlite:///") + "-wal")
    assert log.stat().st_size > 0
    rounds.close_round(busy_round)
    # The log held the pages with the clients' addresses; now only the zeroed file is left.
    assert log.stat().st_size == 0


def test_a_log_that_cannot_be_emptied_now_is_reported(busy_round, monkeypatch, caplog):
    monkeypatch.setattr(rounds, "truncate_wal", lambda: False)  # a reader holds it
    rounds.close_round(busy_round)
    assert stored_rounds()[0].is_closed
    assert (f"round {busy_round.id} closed; the SQLite log is truncated by the next "
            "`flask pib360 deliver`") in caplog.text
