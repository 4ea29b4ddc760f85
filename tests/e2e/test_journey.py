"""The whole journey in a real browser: an advisor invites, a client answers on a phone."""

import pytest
from playwright.sync_api import expect

from pib360.extensions import db
from pib360.models import Response
from pib360.services import instruments
from tests.helpers import PASSWORD, make_round, make_user

pytestmark = pytest.mark.e2e


def next_page(page, control) -> None:
    """Click and wait for the page it leads to: what follows reads that page, not this one."""
    here = page.url
    control.click()
    page.wait_for_url(lambda url: url != here)
    page.wait_for_load_state()


def test_advisor_invites_and_client_answers_on_a_phone(app, live_server, desktop, phone,
                                                       mailbox):
    advisor = make_user(name="Anna Jansen")
    feedback_round = make_round(advisor, title="Najaar 2027")
    instrument = instruments.for_round(feedback_round)
    # End the test's own transaction: on SQLite it would hold the write lock the server needs.
    db.session.commit()

    # The advisor logs in and invites a client.
    desktop.goto(live_server + "/account/login")
    desktop.get_by_label("E-mailadres").fill("anna@example.com")
    desktop.get_by_label("Wachtwoord").fill(PASSWORD)
    desktop.get_by_role("button", name="Inloggen").click()
    desktop.get_by_role("link", name="Najaar 2027").click()
    desktop.get_by_role("link", name="Klanten uitnodigen").click()
    desktop.get_by_label("E-mailadressen").fill("Piet Klant <piet@example.com>")
    desktop.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(desktop.get_by_text("1 uitnodiging is onderweg.")).to_be_visible()

    # The client opens the link from the delivered e-mail, on a phone.
    [message] = mailbox.wait_for("piet@example.com")
    [link] = mailbox.links(message)
    phone.goto(link)
    assert "/s/" not in phone.url
    expect(phone.get_by_role("heading", name="Feedback voor Anna Jansen")).to_be_visible()
    next_page(phone, phone.get_by_role("link", name="Beginnen"))
    scrollable = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not scrollable, "the survey must not scroll sideways on a phone"
    while True:
        for fieldset in phone.locator("fieldset.question").all():
            radios = fieldset.locator("input[type=radio]")
            if radios.count() > 4:
                fieldset.locator("label.scale-option").nth(5).click()  # 6 on the scale
            elif radios.count():
                radios.first.check()
        send = phone.get_by_role("button", name="Verstuur mijn antwoorden")
        if send.count():
            phone.get_by_label(instrument.text_items[0].text("client", "nl")).fill(
                "Blijf zo helder uitleggen.")
            send.click()
            break
        next_page(phone, phone.get_by_role("button", name="Volgende"))
    expect(phone.get_by_role("heading", name="Dank u wel")).to_be_visible()
    db.session.commit()

    # The advisor sees the count, not who.
    desktop.reload()
    expect(desktop.get_by_text("1 van 1 uitgenodigde klant heeft geantwoord.")).to_be_visible()

    # Closing turns the answers into an anonymous response.
    desktop.get_by_role("link", name="De ronde sluiten…").click()
    desktop.get_by_role("button", name="Ja, sluit de ronde").click()
    expect(desktop.get_by_text("De ronde is gesloten.", exact=False)).to_be_visible()
    db.session.commit()
    [response] = db.session.execute(db.select(Response)).scalars().all()
    assert response.answers[instrument.scale_items[0].id] == 6
    assert response.answers[instrument.text_items[0].id] == "Blijf zo helder uitleggen."
    db.session.commit()
