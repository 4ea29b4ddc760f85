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
