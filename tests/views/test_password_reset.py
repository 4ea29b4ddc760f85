"""Forgot password: an e-mailed link that works once, for a limited time."""

import re
import time
from datetime import timedelta

from itsdangerous import TimestampSigner

from pib360.extensions import db
from pib360.models import MailStatus, OutboxMessage, User
from tests.helpers import PASSWORD, log_in, make_user, post_form

NEW_PASSWORD = "a brand new passphrase"
SENT = ("Als er een account bestaat voor {}, hebben we daar een link naartoe gestuurd om een "
        "nieuw wachtwoord te kiezen.")
USED_OR_EXPIRED = "Deze link is verlopen of al gebruikt. Vraag hieronder een nieuwe aan."


def ask_for_link(client, email="anna@example.com"):
    """Submit the forgot-password form and read the page it leads to."""
    return post_form(client, "/account/forgot-password", {"email": email}, follow_redirects=True)


def reset_link(mailbox, email="anna@example.com") -> str:
    [message] = mailbox.to(email)
    [link] = mailbox.links(message)
    return link.removeprefix("http://localhost")


def choose_password(client, path, password=NEW_PASSWORD):
    return post_form(client, path, {"password": password, "confirm": password},
                     follow_redirects=True)


def password_works(password) -> bool:
    db.session.expire_all()
    return db.session.execute(db.select(User)).scalar_one().check_password(password)


def test_reset_link_by_mail_sets_a_new_password_once(client, mailbox):
    make_user()
    page = ask_for_link(client, email="Anna@Example.com").get_data(as_text=True)
    assert SENT.format("Anna@Example.com") in page
    path = reset_link(mailbox)
    assert path.startswith("/account/reset-password/")

    assert "Kies een nieuw wachtwoord" in client.get(path).get_data(as_text=True)
    page = choose_password(client, path).get_data(as_text=True)
    assert "Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord." in page
    assert password_works(NEW_PASSWORD) and not password_works(PASSWORD)
    assert log_in(client, password=NEW_PASSWORD).status_code == 302

    again = client.get(path, follow_redirects=True)
    assert again.request.path == "/account/forgot-password"
    assert USED_OR_EXPIRED in again.get_data(as_text=True)


def test_a_used_link_cannot_set_the_password_again(client, mailbox):
    make_user()
    ask_for_link(client)
    path = reset_link(mailbox)
    form_page = client.get(path).get_data(as_text=True)
    choose_password(client, path)
    # Someone who kept the form open submits it after the link was used.
    token = form_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(path, data={"csrf_token": token, "password": "another passphrase!",
                                       "confirm": "another passphrase!"}, follow_redirects=True)
    assert USED_OR_EXPIRED in response.get_data(as_text=True)
    assert password_works(NEW_PASSWORD)


def test_an_expired_link_is_refused_with_a_clear_message(client, mailbox, monkeypatch):
    make_user()
    three_hours_ago = int(time.time() - timedelta(hours=3).total_seconds())
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: three_hours_ago)
        ask_for_link(client)
    path = reset_link(mailbox)
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/account/forgot-password"
    assert USED_OR_EXPIRED in response.get_data(as_text=True)
    response = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                         form_page="/account/forgot-password", follow_redirects=True)
    assert USED_OR_EXPIRED in response.get_data(as_text=True)
    assert password_works(PASSWORD)


def test_a_link_still_works_shortly_before_it_expires(client, mailbox, monkeypatch):
    make_user()
    almost_two_hours_ago = int(time.time() - timedelta(hours=1, minutes=55).total_seconds())
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: almost_two_hours_ago)
        ask_for_link(client)
    choose_password(client, reset_link(mailbox))
    assert password_works(NEW_PASSWORD)


def test_a_tampered_link_is_refused(client, mailbox):
    make_user()
    ask_for_link(client)
    path = reset_link(mailbox)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert USED_OR_EXPIRED in client.get(tampered, follow_redirects=True).get_data(as_text=True)
    assert "Kies een nieuw wachtwoord" in client.get(path).get_data(as_text=True)


def test_only_the_newest_step_counts_a_link_dies_when_the_password_changes(client, mailbox):
    make_user()
    ask_for_link(client)
    first = reset_link(mailbox)
    mailbox.messages.clear()
    ask_for_link(client)
    second = reset_link(mailbox)
    choose_password(client, second)
    response = client.get(first, follow_redirects=True)
    assert USED_OR_EXPIRED in response.get_data(as_text=True)


def test_the_answer_never_reveals_whether_an_address_has_an_account(client, mailbox):
    make_user()
    make_user(email="gone@example.com", active=False)
    # The pages alike but for the address (and the CSRF token, which is signed with the
    # second it was made in).
    pages = {email: re.sub(r'value="[^"]*\.[^"]*\.[^"]*"', 'value="TOKEN"',
                           ask_for_link(client, email).get_data(as_text=True))
             for email in ("anna@example.com", "nobody@example.com", "gone@example.com")}
    for email, page in pages.items():
        assert SENT.format(email) in page
        assert page.replace(email, "EMAIL") == pages["anna@example.com"].replace(
            "anna@example.com", "EMAIL")
    assert [m["To"] for m in mailbox.messages] == ["anna@example.com"]


def test_resetting_the_password_logs_out_other_devices(app, client, mailbox):
    make_user()
    laptop = app.test_client()
    log_in(laptop)
    assert laptop.get("/account/profile").status_code == 200
    ask_for_link(client)
    choose_password(client, reset_link(mailbox))
    assert laptop.get("/account/profile").status_code == 302  # to the login page


def test_mail_is_sent_in_the_users_language(client, mailbox):
    make_user(language="en")
    ask_for_link(client)
    [message] = mailbox.to("anna@example.com")
    assert message["Subject"] == "Reset your pib360 password"
    assert "expires in 2 hours" in mailbox.text(message)


def test_an_invalid_address_is_pointed_out(client, mailbox):
    response = post_form(client, "/account/forgot-password", {"email": "anna.example.com"})
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in response.get_data(as_text=True)


def test_the_reset_mail_is_made_and_sent_once_the_response_has_been_sent(client, mailbox):
    make_user()
    response = post_form(client, "/account/forgot-password", {"email": "anna@example.com"})
    assert response.status_code == 302
    # Werkzeug's test client, unlike a WSGI server, does not close the response itself.
    # Until then nothing has happened: the answer took no longer for a real account.
    assert mailbox.messages == []
    assert db.session.execute(db.select(OutboxMessage)).first() is None
    db.session.commit()  # end the read, as the request that follows would find it
    response.close()
    assert [m["To"] for m in mailbox.messages] == ["anna@example.com"]
    [sent] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert sent.status is MailStatus.SENT


def test_delivery_after_the_response_can_be_left_to_cron(app, client, mailbox):
    app.config["MAIL_DELIVER_AFTER_REQUEST"] = False
    make_user()
    ask_for_link(client)  # follows the redirect, so the first response is closed
    assert mailbox.messages == []
    result = app.test_cli_runner().invoke(args=["pib360", "deliver"])
    assert "Sent 1 message(s)" in result.output
    assert len(mailbox.to("anna@example.com")) == 1


def test_asking_for_links_is_rate_limited(client, mailbox):
    make_user()
    for _ in range(10):
        ask_for_link(client)
    response = post_form(client, "/account/forgot-password", {"email": "anna@example.com"})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)
    assert len(mailbox.messages) == 10
