"""The coach: dashboard, groups and invitations, the group report and its PDF, trends."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from pib360.extensions import db
from pib360.models import Cohort, CohortMember, Role, User
from pib360.models.types import utcnow
from pib360.services import cohorts, invitations, sharing
from tests.helpers import log_in, make_closed_round, make_round, make_user, post_form


@pytest.fixture
def coach(app):
    return make_user("carel@example.com", Role.COACH, "Carel Coach")


@pytest.fixture
def logged_in(client, coach):
    log_in(client, email=coach.email)
    return client


def sharing_advisor(coach, name, cohort=None, closed=True, **round_fields):
    """An advisor who shares with `coach` (in `cohort`), with a closed round unless not."""
    advisor = make_user(f"{name.lower()}@example.com", name=name)
    sharing.ensure_share(advisor, coach)
    if cohort is not None:
        db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    db.session.commit()
    return advisor, make_closed_round(advisor, **round_fields) if closed else None


def test_the_coach_starts_on_the_dashboard(logged_in):
    assert logged_in.get("/").headers["Location"] == "/coach/"
    page = logged_in.get("/coach/").get_data(as_text=True)
    assert "Adviseurs en groepen" in page and "Nog niemand deelt rapporten met u." in page


def test_dashboard_lists_the_rounds_of_advisors_who_share(logged_in, coach):
    anna, closed = sharing_advisor(coach, "Anna", client_scores=[6] * 4)
    open_round = make_round(anna, title="Lopende ronde")
    make_closed_round(make_user("bram@example.com", name="Bram"), title="Niet gedeeld")
    page = logged_in.get("/coach/").get_data(as_text=True)
    assert "Anna" in page and "Lopende ronde" in page and "Najaar 2026" in page
    assert "Bram" not in page and "Niet gedeeld" not in page
    assert f'href="/reports/{closed.id}"' in page
    assert f'href="/reports/{open_round.id}"' not in page  # no report before closing
    assert ">4</td>" in page  # responses of the closed round
    assert "Gesloten" in page and "Open" in page
    assert f'href="/trend/{anna.id}"' in page


def test_create_a_group_and_invite_advisors(logged_in, coach, mailbox):
    page = post_form(logged_in, "/coach/groups/new", {"name": " "}).get_data(as_text=True)
    assert "Geef de groep een naam." in page
    response = post_form(logged_in, "/coach/groups/new", {"name": "PiB voorjaar 2027"})
    [cohort] = [c for c, _count in cohorts.cohorts_of(coach)]
    assert response.headers["Location"] == f"/coach/groups/{cohort.id}/invite"
    invite = f"/coach/groups/{cohort.id}/invite"
    with post_form(logged_in, invite, {"addresses": "anna@example.com\nnope"}) as response:
        page = response.get_data(as_text=True)
    assert "geen geldig e-mailadres" in page and "<code>nope</code>" in page
    [message] = mailbox.wait_for("anna@example.com")
    assert message["Subject"] == "Carel Coach nodigt u uit voor de groep PiB voorjaar 2027"
    [link] = mailbox.links(message)
    assert link.startswith("http://localhost/sharing/join/")
    page = logged_in.get(f"/coach/groups/{cohort.id}").get_data(as_text=True)
    assert "anna@example.com" in page and "Openstaande uitnodigingen" in page
    assert "Er is nog geen adviseur lid geworden." in page


def test_the_group_report_page_names_the_advisors_to_the_coach(logged_in, coach):
    cohort = cohorts.create_cohort(coach, "PiB voorjaar 2027")
    # Clients 6 everywhere; self 5 (Anna) and 4 (Bram): mean gap +1.5 on every dimension.
    sharing_advisor(coach, "Anna", cohort, self_scores=5, client_scores=[6] * 3)
    sharing_advisor(coach, "Bram", cohort, self_scores=4, client_scores=[6] * 3)
    sharing_advisor(coach, "Cato", cohort, closed=False)
    page = logged_in.get(f"/coach/groups/{cohort.id}/report").get_data(as_text=True)
    assert "2 van 3 adviseurs" in page
    assert page.count(">+1,5<") >= 4 and ">4,5<" in page and ">6,0<" in page
    assert "Anna" in page and "Bram" in page
    assert "Cato: nee: nog geen afgesloten ronde" in page
    # The spread is drawn in the page and written out: both gaps, and their mean.
    assert "<img" not in page and page.count('class="spread-dot"') == 2 * 4
    assert "Verschillen: +1,0, +2,0 · gemiddeld +1,5" in page


def test_the_group_pdf_names_no_advisor(logged_in, coach):
    cohort = cohorts.create_cohort(coach, "PiB voorjaar 2027")
    sharing_advisor(coach, "Annabel", cohort, self_scores=5, client_scores=[6] * 3)
    sharing_advisor(coach, "Bartholomeus", cohort, self_scores=4, client_scores=[6] * 3)
    sharing_advisor(coach, "Cornelia", cohort, self_scores=5, client_scores=[6] * 3)
    response = logged_in.get(f"/coach/groups/{cohort.id}/report.pdf")
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    # Gaps +1, +2 and +1: mean (1 + 2 + 1) / 3 = 1.33.
    assert "Groepsrapport" in text and "PiB voorjaar 2027" in text and "+1,3" in text
    for name in ("Annabel", "Bartholomeus", "Cornelia", "annabel@example.com"):
        assert name not in text


def test_the_group_pdf_needs_three_advisors(logged_in, coach):
    """With two, a figure of the unnamed PDF would be one advisor's own."""
    cohort = cohorts.create_cohort(coach, "Klein")
    sharing_advisor(coach, "Annabel", cohort, self_scores=5, client_scores=[6] * 3)
    sharing_advisor(coach, "Bartholomeus", cohort, self_scores=4, client_scores=[6] * 3)
    response = logged_in.get(f"/coach/groups/{cohort.id}/report.pdf", follow_redirects=True)
    assert response.mimetype == "text/html"
    assert "minstens 3 adviseurs" in response.get_data(as_text=True)


def test_a_group_without_closed_rounds_has_no_figures_yet(logged_in, coach):
    cohort = cohorts.create_cohort(coach, "Leeg")
    page = logged_in.get(f"/coach/groups/{cohort.id}/report").get_data(as_text=True)
    assert "Nog geen adviseur in deze groep heeft een afgesloten ronde." in page
    assert logged_in.get(f"/coach/groups/{cohort.id}/report.pdf").status_code == 404


def test_another_coachs_group_is_not_found(logged_in):
    other = make_user("olga@example.com", Role.COACH, "Olga")
    cohort = cohorts.create_cohort(other, "Olga's groep")
    for path in ("", "/report", "/report.pdf", "/invite"):
        assert logged_in.get(f"/coach/groups/{cohort.id}{path}").status_code == 404, path


# Trend by hand (every item scores its dimension's value):
#   spring: self 4 everywhere -> trust quotient 12/4 = 3.00; clients credibility,
#           reliability, intimacy 5 and self-orientation 3 -> 15/3 = 5.00.
#   autumn: self 5 -> 15/5 = 3.00; clients 6, 6, 6 and 2 -> 18/2 = 9.00.
SPRING = {"credibility": 5, "reliability": 5, "intimacy": 5, "self_orientation": 3}
AUTUMN = {"credibility": 6, "reliability": 6, "intimacy": 6, "self_orientation": 2}


def two_rounds(advisor):
    make_closed_round(advisor, 4, [SPRING] * 3, title="Voorjaar",
                      closed_at=utcnow() - timedelta(days=180))
    make_closed_round(advisor, 5, [AUTUMN] * 3, title="Najaar")


def test_the_coach_reads_an_advisors_trend(logged_in, coach):
    anna, _none = sharing_advisor(coach, "Anna", closed=False)
    two_rounds(anna)
    old = make_closed_round(anna, title="Oude vragenlijst",
                            closed_at=utcnow() - timedelta(days=400))
    old.instrument_id = "pib360-pilot"
    db.session.commit()
    page = logged_in.get(f"/trend/{anna.id}").get_data(as_text=True)
    assert "Trend: Anna" in page
    assert "Weggelaten" in page and "Oude vragenlijst (pib360-pilot" in page
    quotient = page.split('id="series-tq"')[1].split("</section>")[0]
    assert "Zelfbeoordeling 3,00 · klanten <strong>5,00</strong>" in quotient  # spring
    assert "Zelfbeoordeling 3,00 · klanten <strong>9,00</strong>" in quotient  # autumn
    assert "<img" not in page and 'class="over-time"' in page


def test_the_advisor_reads_their_own_trend(client):
    anna = make_user()
    log_in(client)
    assert "Nog geen afgesloten rondes." in client.get("/trend/").get_data(as_text=True)
    two_rounds(anna)
    page = client.get("/trend/").get_data(as_text=True)
    assert "Uw trend" in page and "Voorjaar" in page and "Najaar" in page
    assert page.index("Voorjaar") < page.index("Najaar")
    quotient = page.split('id="series-tq"')[1].split("</section>")[0]
    assert quotient.count("Zelfbeoordeling 3,00") == 2
    assert "<strong>5,00</strong>" in quotient and "<strong>9,00</strong>" in quotient
    # Every client scored credibility alike in each round: a change with no spread at all
    # is beyond the noise.
    credibility = page.split('id="series-credibility"')[1].split("</section>")[0]
    assert "meer dan toeval" in credibility
    assert client.get(f"/trend/{anna.id}").status_code == 200


def test_coach_pages_are_for_coaches(client):
    make_user()
    log_in(client)
    for path in ("/coach/", "/coach/groups/new"):
        assert client.get(path).status_code == 403, path


def test_coach_and_sharing_pages_have_labels_and_landmarks(app, logged_in, coach, mailbox):
    from tests.views.test_pages import assert_accessible

    cohort = cohorts.create_cohort(coach, "PiB voorjaar 2027")
    anna, _round = sharing_advisor(coach, "Anna", cohort, client_scores=[6] * 3)
    two_rounds(anna)
    cohorts.invite(cohort, invitations.parse_lines("nina@example.com"))
    for path in ("/coach/", "/coach/groups/new", f"/coach/groups/{cohort.id}",
                 f"/coach/groups/{cohort.id}/invite", f"/coach/groups/{cohort.id}/report",
                 f"/trend/{anna.id}"):
        response = logged_in.get(path)
        assert response.status_code == 200, path
        assert_accessible(path, response)
    advisor = app.test_client()
    log_in(advisor, email=anna.email)
    for path in ("/sharing/", "/trend/"):
        response = advisor.get(path)
        assert response.status_code == 200, path
        assert_accessible(path, response)


def test_trend_and_group_report_queries_do_not_grow_with_rounds_or_members(logged_in, coach):
    from sqlalchemy import event

    def queries(path: str) -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert logged_in.get(path).status_code == 200, path
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    cohort = cohorts.create_cohort(coach, "Groep")
    anna, _round = sharing_advisor(coach, "Anna", cohort)
    anna_id, cohort_id = anna.id, cohort.id
    few = (queries(f"/trend/{anna_id}"), queries(f"/coach/groups/{cohort_id}/report"))
    two_rounds(db.session.get(User, anna_id))
    for name in ("Bram", "Cas", "Dirk"):
        sharing_advisor(coach, name, db.session.get(Cohort, cohort_id))
    many = (queries(f"/trend/{anna_id}"), queries(f"/coach/groups/{cohort_id}/report"))
    assert many == few
