"""From feedback to growth in a real browser: the advisor reads the report on a phone and
makes a plan, the coach comments on a desktop, the next round closes, and its report shows
the progress on the focus point, on a desktop and on a phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from pib360.extensions import db
from pib360.models import Role
from pib360.models.types import utcnow
from pib360.services import sharing
from tests.helpers import PASSWORD, make_closed_round, make_user

pytestmark = pytest.mark.e2e

# Intimacy 3, 4, 5 in spring and 6, 6, 7 in autumn: beyond the noise (test_plans.py).
SPRING = [{"credibility": 6, "reliability": 6, "intimacy": i, "self_orientation": 2}
          for i in (3, 4, 5)]
AUTUMN = [{"credibility": 6, "reliability": 6, "intimacy": i, "self_orientation": 2}
          for i in (6, 6, 7)]


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/account/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_report_plan_comment_next_round_progress(app, live_server, browser, phone, desktop):
    advisor = make_user(name="Anna Jansen")
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach")
    spring = make_closed_round(advisor, self_scores=5, client_scores=SPRING, title="Voorjaar",
                               closed_at=utcnow() - timedelta(days=180))
    sharing.share_with_coach(advisor, coach.email)
    db.session.commit()

    # The advisor reads the report on a phone and makes a plan from it.
    log_in(phone, live_server, advisor.email)
    phone.goto(f"{live_server}/reports/{spring.id}")
    phone.get_by_role("link", name="Maak uw ontwikkelplan").click()
    expect(phone.get_by_role("heading", name="Ontwikkelplan")).to_be_visible()
    # Intimacy is the clients' weakest dimension: the first suggestion, chosen by default.
    expect(phone.get_by_label("Focuspunt", exact=True)).to_have_value("dimension:intimacy")
    phone.get_by_label("Wat u van plan bent").fill("Ik vraag elke klant wat hem bezighoudt.")
    phone.get_by_role("button", name="Focuspunt toevoegen").click()
    expect(phone.get_by_role("heading", name="Intimiteit")).to_be_visible()
    phone.get_by_label("Nieuwe actie").fill("Elk overleg beginnen met een persoonlijke vraag")
    phone.get_by_role("button", name="Actie toevoegen").click()
    phone.get_by_role("button", name="Gedaan").click()
    expect(phone.get_by_text("✓ gedaan")).to_be_visible()
    assert fits(phone), "the plan page must not scroll sideways on a phone"

    # The coach sees it on the dashboard and comments, on a desktop.
    log_in(desktop, live_server, coach.email)
    expect(desktop.get_by_text("Intimiteit").first).to_be_visible()
    desktop.get_by_role("link", name="1 van 1 actie gedaan").click()
    desktop.get_by_label("Uw opmerking", exact=True).fill("Goed gekozen. Neem een voorbeeld mee.")
    desktop.get_by_role("button", name="Opmerking opslaan").click()
    expect(desktop.get_by_text("Opmerking opgeslagen.")).to_be_visible()

    # The advisor reads the comment.
    phone.reload()
    expect(phone.get_by_text("Goed gekozen. Neem een voorbeeld mee.")).to_be_visible()

    # The next round closes; its report opens with the progress on the focus point.
    db.session.commit()  # a fresh transaction: the server wrote since this one last read
    autumn = make_closed_round(advisor, client_scores=AUTUMN, title="Najaar")
    db.session.commit()
    own_desktop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(own_desktop, live_server, advisor.email)
    for page in (own_desktop, phone):
        page.goto(f"{live_server}/reports/{autumn.id}")
        progress = page.locator("section.focus-progress")
        heading = progress.get_by_role("heading", name="Uw focuspunten van „Voorjaar”")
        expect(heading).to_be_visible()
        expect(progress.get_by_text("vooruit, meer dan de onzekerheid")).to_be_visible()
        expect(progress.get_by_text("1 van 1 actie gedaan")).to_be_visible()
    assert fits(phone)
    own_desktop.context.close()
    # The spring plan is measured now: it can no longer change.
    phone.goto(f"{live_server}/plans/{spring.id}")
    expect(phone.get_by_text("Dit plan kan niet meer veranderen")).to_be_visible()
    expect(phone.get_by_role("button", name="Actie toevoegen")).to_have_count(0)
