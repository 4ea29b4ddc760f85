"""texts: the explanation that goes with every report (the alt texts are in test_charts)."""

from pib360.documents.texts import explanation


def english(text: str) -> str:
    return text


def test_explanation_covers_the_equation_roles_gaps_and_anonymity(instrument):
    sections = explanation(instrument, "nl", english, min_clients=4, gap_threshold=1.5)
    headings = [section.heading for section in sections]
    assert headings == ["The trust equation", "The four roles", "How to read a gap", "Anonymity"]
    text = " ".join(p for section in sections for p in section.paragraphs)
    assert instrument.dimension_description("intimacy", "nl") in text
    assert instrument.role_description("trusted_advisor", "nl") in text
    assert "1,5 point" in text and "at least 4 clients" in text
