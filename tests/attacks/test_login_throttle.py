"""Attacks on the login: parallel guessing, a lock-out that outlives a reset, and an
answer whose timing tells whether an address has an account."""

import os
import statistics
import threading
import time
import urllib.error

import pytest

from tests.e2e.test_concurrency import Browser
from tests.helpers import PASSWORD, log_in, make_user, post_form

REDIS_URL = os.environ.get("TEST_REDIS_URL")
WRONG = "niet juist"
LOCKED = "Te veel mislukte pogingen"


def post_login(base_url: str, password: str) -> str:
    """One login attempt from a new visitor; the page it gets (also for a 429)."""
    browser = Browser(base_url)
    token = browser.token("/account/login")
    try:
        return browser.post("/account/login", {"csrf_token": token,
                                               "email": "anna@example.com",
                                               "password": password})
    except urllib.error.HTTPError as error:
        return error.read().decode()


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL (CI does) to test with Redis")
def test_fifty_parallel_guesses_get_at_most_five_checked(app, start_server):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    base_url = start_server(RATELIMIT_STORAGE_URI=REDIS_URL)
    make_user()
    barrier = threading.Barrier(50)
    pages: list[str] = []

    def guess(number: int) -> None:
        browser = Browser(base_url)
        token = browser.token("/account/login")
        barrier.wait()
        try:
            pages.append(browser.post("/account/login", {
                "csrf_token": token, "email": "anna@example.com",
                "password": f"wrong guess {number}"}))
        except urllib.error.HTTPError as error:
            pages.append(error.read().decode())

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(pages) == 50
    checked = sum(WRONG in page for page in pages)
    assert 1 <= checked <= 5
    assert sum(LOCKED in page for page in pages) == 50 - checked
    assert LOCKED in post_login(base_url, PASSWORD)  # the right password comes too late


def test_a_password_reset_lifts_the_lock_out(client, mailbox):
    make_user()
    for _ in range(5):
        assert WRONG in log_in(client, password="wrong password!").get_data(as_text=True)
    assert log_in(client).status_code == 429  # locked, also for the right password
    post_form(client, "/account/forgot-password", {"email": "anna@example.com"}).close()
    [link] = mailbox.links(mailbox.wait_for("anna@example.com")[0])
    path = link.removeprefix("http://localhost")
    post_form(client, path, {"password": "a new long passphrase",
                             "confirm": "a new long passphrase"}).close()
    response = log_in(client, password="a new long passphrase")
    assert response.status_code == 302  # the owner is back in at once


@pytest.mark.serial
def test_forgot_password_takes_as_long_for_an_unknown_address(app, start_server, mailbox):
    make_user()
    base_url = start_server(PASSWORD_RESET_LIMIT="1000 per hour")

    def median_time(email: str) -> float:
        times = []
        for _ in range(50):
            browser = Browser(base_url)
            token = browser.token("/account/forgot-password")
            start = time.perf_counter()
            browser.post("/account/forgot-password", {"csrf_token": token, "email": email})
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    known, unknown = median_time("anna@example.com"), median_time("nobody@example.com")
    assert mailbox.wait_for("anna@example.com", count=50, timeout=30)  # the mail did go
    # Generous: the work that differs (a mail queued and sent) happens after the response.
    assert abs(known - unknown) < 0.5 * max(known, unknown) + 0.005, (known, unknown)
