"""The failed-login throttle holds across gunicorn workers when its counts are in Redis."""

import os

import pytest

from tests.e2e.test_concurrency import Browser
from tests.helpers import PASSWORD, make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL (CI does) to test with Redis")
def test_five_failures_lock_the_account_on_every_worker(app, start_server):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # a database of its own, e.g. /15
    base_url = start_server(RATELIMIT_STORAGE_URI=REDIS_URL)
    make_user()

    def log_in(password: str) -> str:
        browser = Browser(base_url)  # a new visitor each time, as an attacker would be
        token = browser.token("/account/login")
        try:
            return browser.post("/account/login", {"csrf_token": token,
                                                   "email": "anna@example.com",
                                                   "password": password})
        except OSError as error:  # urllib raises on 429; its page is the answer
            return error.read().decode()

    for _ in range(5):
        assert "niet juist" in log_in("wrong password!")
    # Four workers, each with its own memory: only a shared count refuses every one.
    answers = [log_in(PASSWORD) for _ in range(12)]
    assert all("Te veel mislukte pogingen" in answer for answer in answers)
