"""Installation-wide norms: computed by the background job, stored, read by the report."""

import io
import uuid

import pytest
from pypdf import PdfReader

from pib360 import create_app
from pib360.extensions import db
from pib360.models import Cohort, CohortMember, FeedbackRound, NormFigure, Response, Role
from pib360.services import instruments, sharing
from pib360.services.norms import recompute_norms
from tests.helpers import log_in, make_closed_round, make_user, scored_answers

THRESHOLD = 20  # the floor, so the tests need as few advisors as the rules allow


LOWEST = {"credibility": 2, "reliability": 2, "intimacy": 2, "self_orientation": 6}
HIGHEST = {"credibility": 6, "reliability": 6, "intimacy": 6, "self_orientation": 2}


def scores(number: int, count: int) -> dict:
    """Client figures that differ per advisor: the first advisor the least favourable on
    every measure, the last the most, the others in between."""
    if number in (0, count - 1):
        return LOWEST if number == 0 else HIGHEST
    return {"credibility": 3 + number % 3, "reliability": 3 + number % 2,
            "intimacy": 5 - number % 3, "self_orientation": 3 + number % 2}


def installation(count: int) -> list:
    """`count` advisors, each with a closed round of three clients; the first is Anna."""
    advisors = []
    for number in range(count):
        advisor = make_user(f"advisor{number}@example.com", name=f"Advisor {number}") if number \
            else make_user()
        make_closed_round(advisor, client_scores=[scores(number, count)] * 3)
        advisors.append(advisor)
    return advisors


@pytest.fixture
def norm_app(app):
    app.config["PIB360_NORM_MIN_ADVISORS"] = THRESHOLD
    return app


def stored() -> dict:
    db.session.expire_all()
    return {row.measure: (row.advisors, row.quantiles)
            for row in db.session.execute(db.select(NormFigure)).scalars()}


def test_below_the_threshold_the_report_says_how_many_more_advisors(norm_app, client):
    installation(THRESHOLD - 2)
    assert recompute_norms() == 1
    assert all(quantiles is None for _n, quantiles in stored().values())
    log_in(client)
    page = client.get("/reports/1").get_data(as_text=True)
    assert "er zijn nog 2 adviseurs met een afgesloten ronde nodig (20 in totaal)" in page
    assert "Percentiel" not in page


def test_the_report_places_the_clients_figures_on_the_norm(norm_app, client, runner):
    anna = installation(THRESHOLD)[0]
    result = runner.invoke(args=["pib360", "deliver"])
    assert "Recomputed the norms of 1 instrument version(s)." in result.output
    # Nothing closed since: the next run leaves the norm alone.
    again = runner.invoke(args=["pib360", "deliver"]).output
    assert "Recomputed the norms of 0 instrument version(s)." in again
    assert stored()["trust_quotient"][0] == THRESHOLD
    log_in(client)
    dutch = client.get("/reports/1").get_data(as_text=True)
    assert "Vergeleken met andere adviseurs" in dutch and "Boven percentiel 90" in dutch
    anna.language = "en"
    english = client.get("/reports/1").get_data(as_text=True)
    assert "Compared with other advisors" in english
    assert "20 advisors, computed on" in english and "norm-strip" in english
    # Anna's clients give the least favourable figures of all: the lowest trust quotient
    # and credibility, the highest self-orientation.
    assert english.count("Below percentile 10") == 4 and english.count("Above percentile 90") == 1
    assert "For self-orientation lower is better: a low percentile is favourable." in english


def test_no_norm_figure_depends_on_the_most_extreme_advisors(norm_app, client):
    """The attack: vary the lowest and the highest advisor's figures as far as the scale
    goes. If any stored or shown norm figure moved, it would tell them apart."""
    advisors = installation(THRESHOLD)
    recompute_norms()
    before = stored()
    log_in(client, "advisor1@example.com")  # an advisor in the middle reads their report
    shown_before = client.get("/reports/2").get_data(as_text=True)
    instrument = instruments.current()
    further_out = {
        advisors[0].id: {"credibility": 1, "reliability": 1, "intimacy": 1, "self_orientation": 7},
        advisors[-1].id: {"credibility": 7, "reliability": 7, "intimacy": 7, "self_orientation": 1},
    }
    for advisor_id, extreme in further_out.items():
        round_id = db.session.execute(
            db.select(FeedbackRound.id).filter_by(advisor_id=advisor_id)).scalar_one()
        db.session.execute(db.delete(Response).where(Response.round_id == round_id))
        for _ in range(3):
            db.session.add(Response(id=uuid.uuid4(), round_id=round_id,
                                    answers=scored_answers(instrument, extreme)))
    db.session.commit()
    recompute_norms(force=True)
    assert stored() == before
    shown_after = client.get("/reports/2").get_data(as_text=True)
    assert _norm_section(shown_after) == _norm_section(shown_before)


def _norm_section(page: str) -> str:
    start = page.index('id="norm-heading"')
    section = page[start:page.index("</section>", start)]
    return section.split("computed on")[0] + section.split("</p>", 1)[1]


@pytest.mark.parametrize("value", ["19", "0", "twenty"])
def test_a_norm_threshold_below_the_floor_is_refused_at_start(value):
    with pytest.raises(RuntimeError, match="at least 20 advisors"):
        create_app({"PIB360_CONFIG": "testing", "PIB360_NORM_MIN_ADVISORS": value})


def test_the_group_report_and_the_pdf_show_the_norm(norm_app, client):
    advisors = installation(THRESHOLD)
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach", language="en")
    cohort = Cohort(coach=coach, name="Groep 2027")
    db.session.add(cohort)
    for advisor in advisors[1:4]:
        sharing.ensure_share(advisor, coach)
        db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    db.session.commit()
    recompute_norms()
    log_in(client, coach.email)
    page = client.get(f"/coach/groups/{cohort.id}/report").get_data(as_text=True)
    assert "Compared with other advisors" in page and "The group&#39;s mean" in page
    assert page.count("Percentile ") == 5  # every measure: the group sits in the middle
    pdf = client.get("/reports/2/report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Compared with other advisors" in text and "20 advisors" in text
