"""Attack: numbers the database or `int()` cannot take, in a URL, a query or an answer.

An id of 2**63 in a URL overflowed SQLite's integer (and 2**31 PostgreSQL's) in the query
that looks it up: a 500 instead of a 404. A `?page=` that large overflowed the OFFSET.
`str.isdigit()` accepts "²" and "٣", and `int()` refuses the first, takes the second as 3
and refuses 5,000 digits: a scale answer must be ASCII digits, or the usual message.
"""

import re

import pytest

from pib360.extensions import db
from pib360.models import Invitation, Role, User
from pib360.services import instruments
from tests.helpers import csrf_token, log_in, make_invitation, make_round, make_user, post_form

# Beyond a 64-bit integer (SQLite), and beyond PostgreSQL's 32-bit integer column.
HUGE = [2**63, 2**64 + 7, 2**31, 10**30]
NOT_ASCII_DIGITS = ["²", "٣", "３", "৫", "1" * 5000, "0" * 5000 + "3"]


def int_routes(app) -> list[tuple[str, str]]:
    """(method, rule) of every route with an <int:...> part."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule:
            routes += [(method, rule.rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def url(rule: str, number: int) -> str:
    """The rule with `number` for every integer and something plausible for the rest."""
    path = re.sub(r"<int:\w+>", str(number), rule)
    path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", path)
    return re.sub(r"<[^>]+>", "x", path)


@pytest.fixture
def visitors(app):
    """A logged-in client per role, each with the CSRF token of its session."""
    clients = {}
    for role in Role:
        make_user(f"{role.value}@example.com", role=role, name=role.value)
        client = app.test_client()
        log_in(client, f"{role.value}@example.com")
        clients[role] = (client, csrf_token(client, "/account/profile"))
    return clients


def test_every_integer_route_answers_404_for_an_id_beyond_the_database(app, visitors):
    routes = int_routes(app)
    assert len(routes) > 15
    failures = []
    for method, rule in routes:
        for number in HUGE:
            for role, (client, token) in visitors.items():
                response = client.open(url(rule, number), method=method,
                                       data={"csrf_token": token} if method == "POST" else None)
                if response.status_code != 404:
                    failures.append((method, url(rule, number), role.value, response.status_code))
    assert failures == []


@pytest.mark.parametrize("page", [str(2**63), str(2**31), "99999999999999999999999", "-1", "x",
                                  "٣", "1" * 5000])
def test_a_page_number_beyond_any_page_is_not_found(visitors, page):
    client, token = visitors[Role.ADMIN]
    assert client.get(f"/admin/users?page={page}").status_code == 404
    anna = db.session.execute(db.select(User).filter_by(role=Role.ADVISOR)).scalar_one()
    response = client.post(f"/admin/users/{anna.id}/role?page={page}",
                           data={"csrf_token": token, "role": "coach"})
    assert response.status_code == 404
    db.session.refresh(anna)
    assert anna.role is Role.ADVISOR  # refused before anything changed


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_a_self_assessment_answer_in_other_digits_gets_the_scale_message(client, value):
    advisor = make_user()
    log_in(client)
    feedback_round = make_round(advisor, status="draft", self_value=None)
    item = instruments.for_round(feedback_round).scale_items[0]
    response = post_form(client, f"/rounds/{feedback_round.id}/self/1", {f"q-{item.id}": value})
    assert response.status_code == 200
    assert "Kies een waarde van 1 tot 7" in response.get_data(as_text=True)
    db.session.refresh(feedback_round)
    assert feedback_round.self_answers == {}


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_a_survey_answer_in_other_digits_gets_the_scale_message(client, value):
    feedback_round = make_round(make_user())
    invitation, token = make_invitation(feedback_round)
    item = instruments.for_round(feedback_round).scale_items[0]
    client.get(f"/s/{token}")
    response = post_form(client, "/survey/1", {f"q-{item.id}": value, "go": "next"})
    assert response.status_code == 200
    assert "Kies een waarde van 1 tot 7" in response.get_data(as_text=True)
    assert db.session.get(Invitation, invitation.id).draft is None
