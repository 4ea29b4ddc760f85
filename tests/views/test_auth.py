"""Accounts: register, log in and out, passwords, profile, throttling."""

from pib360.extensions import db
from pib360.models import OutboxMessage, User
from pib360.services import accounts
from tests.helpers import PASSWORD, log_in, make_user, post_form


def register(client, **fields):
    data = {"name": "Bram de Vries", "email": "bram@example.com",
            "password": PASSWORD, "confirm": PASSWORD, **fields}
    return post_form(client, "/account/register", data)


def users() -> list[User]:
    return list(db.session.execute(db.select(User)).scalars())


def test_register_creates_an_advisor_and_logs_in(client):
    response = register(client, email="Bram@Example.com")
    assert response.status_code == 302
    [user] = users()
    assert (user.email, user.role.value, user.language) == ("bram@example.com", "advisor", "nl")
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert "Bram de Vries" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_register_refuses_bad_input_and_keeps_what_was_typed(client):
    response = register(client, email="not-an-address", password="short", confirm="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in page
    assert "Gebruik minstens 12 tekens" in page
    assert 'value="Bram de Vries"' in page and 'value="not-an-address"' in page
    assert 'value="short"' not in page  # passwords are never echoed
    assert users() == []


def test_register_refuses_a_duplicate_address_case_insensitively(client):
    make_user(email="bram@example.com")
    response = register(client, email="BRAM@example.com")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "kan niet worden gebruikt voor een nieuw account" in page
    assert 'value="BRAM@example.com"' in page
    assert len(users()) == 1


def test_register_can_be_switched_off(app, client):
    app.config["PIB360_ALLOW_REGISTRATION"] = False
    assert client.get("/account/register").status_code == 404
    assert "Registreren" not in client.get("/account/login").get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client):
    response = client.post("/account/register", data={
        "name": "X", "email": "x@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.get_data(as_text=True)
    assert users() == []


def test_login_and_logout(client):
    make_user()
    response = log_in(client, email="ANNA@example.com")
    assert response.status_code == 302
    assert "Anna Jansen" in client.get("/", follow_redirects=True).get_data(as_text=True)
    response = post_form(client, "/account/logout", {}, form_page="/")
    assert response.status_code == 302
    assert "Anna Jansen" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_logout_is_not_possible_with_get(client):
    make_user()
    log_in(client)
    assert client.get("/account/logout").status_code == 405
    assert "Anna Jansen" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_wrong_password_and_unknown_address_get_the_same_message(client):
    make_user()
    wrong = log_in(client, password="wrong password!").get_data(as_text=True)
    unknown = log_in(client, email="nobody@example.com").get_data(as_text=True)
    message = "Het e-mailadres of wachtwoord is niet juist."
    assert message in wrong and message in unknown
    assert 'value="nobody@example.com"' in unknown


def test_deactivated_user_cannot_log_in(client):
    make_user(active=False)
    response = log_in(client)
    assert "Het e-mailadres of wachtwoord is niet juist." in response.get_data(as_text=True)


def test_five_failures_per_account_throttle_the_sixth_attempt(client):
    make_user()
    for _ in range(5):
        assert log_in(client, password="wrong password!").status_code == 200
    response = log_in(client)  # even the right password is refused now
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)
    assert "Anna Jansen" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_throttle_also_counts_per_address_across_accounts(client):
    make_user()
    for number in range(20):  # an office behind one address has room for a few typos
        log_in(client, email=f"guess{number}@example.com", password="wrong password!")
    response = log_in(client)
    assert response.status_code == 429


def test_throttled_login_does_no_password_hashing(app, client, monkeypatch):
    make_user()
    for _ in range(5):
        log_in(client, password="wrong password!")
    calls = []
    monkeypatch.setattr(accounts, "check_password_hash", lambda stored, pw: calls.append(pw))
    assert log_in(client).status_code == 429
    assert calls == []


def test_logout_ends_every_session_including_copied_cookies(app, client):
    make_user()
    log_in(client, remember=True)
    other_device = app.test_client()
    for cookie in client._cookies.values():
        other_device.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert "Anna Jansen" in other_device.get("/", follow_redirects=True).get_data(as_text=True)
    post_form(client, "/account/logout", {}, form_page="/")
    assert "Anna Jansen" not in other_device.get("/", follow_redirects=True).get_data(as_text=True)


def test_remember_cookie_alone_logs_in_until_logout(app, client):
    make_user()
    log_in(client, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert "Anna Jansen" in fresh.get("/", follow_redirects=True).get_data(as_text=True)
    post_form(client, "/account/logout", {}, form_page="/")
    stale = app.test_client()
    stale.set_cookie("remember_token", remember.value)
    assert "Anna Jansen" not in stale.get("/", follow_redirects=True).get_data(as_text=True)


def test_change_password_keeps_this_session_and_ends_others(app, client):
    make_user()
    log_in(client)
    other = app.test_client()
    log_in(other)
    new = "a much longer new password"
    response = post_form(client, "/account/password",
                         {"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert "Anna Jansen" in client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Anna Jansen" not in other.get("/", follow_redirects=True).get_data(as_text=True)
    assert db.session.execute(db.select(User)).scalar_one().check_password(new)


def test_change_password_refuses_wrong_current_and_weak_new(client):
    make_user()
    log_in(client)
    page = post_form(client, "/account/password", {
        "current": "not my password", "password": "x" * 12, "confirm": "x" * 12,
    }).get_data(as_text=True)
    assert "Dit is niet uw huidige wachtwoord." in page
    page = post_form(client, "/account/password", {
        "current": PASSWORD, "password": "short", "confirm": "short",
    }).get_data(as_text=True)
    assert "Gebruik minstens 12 tekens" in page
    assert db.session.execute(db.select(User)).scalar_one().check_password(PASSWORD)


def test_profile_changes_name_and_language(client):
    make_user()
    log_in(client)
    response = post_form(client, "/account/profile", {"name": "Anna J.", "language": "en"},
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your profile has been saved." in page
    assert 'lang="en"' in page and "Anna J." in page


def test_pages_behind_login_redirect_anonymous_visitors(client):
    for path in ("/account/profile", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]


def test_login_next_parameter_only_goes_to_local_pages(client):
    make_user()
    data = {"email": "anna@example.com", "password": PASSWORD}
    response = post_form(client, "/account/login?next=https://evil.example/x", data,
                         form_page="/account/login")
    assert response.headers["Location"] == "/"


def test_queued_mail_is_not_stored_when_nothing_was_asked(client):
    post_form(client, "/account/forgot-password", {"email": "nobody@example.com"})
    assert db.session.execute(db.select(OutboxMessage)).first() is None
