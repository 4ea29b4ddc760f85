"""Attack: a survey cookie that outlives its invitation must never open another one.

A client keeps the survey cookie of a round that closed. Closing deleted the invitation;
on SQLite a deleted row's id used to be handed out again, so a cookie that carried the id
opened the next advisor's new invitation, with that client's draft, and could submit it.
"""

import re

from sqlalchemy import text

from pib360.extensions import db
from pib360.models import Response
from pib360.services import instruments, rounds
from tests.helpers import make_invitation, make_round, make_user, post_form


def test_a_cookie_from_a_closed_round_opens_no_other_advisors_invitation(app, client):
    anna = make_user("anna@example.com", name="Anna Jansen")
    annas_round = make_round(anna, title="Voorjaar")
    instrument = instruments.for_round(annas_round)
    first_item = instrument.scale_items[0]
    _invitation, token = make_invitation(annas_round, "piet@example.com")
    client.get(f"/s/{token}")  # the survey cookie is set
    post_form(client, "/survey/1", {f"q-{first_item.id}": "2", "go": "next"})
    rounds.close_round(annas_round)  # deletes the invitation

    bob = make_user("bob@example.com", name="Bob de Bruin")
    bobs_round = make_round(bob, title="Najaar")
    victim, _token = make_invitation(bobs_round, "karin@example.com")
    victim.draft = {first_item.id: 7}
    for number in range(3):
        make_invitation(bobs_round, f"client{number}@example.com")
    db.session.commit()

    for path in ("/survey/", "/survey/1", "/survey/5"):
        page = client.get(path)
        assert page.status_code == 410, path
        body = page.get_data(as_text=True)
        assert "niet meer beschikbaar" in body and "Bob de Bruin" not in body
    submit = client.post("/survey/5", data={"go": "submit"})
    assert submit.status_code in (400, 410)
    assert db.session.execute(db.select(Response).filter_by(round_id=bobs_round.id)).all() == []
    db.session.refresh(victim)
    assert victim.draft == {first_item.id: 7} and not victim.used


def test_sqlite_never_hands_out_a_deleted_id_again(app):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL sequences never go back
    tables = db.session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
    integer_keys = [name for name, sql in tables if re.search(r"\n\s*id INTEGER NOT NULL", sql)]
    assert integer_keys, "no tables with integer ids found"
    assert [name for name, sql in tables
            if name in integer_keys and "AUTOINCREMENT" not in sql] == []
