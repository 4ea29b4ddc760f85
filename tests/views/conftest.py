"""Fixtures of the page tests: an advisor, a client logged in as that advisor, and an open
round with its instrument."""

import pytest

from pib360.services import instruments
from tests.helpers import log_in, make_round, make_user


@pytest.fixture
def advisor(app):
    """Anna Jansen, an advisor (anna@example.com)."""
    return make_user()


@pytest.fixture
def logged_in(client, advisor):
    """A test client logged in as the advisor."""
    log_in(client)
    return client


@pytest.fixture
def feedback_round(advisor):
    """An open round of the advisor's."""
    return make_round(advisor)


@pytest.fixture
def instrument(feedback_round):
    """The round's instrument."""
    return instruments.for_round(feedback_round)
