"""Attack: control characters in a title, name, answer or address list.

PostgreSQL refuses a NUL byte in text, and XML (so XLSX) refuses most other control
characters: a round title with "\\x0b" made its XLSX fail for good, a NUL anywhere was a
500 on PostgreSQL, and a NUL in an uploaded CSV made Python's csv reader raise. Nobody
types them, so every form drops them (tabs and line breaks stay in text areas), and so do
the survey's answers and the address lists, which are parsed without WTForms.
"""

import io

import pytest
from flask_wtf import FlaskForm

from pib360.extensions import db
from pib360.forms import Form
from pib360.models import Cohort, FeedbackRound, Invitation, Role, User
from pib360.services import instruments, questionnaire
from tests.helpers import log_in, make_invitation, make_round, make_user, post_form

CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\ufffe"


@pytest.fixture
def advisor(client):
    user = make_user()
    log_in(client)
    return user


def test_control_characters_of_a_round_never_reach_the_database(client, advisor):
    response = post_form(client, "/rounds/new", {
        "title": f"Voorjaar{CONTROLS} 2027\t!", "language": "nl", "min_clients": "3",
        "message": f"Beste klant,\r\n\tgraag{CONTROLS} uw mening.",
    })
    assert response.status_code == 302
    feedback_round = db.session.execute(db.select(FeedbackRound)).scalar_one()
    assert feedback_round.title == "Voorjaar 2027 !"
    assert feedback_round.message == "Beste klant,\r\n\tgraag uw mening."


def test_a_title_of_control_characters_only_is_no_title(client, advisor):
    page = post_form(client, "/rounds/new", {"title": CONTROLS, "language": "nl",
                                             "min_clients": "3"}).get_data(as_text=True)
    assert "Geef de ronde een titel." in page
    assert db.session.execute(db.select(FeedbackRound)).first() is None


def test_control_characters_of_names_never_reach_the_database(app, client, advisor):
    post_form(client, "/account/profile", {"name": f"Anna{CONTROLS} Jansen", "language": "nl"})
    db.session.expire_all()
    assert db.session.get(User, advisor.id).name == "Anna Jansen"
    coach = make_user("coach@example.com", role=Role.COACH, name="Carel Coach")
    coaching = app.test_client()
    log_in(coaching, "coach@example.com")
    post_form(coaching, "/coach/groups/new", {"name": f"PiB{CONTROLS} 2027"})
    assert db.session.execute(db.select(Cohort.name)).scalar_one() == "PiB 2027"
    visitor = app.test_client()
    post_form(visitor, "/account/register", {
        "name": f"Bob{CONTROLS}", "email": "bob@example.com",
        "password": "correct horse battery", "confirm": "correct horse battery"})
    assert db.session.execute(
        db.select(User.name).filter_by(email="bob@example.com")).scalar_one() == "Bob"
    assert coach.name == "Carel Coach"


def test_a_survey_comment_keeps_its_lines_but_not_its_control_characters(client):
    feedback_round = make_round(make_user())
    invitation, token = make_invitation(feedback_round)
    instrument = instruments.for_round(feedback_round)
    page = questionnaire.pages(instrument)[-1]
    item = next(item for item in page.items if item.kind == "text")
    client.get(f"/s/{token}")
    response = post_form(client, f"/survey/{page.number}", {
        f"q-{item.id}": f"Goed{CONTROLS} gedaan.\r\n\tDank!", "go": "stop"})
    assert response.status_code == 200
    assert db.session.get(Invitation, invitation.id).draft == {item.id: "Goed gedaan.\r\n\tDank!"}


def test_an_advisors_self_assessment_comment_too(client, advisor):
    feedback_round = make_round(advisor, status="draft", self_value=None)
    page = questionnaire.pages(instruments.for_round(feedback_round))[-1]
    item = next(item for item in page.items if item.kind == "text")
    post_form(client, f"/rounds/{feedback_round.id}/self/{page.number}",
              {f"q-{item.id}": f"Ik{CONTROLS} luister.", "go": "stop"})
    db.session.refresh(feedback_round)
    assert feedback_round.self_answers == {item.id: "Ik luister."}


def upload(client, feedback_round, data: bytes, **fields):
    return post_form(client, f"/rounds/{feedback_round.id}/invite",
                     {"upload": (io.BytesIO(data), "klanten.csv"), **fields},
                     content_type="multipart/form-data")


def test_names_in_pasted_and_uploaded_addresses_lose_their_control_characters(client, advisor):
    feedback_round = make_round(advisor)
    post_form(client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": f"Piet{CONTROLS} Klant <piet@example.com>"})
    upload(client, feedback_round, f"naam;email\nMarie{CONTROLS};marie@example.com\n".encode())
    names = dict(db.session.execute(db.select(Invitation.email, Invitation.name)).all())
    assert names == {"piet@example.com": "Piet Klant", "marie@example.com": "Marie"}


def test_every_form_of_the_app_drops_control_characters(app):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("pib360.")}
    assert len(forms) > 10
    assert sorted(cls.__qualname__ for cls in forms if not issubclass(cls, Form)) == []
