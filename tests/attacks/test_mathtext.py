"""Attack: a round title that matplotlib reads as mathtext.

"$\\foo$" in a round title made every later trend chart of the advisor fail (an unknown
TeX symbol), and "$x^2$" would have been drawn as a formula: a 500 for the advisor and
their coaches, for good. Every chart now draws its text as written.
"""

import pytest

from tests.helpers import log_in, make_closed_round, make_user

# mathtext and the characters TeX gives a meaning
MATHTEXT = ["$\\foo$", "$x^{2}_{i}$", "\\$ $\\frac{a}{b}", "50$ and 20$", "$$", "^_\\"]


@pytest.fixture
def advisor(client):
    user = make_user()
    log_in(client)
    return user


def test_mathtext_in_round_titles_is_drawn_as_plain_text(client, advisor):
    for title in MATHTEXT:
        make_closed_round(advisor, title=title)
    response = client.get(f"/trend/{advisor.id}/chart.svg")
    assert response.status_code == 200
    svg = response.get_data(as_text=True)
    assert all(title.replace("&", "&amp;") in svg for title in MATHTEXT if len(title) <= 14)
    assert client.get("/trend/").status_code == 200
