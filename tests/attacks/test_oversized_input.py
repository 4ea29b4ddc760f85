"""Attack: input larger than pib360, its database or Python's csv module takes.

A CSV cell over 131,072 characters made the csv reader raise (a 500), and a request body
over MAX_CONTENT_LENGTH got "something went wrong". Both now say what is wrong, in the
user's language, and store nothing. A coach and a group with long names (each allowed)
made an invitation subject longer than its column: a 500 on PostgreSQL.
"""

import io

import pytest

from pib360.extensions import db
from pib360.models import Invitation, OutboxMessage, Role
from pib360.services import cohorts
from tests.helpers import log_in, make_round, make_user, post_form


@pytest.fixture
def advisor(client):
    user = make_user()
    log_in(client)
    return user


def upload(client, feedback_round, data: bytes, **fields):
    return post_form(client, f"/rounds/{feedback_round.id}/invite",
                     {"upload": (io.BytesIO(data), "klanten.csv"), **fields},
                     content_type="multipart/form-data")


@pytest.mark.parametrize("data", [
    b"naam;email\nAnn;ann@example.com\n" + b"x" * 140_000 + b";bob@example.com\n",
    b'"' + b"x" * 140_000 + b"\n",
])
def test_a_csv_cell_too_long_to_read_is_refused_with_a_message(client, advisor, data):
    feedback_round = make_round(advisor)
    response = upload(client, feedback_round, data, addresses="jan@example.com")
    assert response.status_code == 200
    assert "kon niet als CSV worden gelezen" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Invitation)).first() is None
    assert db.session.execute(db.select(OutboxMessage)).first() is None


@pytest.mark.parametrize("language, words", [("nl", "te groot"), ("en", "too large")])
def test_a_request_too_large_says_so_in_the_users_language(client, advisor, language, words):
    advisor.language = language
    db.session.commit()
    feedback_round = make_round(advisor)
    # Posted as a form rather than a file: the test client would spool a file to disk.
    response = client.post(f"/rounds/{feedback_round.id}/invite",
                           data=b"addresses=" + b"x" * (2 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert words in response.get_data(as_text=True)
    assert db.session.execute(db.select(Invitation)).first() is None


def test_long_names_make_a_mail_subject_that_still_fits(app, mailbox):
    coach = make_user("coach@example.com", role=Role.COACH, name="C" * 120)
    cohort = cohorts.create_cohort(coach, "G" * 120)
    client = app.test_client()
    log_in(client, "coach@example.com")
    response = post_form(client, f"/coach/groups/{cohort.id}/invite",
                         {"addresses": "klaas@example.com"})
    assert response.status_code == 302
    [subject] = db.session.execute(db.select(OutboxMessage.subject)).scalars()
    assert len(subject) == 255 and subject.startswith("C" * 120) and subject.endswith("…")
