"""Fixtures of the page tests: an advisor, and a client logged in as that advisor."""

import pytest

from tests.helpers import log_in, make_user


@pytest.fixture
def advisor(app):
    """Anna Jansen, an advisor (anna@example.com)."""
    return make_user()


@pytest.fixture
def logged_in(client, advisor):
    """A test client logged in as the advisor."""
    log_in(client)
    return client
