"""Fixtures for the document tests: the instruments of the domain tests, shared."""

from tests.domain.conftest import instrument, mini

__all__ = ["instrument", "mini"]
