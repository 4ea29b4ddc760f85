"""Fixtures for the domain tests: the instruments, and answer frames written by hand."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from pib360.domain.instrument import Instrument
from pib360.domain.instrument_file import load_instrument
from tests.domain.support import MINI_PATH, SCENARIO, make_answers


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    """The default instrument shipped with pib360."""
    return load_instrument()


@pytest.fixture(scope="session")
def mini() -> Instrument:
    """The tiny test instrument of data/mini.toml."""
    return load_instrument(MINI_PATH)


@pytest.fixture(scope="session")
def answers() -> Callable[..., pd.DataFrame]:
    """make_answers, for tests that build their own frames."""
    return make_answers


@pytest.fixture
def scenario() -> pd.DataFrame:
    """The worked example: a self-assessment and three clients on the mini instrument."""
    return make_answers(SCENARIO)
