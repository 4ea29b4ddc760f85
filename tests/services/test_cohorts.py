"""Cohorts: invitations, joining and leaving, sharing, and the group report by hand."""

from datetime import timedelta

import pytest

from pib360.extensions import db
from pib360.models import CohortMember, OutboxMessage, Role, Share
from pib360.models.types import utcnow
from pib360.services import ServiceError, cohort_reports, cohorts, invitations, sharing
from tests.helpers import make_closed_round, make_round, make_user


@pytest.fixture
def coach(app):
    return make_user("carel@example.com", Role.COACH, "Carel Coach")


@pytest.fixture
def cohort(coach):
    return cohorts.create_cohort(coach, "  PiB voorjaar 2027 ")


def member(cohort, name, closed=True, **round_fields):
    """An advisor who joined `cohort`, with a closed round made by make_closed_round."""
    advisor = make_user(f"{name.lower()}@example.com", name=name)
    db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    sharing.ensure_share(advisor, cohort.coach)
    db.session.commit()
    if closed:
        make_closed_round(advisor, **round_fields)
    return advisor


def outbox(recipient):
    return db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.recipient == recipient)).scalars().all()


def test_create_cohort_trims_and_refuses_an_empty_name(coach, cohort):
    assert cohort.name == "PiB voorjaar 2027" and cohort.coach is coach
    with pytest.raises(ServiceError) as refused:
        cohorts.create_cohort(coach, "   ")
    assert "name" in refused.value.errors


def test_invite_queues_one_personal_link_per_new_address(cohort):
    make_user("bram@example.com", name="Bram", language="en")
    parsed = invitations.parse_lines(
        "Bram <bram@example.com>\nnot an address\nBRAM@example.com\nnina@example.com")
    result = cohorts.invite(cohort, parsed)
    assert [e.email for e in result.invited] == ["bram@example.com", "nina@example.com"]
    assert [(p.line, p.reason) for p in result.problems] == [
        (2, "geen geldig e-mailadres"), (3, "al uitgenodigd of al in de groep")]
    [english] = outbox("bram@example.com")  # an account in English gets English mail
    assert english.subject == "Carel Coach invites you to the group PiB voorjaar 2027"
    assert english.secret and "/sharing/join/" in english.body_text
    [dutch] = outbox("nina@example.com")  # no account: the coach's language
    assert dutch.subject == "Carel Coach nodigt u uit voor de groep PiB voorjaar 2027"
    again = cohorts.invite(cohort, invitations.parse_lines("nina@example.com"))
    assert again.invited == [] and len(outbox("nina@example.com")) == 1


def join_link_token(recipient) -> str:
    [message] = outbox(recipient)
    return message.body_text.split("/sharing/join/")[1].split()[0]


def test_joining_shares_with_the_coach_once_and_tells_them(coach, cohort):
    cohorts.invite(cohort, invitations.parse_lines("anna@example.com"))
    token = join_link_token("anna@example.com")
    anna = make_user()
    assert cohorts.invitation_for(token).cohort is cohort
    assert cohorts.join(anna, token) is cohort
    assert cohorts.members(cohort) == [anna]
    assert sharing.can_read_reports(coach, anna)
    [told] = outbox(coach.email)
    assert told.subject == "Anna Jansen is lid geworden van PiB voorjaar 2027"
    assert "http://localhost/coach/" in told.body_text
    # The link works once.
    assert cohorts.invitation_for(token) is None
    with pytest.raises(LookupError):
        cohorts.join(anna, token)
    with pytest.raises(LookupError):
        cohorts.join(anna, "made-up-token")


def test_a_join_link_stops_working_when_its_coach_is_no_longer_a_coach(coach, cohort):
    cohorts.invite(cohort, invitations.parse_lines("anna@example.com"))
    token = join_link_token("anna@example.com")
    anna = make_user()
    coach.active = False
    db.session.commit()
    assert cohorts.invitation_for(token) is None
    with pytest.raises(LookupError):
        cohorts.join(anna, token)
    assert not sharing.can_read_reports(coach, anna)
    coach.active, coach.role = True, Role.ADVISOR
    db.session.commit()
    assert cohorts.invitation_for(token) is None


def test_only_advisors_join(coach, cohort):
    cohorts.invite(cohort, invitations.parse_lines("other@example.com"))
    other_coach = make_user("other@example.com", Role.COACH, "Olga")
    with pytest.raises(ServiceError):
        cohorts.join(other_coach, join_link_token("other@example.com"))
    assert cohorts.members(cohort) == []


def test_leaving_keeps_the_share_and_revoking_leaves_the_coachs_cohorts(coach, cohort):
    other = cohorts.create_cohort(coach, "Tweede groep")
    anna = member(cohort, "Anna", closed=False)
    db.session.add(CohortMember(cohort=other, advisor=anna))
    db.session.commit()
    assert cohorts.leave(anna, cohort.id) is cohort
    assert cohorts.memberships(anna) == [other] and sharing.can_read_reports(coach, anna)
    with pytest.raises(LookupError):
        cohorts.leave(anna, cohort.id)
    [share] = sharing.shares_of(anna)
    assert sharing.revoke(anna, share.id) is coach
    assert cohorts.memberships(anna) == [] and not sharing.can_read_reports(coach, anna)


def test_members_are_only_advisors_who_still_share(coach, cohort):
    anna = member(cohort, "Anna", closed=False)
    db.session.execute(db.delete(Share).where(Share.advisor_id == anna.id))
    db.session.commit()  # as if the share vanished while the membership stayed
    assert cohorts.members(cohort) == []


# Hand-computed group report. Every item scores (after reversal) its dimension's value:
#   Anna: self 5 everywhere; three clients at credibility 6, reliability 5, intimacy 4,
#         self-orientation 3 -> gaps +1, 0, -1, -2.
#   Bram: self 4 everywhere; three clients at 7, 5, 2, 4 -> gaps +3, +1, -2, 0.
#   Cato: two clients only (minimum 3): her client figures are hidden, so she counts nowhere.
# Means over Anna and Bram: self 4.5; clients 6.5, 5, 3, 3.5; gaps +2, +0.5, -1.5, -1.
ANNA = {"credibility": 6, "reliability": 5, "intimacy": 4, "self_orientation": 3}
BRAM = {"credibility": 7, "reliability": 5, "intimacy": 2, "self_orientation": 4}


def test_group_report_means_by_hand(cohort):
    member(cohort, "Anna", self_scores=5, client_scores=[ANNA] * 3)
    member(cohort, "Bram", self_scores=4, client_scores=[BRAM] * 3)
    member(cohort, "Cato", self_scores=6, client_scores=[ANNA] * 2)
    overview = cohort_reports.overview(cohort)
    report = overview.report
    assert [m.advisor.name for m in overview.included] == ["Anna", "Bram", "Cato"]
    summary = report.summary
    assert summary["self"].tolist() == pytest.approx([4.5] * 4)
    assert summary["clients"].tolist() == pytest.approx([6.5, 5, 3, 3.5])
    assert summary["gap"].tolist() == pytest.approx([2, 0.5, -1.5, -1])
    assert summary["advisors_n"].tolist() == [2, 2, 2, 2]
    assert sorted(report.n_clients.tolist()) == [2, 3, 3]
    tables = cohort_reports.tables(overview, "nl")
    assert [(r.name, r.gap, r.advisors) for r in tables.dimensions] == [
        ("Geloofwaardigheid", "+2,0", 2), ("Betrouwbaarheid", "+0,5", 2),
        ("Intimiteit", "−1,5", 2), ("Zelfgerichtheid", "−1,0", 2)]
    assert [(line.member.advisor.name, line.gaps) for line in tables.advisors] == [
        ("Anna", ["+1,0", "0,0", "−1,0", "−2,0"]), ("Bram", ["+3,0", "+1,0", "−2,0", "0,0"]),
        ("Cato", ["–"] * 4)]


def test_group_report_roles_and_items_by_hand(cohort):
    # Clients score 6 on every item; self 5 (Anna) and 4 (Bram): every role and item has
    # self 4.5, clients 6 and gap +1.5 over two advisors.
    member(cohort, "Anna", self_scores=5, client_scores=[6] * 3)
    member(cohort, "Bram", self_scores=4, client_scores=[6] * 3)
    report = cohort_reports.overview(cohort).report
    for summary in (report.role_summary, report.item_summary):
        assert summary["self"].tolist() == pytest.approx([4.5] * len(summary))
        assert summary["gap"].tolist() == pytest.approx([1.5] * len(summary))
        assert set(summary["advisors_n"]) == {2}
    assert len(cohort_reports.tables(cohort_reports.overview(cohort), "en").items) == 10


def test_group_report_uses_the_latest_closed_round_and_one_instrument(cohort):
    anna = member(cohort, "Anna", self_scores=1, client_scores=[7] * 3,
                  closed_at=utcnow() - timedelta(days=200))
    make_closed_round(anna, self_scores=5, client_scores=[6] * 3, title="Later")
    make_round(anna, title="Still open")
    bram = member(cohort, "Bram", self_scores=4, client_scores=[6] * 3)
    bram_round = cohort_reports.latest_closed_rounds([bram])[bram.id]
    bram_round.instrument_version = "0.9"  # an older questionnaire version
    db.session.commit()
    member(cohort, "Cato", closed=False)  # joined, no round yet
    member(cohort, "Dora", self_scores=5, client_scores=[6] * 3)
    overview = cohort_reports.overview(cohort)
    # Two rounds with version 1.0 against one with 0.9: the report uses 1.0.
    assert {m.advisor.name: (m.feedback_round and m.feedback_round.title, m.left_out)
            for m in overview.members} == {
        "Anna": ("Later", None), "Bram": ("Najaar 2026", "other_instrument"),
        "Cato": (None, "no_closed_round"), "Dora": ("Najaar 2026", None)}
    assert overview.report.summary["gap"].tolist() == pytest.approx([1] * 4)


def test_group_report_uses_the_strictest_minimum(cohort):
    member(cohort, "Anna", client_scores=[6] * 3, min_clients=3)
    member(cohort, "Bram", client_scores=[6] * 4, min_clients=4)
    report = cohort_reports.overview(cohort).report
    assert report.min_clients == 4
    assert report.summary["advisors_n"].tolist() == [1] * 4  # Anna's 3 clients are too few


def test_group_report_without_closed_rounds(cohort):
    member(cohort, "Anna", closed=False)
    overview = cohort_reports.overview(cohort)
    assert overview.report is None and overview.included == []
