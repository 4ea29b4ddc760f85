"""The advisor shares reports with a coach, revokes, and joins or leaves a coach's group."""

import pytest

from pib360.extensions import db
from pib360.mail import deliver
from pib360.models import CohortMember, Role, Share
from pib360.services import cohorts, invitations, sharing
from tests.helpers import PASSWORD, log_in, make_closed_round, make_user, post_form


@pytest.fixture
def coach(app):
    return make_user("carel@example.com", Role.COACH, "Carel Coach", language="en")


def shares() -> list[tuple[int, int]]:
    return db.session.execute(db.select(Share.advisor_id, Share.coach_id)).all()


def test_sharing_tells_the_coach_by_mail_in_their_language(app, logged_in, advisor, coach,
                                                           mailbox):
    # Closing the response delivers the mail, as a WSGI server does after sending it.
    with post_form(logged_in, "/sharing/", {"email": " Carel@Example.com "}) as response:
        assert response.status_code == 302
    assert shares() == [(advisor.id, coach.id)]
    [message] = mailbox.wait_for("carel@example.com")
    assert message["Subject"] == "Anna Jansen shares their feedback reports with you"
    assert "Hello Carel Coach," in mailbox.text(message)
    assert mailbox.links(message) == ["http://localhost/coach/"]
    page = logged_in.get("/sharing/").get_data(as_text=True)
    assert "Carel Coach kan nu uw rapporten lezen" in page  # the flash message
    assert "carel@example.com" in page and "Stoppen met delen" in page


@pytest.mark.parametrize("email", ["nobody@example.com", "anna@example.com", "ada@example.com",
                                   "retired@example.com"])
def test_only_an_active_coach_account_can_be_shared_with(logged_in, mailbox, email):
    make_user("ada@example.com", Role.ADMIN, "Ada")
    make_user("retired@example.com", Role.COACH, "Rob", active=False)
    page = post_form(logged_in, "/sharing/", {"email": email}).get_data(as_text=True)
    assert "Geen coach in pib360 heeft dit adres." in page
    assert shares() == [] and mailbox.messages == []


def test_sharing_twice_says_so(logged_in, coach):
    post_form(logged_in, "/sharing/", {"email": "carel@example.com"})
    page = post_form(logged_in, "/sharing/", {"email": "carel@example.com"}).get_data(as_text=True)
    assert "U deelt uw rapporten al met Carel Coach." in page
    assert len(shares()) == 1


def test_a_revoked_coach_loses_access_at_once(app, logged_in, advisor, coach):
    feedback_round = make_closed_round(advisor)
    share = sharing.share_with_coach(advisor, coach.email)
    reader = app.test_client()
    log_in(reader, email=coach.email)
    for path in (f"/reports/{feedback_round.id}", f"/trend/{advisor.id}", "/coach/"):
        page = reader.get(path)
        assert page.status_code == 200, path
        assert "Anna Jansen" in page.get_data(as_text=True), path
    response = post_form(logged_in, f"/sharing/{share.id}/revoke", {}, form_page="/sharing/")
    assert response.status_code == 302
    assert shares() == []
    # The coach's open session reads nothing more, from the very next request.
    for path in (f"/reports/{feedback_round.id}", f"/trend/{advisor.id}"):
        assert reader.get(path).status_code == 404, path
    assert "Anna Jansen" not in reader.get("/coach/").get_data(as_text=True)


def test_revoking_someone_elses_share_is_not_found(logged_in, coach):
    other = make_user("bram@example.com", name="Bram")
    share = sharing.share_with_coach(other, coach.email)
    response = post_form(logged_in, f"/sharing/{share.id}/revoke", {}, form_page="/sharing/")
    assert response.status_code == 404
    assert len(shares()) == 1


def invite_and_get_link(coach, mailbox, email="anna@example.com") -> str:
    cohort = cohorts.create_cohort(coach, "PiB voorjaar 2027")
    cohorts.invite(cohort, invitations.parse_lines(email))
    deliver()
    [message] = mailbox.wait_for(email)
    [link] = mailbox.links(message)
    return link.removeprefix("http://localhost")


def test_joining_a_group_through_the_mailed_link(app, client, advisor, coach, mailbox):
    path = invite_and_get_link(coach, mailbox)
    assert path.startswith("/sharing/join/")
    page = client.get(path).get_data(as_text=True)  # not logged in yet
    assert "Lid worden van de groep PiB voorjaar 2027" in page
    assert "Carel Coach nodigt u uit voor deze groep in pib360." in page
    assert f'href="/account/login?next={path}"' in page
    response = post_form(client, f"/account/login?next={path}",
                         {"email": "anna@example.com", "password": PASSWORD})
    assert response.headers["Location"] == path
    assert db.session.execute(db.select(CohortMember)).first() is None  # nothing on GET
    with post_form(client, path, {}) as response:
        assert response.headers["Location"] == "/sharing/"
    assert shares() == [(advisor.id, coach.id)]
    told = mailbox.wait_for("carel@example.com")
    assert told[-1]["Subject"] == "Anna Jansen joined PiB voorjaar 2027"
    page = client.get("/sharing/").get_data(as_text=True)
    assert "U bent lid geworden van de groep PiB voorjaar 2027." in page
    assert "Groep verlaten" in page
    assert client.get(path).status_code == 404  # used: the link works once


def test_a_new_advisor_registers_and_comes_back_to_join(client, coach, mailbox):
    path = invite_and_get_link(coach, mailbox, "nina@example.com")
    response = post_form(client, f"/account/register?next={path}", {
        "name": "Nina", "email": "nina@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"] == path
    assert post_form(client, path, {}).status_code == 302
    assert [m.name for m in cohorts.members(cohorts.own_cohort(coach, 1))] == ["Nina"]


def test_a_coach_cannot_join_a_group(app, client, coach, mailbox):
    path = invite_and_get_link(coach, mailbox, "olga@example.com")
    make_user("olga@example.com", Role.COACH, "Olga")
    log_in(client, email="olga@example.com")
    assert "Alleen adviseursaccounts" in client.get(path).get_data(as_text=True)
    assert post_form(client, path, {}).status_code == 403
    assert shares() == []


def test_leaving_a_group_keeps_sharing(logged_in, advisor, coach):
    cohort = cohorts.create_cohort(coach, "PiB voorjaar 2027")
    db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    sharing.ensure_share(advisor, coach)
    db.session.commit()
    response = post_form(logged_in, f"/sharing/groups/{cohort.id}/leave", {},
                         form_page="/sharing/")
    assert response.status_code == 302
    assert cohorts.members(cohort) == [] and shares() == [(advisor.id, coach.id)]
    assert post_form(logged_in, f"/sharing/groups/{cohort.id}/leave", {},
                     form_page="/sharing/").status_code == 404


def test_sharing_pages_are_for_advisors(client, coach):
    log_in(client, email=coach.email)
    assert client.get("/sharing/").status_code == 403
    assert client.get("/trend/").status_code == 403
