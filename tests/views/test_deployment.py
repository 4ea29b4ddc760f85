"""Behind a reverse proxy over HTTPS: addresses, forms and session lifetime."""

import pytest

from pib360.extensions import db
from tests.helpers import PASSWORD, csrf_token, log_in, make_user, post_form


@pytest.fixture
def proxied(app, client):
    """A second app, as deployed behind one reverse proxy, on the same database."""
    from pib360 import create_app

    proxied = create_app({**app.config, "PIB360_CONFIG": "testing", "PROXY_HOPS": 1})
    proxied.test_client_class = type(client)
    yield proxied
    with proxied.app_context():
        db.engine.dispose()  # its own connection pool: close it, not leave it to the GC


def test_behind_a_proxy_failed_logins_count_per_client_address(proxied):
    make_user()
    browser = proxied.test_client()
    for _ in range(5):  # five failures from one client address
        post_form(browser, "/account/login", {"email": "anna@example.com",
                                               "password": "wrong password!"},
                  environ_base={"REMOTE_ADDR": "10.0.0.1"},
                  headers={"X-Forwarded-For": "203.0.113.7"})
    other = proxied.test_client()
    token = csrf_token(other, "/account/login")
    response = other.post("/account/login",
                          data={"csrf_token": token, "email": "bram@example.com",
                                "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"},
                          headers={"X-Forwarded-For": "198.51.100.2"})
    # Another client behind the same proxy is not throttled (wrong password, not 429).
    assert response.status_code == 200
    assert "Te veel mislukte pogingen" not in response.get_data(as_text=True)


def test_forms_work_over_https_without_a_referer(app, client):
    make_user()
    token = csrf_token(client, "/account/login")
    response = client.post("/account/login", base_url="https://localhost",
                           data={"csrf_token": token, "email": "anna@example.com",
                                 "password": PASSWORD})
    assert response.status_code == 302  # Referrer-Policy: no-referrer sends none


def test_a_login_session_expires(app, client):
    make_user()
    log_in(client)
    cookie = client.get_cookie("session")
    assert cookie.expires is not None  # a lifetime, not "until the browser closes"


def test_changing_the_password_keeps_remember_me(app, client):
    make_user()
    log_in(client, remember=True)
    new = "a much longer new password"
    post_form(client, "/account/password", {"current": PASSWORD, "password": new,
                                            "confirm": new})
    remember = client.get_cookie("remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert "Anna Jansen" in fresh.get("/account/profile").get_data(as_text=True)
