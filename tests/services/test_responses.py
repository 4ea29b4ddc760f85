"""The client's side as use cases: a personal link, drafts, one submit, anonymous batches."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import OperationalError

from pib360 import clock
from pib360.extensions import db
from pib360.models import Invitation, InvitationLink, InvitationStatus, Response
from pib360.services import ServiceError, ballots, instruments, progress, responses, rounds
from pib360.services.responses import AlreadySubmitted, LinkGone, LinkUnknown
from tests.helpers import full_answers, make_invitation, make_round, make_user

MISSING = "Beantwoord deze vraag, of kies „kan ik niet beoordelen”."


@pytest.fixture
def feedback_round(app):
    return make_round(make_user(), min_clients=3)


@pytest.fixture
def instrument(feedback_round):
    return instruments.for_round(feedback_round)


def stored(invitation: Invitation) -> Invitation:
    """The invitation as the database has it now."""
    db.session.expire_all()
    return db.session.get(Invitation, invitation.id)


def stored_answers() -> list[dict]:
    db.session.expire_all()
    return [r.answers for r in db.session.execute(db.select(Response)).scalars()]


def test_a_link_leads_to_its_own_invitation_and_only_its_hash_is_stored(feedback_round):
    first, first_token = make_invitation(feedback_round, email="a@example.com")
    second, second_token = make_invitation(feedback_round, email="b@example.com")
    assert responses.invitation_for_token(first_token) == first
    assert responses.invitation_for_token(second_token) == second
    hashes = db.session.execute(db.select(InvitationLink.token_hash)).scalars().all()
    assert sorted(hashes) == sorted(
        hashlib.sha256(token.encode()).hexdigest() for token in (first_token, second_token))


@pytest.mark.parametrize("token", ["", "not-a-token", "TOKEN"])
def test_an_unknown_link_is_unknown(feedback_round, token):
    _invitation, real_token = make_invitation(feedback_round)
    with pytest.raises(LinkUnknown):
        responses.invitation_for_token(token.replace("TOKEN", real_token + "x"))


def test_a_survey_session_finds_its_invitation_by_its_key(feedback_round):
    invitation, _token = make_invitation(feedback_round)
    other, _other_token = make_invitation(feedback_round, email="other@example.com")
    assert invitation.session_key != other.session_key
    assert responses.usable_invitation(invitation.session_key) == invitation
    with pytest.raises(LinkUnknown):
        responses.usable_invitation(invitation.session_key[:-1])


def deadline_in(days: int):
    return clock.local_today() + timedelta(days=days)


@pytest.mark.parametrize("deadline, usable", [
    (None, True),
    (0, True),  # the deadline is the last day to answer
    (-1, False),
])
def test_a_round_takes_answers_up_to_and_including_its_deadline(app, deadline, usable):
    feedback_round = make_round(
        make_user(), deadline=None if deadline is None else deadline_in(deadline))
    invitation, _token = make_invitation(feedback_round)
    if usable:
        assert responses.usable_invitation(invitation.session_key) == invitation
    else:
        with pytest.raises(LinkGone):
            responses.usable_invitation(invitation.session_key)


def test_the_deadline_is_a_day_where_pib360_is_used(app, monkeypatch):
    # 23:30 UTC on the 10th is already the 11th in Amsterdam: a deadline of the 10th passed.
    feedback_round = make_round(make_user(), deadline=date(2027, 1, 10))
    invitation, _token = make_invitation(feedback_round)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2027, 1, 10, 22, 30, tzinfo=UTC))
    assert responses.usable_invitation(invitation.session_key) == invitation
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2027, 1, 10, 23, 30, tzinfo=UTC))
    with pytest.raises(LinkGone):
        responses.usable_invitation(invitation.session_key)


def test_a_draft_or_closed_round_and_a_withdrawn_invitation_take_no_answers(app):
    advisor = make_user()
    draft = make_round(advisor, status="draft")
    closed = make_round(advisor, title="Closed")
    withdrawn_round = make_round(advisor, title="Withdrawn")
    in_draft, _ = make_invitation(draft, email="a@example.com")
    in_closed, _ = make_invitation(closed, email="b@example.com")
    withdrawn, _ = make_invitation(withdrawn_round, email="c@example.com")
    closed.close(clock.utcnow())
    withdrawn.status = InvitationStatus.WITHDRAWN
    db.session.commit()
    for invitation in (in_draft, in_closed, withdrawn):
        with pytest.raises(LinkGone):
            responses.check_usable(invitation)
        with pytest.raises(LinkGone):
            responses.usable_invitation(invitation.session_key)


def test_drafts_merge_page_by_page(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    first, second, third = (item.id for item in instrument.scale_items[:3])
    responses.save_draft(invitation, {first: 2, second: None})
    responses.save_draft(invitation, {second: 6, third: 7})
    assert stored(invitation).draft == {first: 2, second: 6, third: 7}
    assert not stored(invitation).used
    assert stored_answers() == []


def test_a_draft_of_a_used_invitation_is_refused(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    answers = full_answers(instrument, 4)
    responses.submit(invitation, answers)
    with pytest.raises(AlreadySubmitted):
        responses.save_draft(stored(invitation), {instrument.scale_items[0].id: 1})
    assert stored(invitation).draft is None
    assert stored(invitation).submitted_answers == answers


def test_submit_names_every_missing_item_and_stores_nothing(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    scale = instrument.scale_items
    draft = {scale[0].id: 3}
    responses.save_draft(invitation, draft)
    answers = full_answers(instrument, 5)
    for item in (scale[0], scale[5], scale[23]):
        del answers[item.id]
    with pytest.raises(ServiceError) as refused:
        responses.submit(stored(invitation), answers)
    # The draft answered the first item; the other two are missing, each with its message.
    assert refused.value.errors == {scale[5].id: [MISSING], scale[23].id: [MISSING]}
    invitation = stored(invitation)
    assert not invitation.used
    assert invitation.draft == draft and invitation.submitted_answers is None
    assert stored_answers() == []
    assert progress.response_counts([feedback_round.id]) == {}


def test_submit_takes_the_draft_with_the_last_page_and_drops_unknown_items(
        feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    answers = full_answers(instrument, 6, role=None, texts=["Blijf zo helder."])
    answers[instrument.scale_items[0].id] = None  # "cannot judge" is an answer
    early = dict(list(answers.items())[:10])
    responses.save_draft(invitation, {**early, "retired_item": 4})
    responses.submit(stored(invitation), {k: v for k, v in answers.items() if k not in early})
    invitation = stored(invitation)
    # No role is asked of a client; the open questions are optional.
    assert invitation.used and invitation.draft is None
    assert invitation.submitted_answers == answers
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}


def test_a_second_submit_is_refused_and_keeps_the_first_answers(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    first = full_answers(instrument, 2)
    responses.submit(invitation, first)
    with pytest.raises(AlreadySubmitted):
        responses.submit(stored(invitation), full_answers(instrument, 7))
    assert stored(invitation).submitted_answers == first
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}


def test_of_two_submits_at_once_only_one_is_taken(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    # This request read the invitation before the other submit marked it used.
    db.session().expire_on_commit = False
    assert not invitation.used
    db.session.commit()
    first = full_answers(instrument, 2)
    with db.engine.begin() as other_request:
        other_request.execute(update(Invitation).where(Invitation.id == invitation.id)
                              .values(used=True, submitted_answers=first))
    with pytest.raises(AlreadySubmitted):
        responses.submit(invitation, full_answers(instrument, 7))
    assert stored(invitation).submitted_answers == first
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}


def test_submit_to_a_closed_round_stores_nothing(feedback_round, instrument):
    invitation, _token = make_invitation(feedback_round)
    feedback_round.close(clock.utcnow())
    db.session.commit()
    with pytest.raises(LinkGone):
        responses.submit(invitation, full_answers(instrument, 5))
    invitation = stored(invitation)
    assert not invitation.used and invitation.submitted_answers is None
    assert stored_answers() == []


def test_submit_of_a_withdrawn_invitation_stores_nothing(feedback_round, instrument):
    from pib360.services import invitations

    invitation, _token = make_invitation(feedback_round)
    invitations.withdraw(feedback_round, invitation.id)
    with pytest.raises((LinkGone, AlreadySubmitted)):
        responses.submit(stored(invitation), full_answers(instrument, 5))
    invitation = stored(invitation)
    assert not invitation.used and invitation.submitted_answers is None
    assert progress.response_counts([feedback_round.id]) == {}


@pytest.mark.parametrize("case", ["withdrawn", "past deadline"])
def test_submit_says_the_link_is_gone(app, case):
    from pib360.services import invitations

    feedback_round = make_round(make_user())
    instrument = instruments.for_round(feedback_round)
    invitation, _token = make_invitation(feedback_round)
    if case == "withdrawn":
        invitations.withdraw(feedback_round, invitation.id)
    else:
        feedback_round.deadline = deadline_in(-1)
        db.session.commit()
    with pytest.raises(LinkGone):
        responses.submit(stored(invitation), full_answers(instrument, 5))


def submit_as(feedback_round, instrument, email: str, value: int) -> dict:
    invitation, _token = make_invitation(feedback_round, email=email)
    answers = full_answers(instrument, value)
    responses.submit(invitation, answers)
    return answers


def test_answers_wait_until_the_minimum_and_then_move_in_one_batch(feedback_round, instrument):
    first = submit_as(feedback_round, instrument, "a@example.com", 2)
    second = submit_as(feedback_round, instrument, "b@example.com", 3)
    # Two of the minimum of three: both wait on their invitations, and count.
    assert stored_answers() == []
    waiting = db.session.execute(
        db.select(Invitation.submitted_answers).where(Invitation.submitted_answers.is_not(None))
    ).scalars().all()
    assert sorted(w[instrument.scale_items[0].id] for w in waiting) == [2, 3]
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 2}
    third = submit_as(feedback_round, instrument, "c@example.com", 4)
    moved = stored_answers()
    assert sorted(moved, key=str) == sorted([first, second, third], key=str)
    assert db.session.execute(
        db.select(Invitation).where(Invitation.submitted_answers.is_not(None))).first() is None
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 3}
    # The next one waits again, for the next batch or the close.
    fourth = submit_as(feedback_round, instrument, "d@example.com", 5)
    assert len(stored_answers()) == 3
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 4}
    rounds.close_round(feedback_round)
    assert sorted(stored_answers(), key=str) == sorted([first, second, third, fourth], key=str)


def test_a_higher_minimum_makes_a_bigger_batch(app):
    feedback_round = make_round(make_user(), min_clients=4)
    instrument = instruments.for_round(feedback_round)
    for n in range(3):
        submit_as(feedback_round, instrument, f"c{n}@example.com", n + 1)
    assert stored_answers() == []
    submit_as(feedback_round, instrument, "c3@example.com", 7)
    assert len(stored_answers()) == 4


def test_a_response_holds_the_round_and_the_answers_and_nothing_of_the_client(
        feedback_round, instrument):
    clients = [make_invitation(feedback_round, email=f"client{n}@example.com", name="Piet")
               for n in range(3)]
    for invitation, _token in clients:
        responses.submit(invitation, full_answers(instrument, 5, texts=["Prima."]))
    rows = db.session.execute(text("SELECT * FROM response")).mappings().all()
    assert len(rows) == 3
    assert {tuple(sorted(row)) for row in rows} == {("answers", "id", "round_id")}
    assert {row["round_id"] for row in rows} == {feedback_round.id}
    assert stored_answers() == [full_answers(instrument, 5, texts=["Prima."])] * 3
    dumped = " ".join(str(dict(row)) for row in rows)
    for invitation, token in clients:
        for secret in (invitation.email, invitation.session_key, token):
            assert secret not in dumped
    # Random keys, not the invitations' ids nor a sequence.
    keys = [r.id for r in db.session.execute(db.select(Response)).scalars()]
    assert len(set(keys)) == 3 and all(key.version == 4 for key in keys)


def test_a_batch_takes_the_answers_of_its_own_round_only(feedback_round, instrument):
    other_round = make_round(feedback_round.advisor, title="Other", min_clients=3)
    waiting = [submit_as(other_round, instrument, f"o{n}@example.com", 7) for n in range(2)]
    batch = [submit_as(feedback_round, instrument, f"c{n}@example.com", 2) for n in range(3)]
    assert stored_answers() == batch
    assert progress.response_counts([feedback_round.id, other_round.id]) == {
        feedback_round.id: 3, other_round.id: 2}
    rounds.close_round(other_round)
    assert sorted(stored_answers(), key=str) == sorted(batch + waiting, key=str)
    assert progress.response_counts([feedback_round.id, other_round.id]) == {
        feedback_round.id: 3, other_round.id: 2}


def test_the_answers_are_safe_when_moving_them_fails(feedback_round, instrument, monkeypatch,
                                                     caplog):
    release = ballots.release

    def failing(round_id, at_least):
        raise OperationalError("INSERT INTO response", {}, Exception("disk I/O error"))

    submit_as(feedback_round, instrument, "a@example.com", 2)
    submit_as(feedback_round, instrument, "b@example.com", 3)
    monkeypatch.setattr(ballots, "release", failing)
    third = make_invitation(feedback_round, email="c@example.com")[0]
    responses.submit(third, full_answers(instrument, 4))  # the client is not told of it
    assert f"could not move the answers of round {feedback_round.id}" in caplog.text
    assert stored(third).used
    assert stored_answers() == []
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 3}
    monkeypatch.setattr(ballots, "release", release)
    submit_as(feedback_round, instrument, "d@example.com", 5)
    assert len(stored_answers()) == 4
