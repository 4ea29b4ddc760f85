"""texts: the explanation that goes with every report, and the report's words around
the figures (the alt texts are in test_charts)."""

import math
import re

import pytest

from pib360.documents.texts import (
    explanation,
    trust_quotient_position,
    trust_quotient_reading,
)


def english(text: str) -> str:
    return text


def test_explanation_covers_equation_roles_figures_gaps_certainty_and_anonymity(instrument):
    sections = explanation(instrument, "nl", english, min_clients=4, gap_threshold=1.5)
    headings = [section.heading for section in sections]
    assert headings == ["The trust equation", "The four roles",
                        "Your score and your clients' view", "How to read a gap", "Certainty",
                        "Anonymity"]
    text = " ".join(p for section in sections for p in section.paragraphs)
    assert "1,5 point" in text and "at least 4 clients" in text
    assert "from 0,43 to 21" in text  # the quotient's range on a 1..7 scale, in Dutch numbers
    assert "Welch" in text and "90% margin" in text


def test_the_dutch_explanation_speaks_formally(instrument):
    from pib360 import create_app

    app = create_app({"PIB360_CONFIG": "testing"})
    with app.test_request_context(), __import__("flask_babel").force_locale("nl"):
        from flask_babel import gettext

        sections = explanation(instrument, "nl", gettext)
    text = " ".join([s.heading for s in sections] + [p for s in sections for p in s.paragraphs])
    assert not re.search(r"\b(je|jij|jouw|jou|jezelf)\b", text, re.IGNORECASE)
    assert re.search(r"\buw\b", text)


@pytest.mark.parametrize("value, words", [
    (5.08, "above the balance point"), (3.0, "close to the balance point"),
    (1.2, "below the balance point"), (math.nan, "not shown")])
def test_the_clients_trust_quotient_in_words(value, words):
    assert words in trust_quotient_reading(value, "en", english)


def test_the_balance_point_lies_midway_on_the_logarithmic_scale():
    assert trust_quotient_position(3, 3 / 7, 21) == pytest.approx(0.5)
    assert trust_quotient_position(3 / 7, 3 / 7, 21) == 0
    assert trust_quotient_position(50, 3 / 7, 21) == 1  # kept on the scale
