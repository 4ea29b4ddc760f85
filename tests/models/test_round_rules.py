"""The rules a round keeps about itself: its deadline, whether it takes answers, whether
it may open or close, and why not. No app and no database: the time zone is a value."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pib360.models import FeedbackRound, IllegalTransition, Refusal, RoundStatus

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def a_round(status=RoundStatus.OPEN, deadline=date(2027, 3, 31), self_completed=True):
    return FeedbackRound(title="Voorjaar", status=status, deadline=deadline,
                         self_completed=self_completed)


def test_a_deadline_is_a_whole_day_where_pib360_is_used():
    feedback_round = a_round()
    last_evening = datetime(2027, 3, 31, 21, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    after_midnight = datetime(2027, 3, 31, 22, 1, tzinfo=UTC)  # 00:01 on 1 April there
    assert not feedback_round.deadline_passed(last_evening, AMSTERDAM)
    assert feedback_round.deadline_passed(after_midnight, AMSTERDAM)
    assert not feedback_round.deadline_passed(after_midnight, UTC)  # still the 31st in UTC
    assert not a_round(deadline=None).deadline_passed(after_midnight, AMSTERDAM)


@pytest.mark.parametrize("status, deadline, accepts", [
    (RoundStatus.OPEN, date(2027, 4, 1), True),
    (RoundStatus.OPEN, date(2027, 3, 1), False),  # past its deadline
    (RoundStatus.DRAFT, None, False),
    (RoundStatus.CLOSED, None, False),
])
def test_only_an_open_round_before_its_deadline_takes_answers(status, deadline, accepts):
    now = datetime(2027, 3, 15, 12, tzinfo=UTC)
    assert a_round(status, deadline).accepts_answers(now, AMSTERDAM) is accepts


def test_a_round_says_why_it_cannot_open_or_close():
    now = datetime(2027, 3, 15, 12, tzinfo=UTC)
    assert a_round(RoundStatus.DRAFT).can_open(now, AMSTERDAM) is None
    assert a_round(RoundStatus.OPEN).can_open(now, AMSTERDAM) is Refusal.NOT_A_DRAFT
    late = a_round(RoundStatus.DRAFT, deadline=date(2027, 3, 1))
    assert late.can_open(now, AMSTERDAM) is Refusal.DEADLINE_PASSED
    assert a_round(RoundStatus.OPEN).can_close() is None
    assert a_round(RoundStatus.DRAFT).can_close() is Refusal.NOT_OPEN
    assert a_round(self_completed=False).can_close() is Refusal.SELF_ASSESSMENT_INCOMPLETE


def test_an_illegal_move_changes_nothing_and_carries_its_reason():
    now = datetime(2027, 3, 15, 12, tzinfo=UTC)
    incomplete = a_round(self_completed=False)
    with pytest.raises(IllegalTransition) as refused:
        incomplete.close(now)
    assert refused.value.reason is Refusal.SELF_ASSESSMENT_INCOMPLETE
    assert incomplete.status is RoundStatus.OPEN and incomplete.closed_at is None
    draft = a_round(RoundStatus.DRAFT)
    draft.open(now, AMSTERDAM)
    assert (draft.status, draft.opened_at) == (RoundStatus.OPEN, now)
    with pytest.raises(IllegalTransition) as refused:
        draft.open(now, AMSTERDAM)
    assert refused.value.reason is Refusal.NOT_A_DRAFT


@pytest.mark.parametrize("status, editable", [
    (RoundStatus.DRAFT, True), (RoundStatus.OPEN, True),
    (RoundStatus.CLOSED, False), (RoundStatus.CANCELLED, False),
])
def test_only_a_draft_or_open_round_can_be_edited_or_cancelled(status, editable):
    expected = None if editable else Refusal.FINISHED
    assert a_round(status).can_edit() is expected
    assert a_round(status).can_cancel() is expected


def test_a_deadline_only_moves_later_and_the_reminder_moves_with_it():
    assert a_round(RoundStatus.DRAFT).can_extend() is Refusal.NOT_OPEN
    assert a_round(RoundStatus.CLOSED).can_extend() is Refusal.NOT_OPEN
    assert a_round(deadline=None).can_extend() is Refusal.NO_DEADLINE
    assert a_round().can_extend(date(2027, 3, 31)) is Refusal.NOT_LATER
    reminded = FeedbackRound(status=RoundStatus.OPEN, deadline=date(2027, 3, 31),
                             auto_reminder=True, auto_reminder_sent=True,
                             deadline_notice_sent=True)
    assert reminded.reminder_day() == date(2027, 3, 28)
    reminded.extend(date(2027, 4, 14))
    assert reminded.deadline == date(2027, 4, 14)
    assert reminded.reminder_day() == date(2027, 4, 11)
    assert not reminded.auto_reminder_sent and not reminded.deadline_notice_sent
    with pytest.raises(IllegalTransition) as refused:
        reminded.extend(date(2027, 4, 1))
    assert refused.value.reason is Refusal.NOT_LATER and reminded.deadline == date(2027, 4, 14)


def test_a_cancelled_round_is_finished_and_takes_no_answers():
    now = datetime(2027, 3, 15, 12, tzinfo=UTC)
    cancelled = a_round()
    cancelled.cancel(now)
    assert cancelled.is_cancelled and cancelled.is_finished and cancelled.cancelled_at == now
    assert not cancelled.accepts_answers(now, AMSTERDAM)
    assert cancelled.can_close() is Refusal.NOT_OPEN
    with pytest.raises(IllegalTransition):
        cancelled.cancel(now)
