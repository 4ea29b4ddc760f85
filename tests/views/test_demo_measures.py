"""The demo data fills the norm and the instrument quality page, as `make run` shows them."""

from pib360.extensions import db
from pib360.models import FeedbackRound, User
from pib360.services import demo
from tests.helpers import log_in


def test_the_demo_shows_the_norm_in_the_report_and_figures_on_the_quality_page(app):
    demo.create_demo()
    admin, advisor = app.test_client(), app.test_client()
    log_in(admin, "admin@example.com", demo.DEMO_PASSWORD)
    quality = admin.get("/quality/").get_data(as_text=True)
    assert "Betrouwbaarheid van de schalen" in quality and "Nog geen cijfers" not in quality
    anna = db.session.execute(db.select(User).filter_by(email="advisor@example.com")).scalar_one()
    latest = db.session.execute(
        db.select(FeedbackRound).filter_by(advisor_id=anna.id, title="Demo: najaar 2026")
    ).scalar_one()
    log_in(advisor, "advisor@example.com", demo.DEMO_PASSWORD)
    report = advisor.get(f"/reports/{latest.id}").get_data(as_text=True)
    norm = report[report.index('id="norm-heading"'):]
    norm = norm[:norm.index("</section>")]
    assert f"{demo.NORM_ADVISORS + 3} adviseurs, berekend op" in norm
    assert norm.count("norm-strip") == 5 and "Percentiel" in norm
    # Beside the clients' comments, the demo advisor's own answers to the open questions.
    comments = report[report.index('id="comments-heading"'):]
    for own_answer in demo.OWN_ANSWERS.values():
        assert f"Eigen antwoord:</strong> {own_answer}" in comments
    assert "Wat vaker vragen hoe het met ons team gaat." in comments
