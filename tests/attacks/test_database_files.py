"""Attack: the database operator pairs responses with clients from what is on disk.

After a round closes, nothing in the database files may pair a response with a client:
SQLite's write-ahead log kept the erased addresses, and replaying it commit by commit
paired each response with its client's address. While a round is open, PostgreSQL stamps
every row version with the transaction that wrote it (`xmin`): a response written in the
transaction that marked its invitation used named its client.
"""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from pib360.extensions import db
from pib360.models import InvitationLink
from pib360.services import instruments, progress
from tests.helpers import answer_survey, full_answers, log_in, make_round, make_user, post_form

CLIENTS = [f"Klant{number} <klant{number}.geheim@example.com>" for number in range(5)]


def invite_and_answer(app, client, mailbox, feedback_round, answering: int) -> list[str]:
    """Invite five clients through the page; the first `answering` answer. Their links."""
    log_in(client)
    post_form(client, f"/rounds/{feedback_round.id}/invite",
              {"addresses": "\n".join(CLIENTS)}).close()
    instrument = instruments.for_round(feedback_round)
    links = []
    for number in range(len(CLIENTS)):
        [message] = mailbox.wait_for(f"klant{number}.geheim@example.com")
        links.append(mailbox.links(message)[0])
    for number, link in enumerate(links[:answering]):
        survey = app.test_client()
        survey.get(link.replace("http://localhost", ""))
        answer_survey(survey, instrument, full_answers(instrument, 2 + number))
    return links


def test_a_closed_rounds_clients_leave_no_trace_in_the_sqlite_files(app, client, mailbox):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's files; PostgreSQL: see the xmin test below")
    feedback_round = make_round(make_user())
    links = invite_and_answer(app, client, mailbox, feedback_round, answering=4)
    secrets = [f"klant{n}.geheim@example.com".encode() for n in range(len(CLIENTS))]
    secrets += [f"Klant{n}".encode() for n in range(len(CLIENTS))]
    secrets += [link.rsplit("/", 1)[1].encode() for link in links]
    secrets += [h.encode() for h in db.session.execute(
        db.select(InvitationLink.token_hash)).scalars()]
    database = Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    on_disk = database.read_bytes() + Path(f"{database}-wal").read_bytes()
    assert any(secret in on_disk for secret in secrets)  # the attack works while open
    round_id = feedback_round.id
    post_form(client, f"/rounds/{round_id}/close", {}).close()
    db.session.remove()  # the app's connections stay open, as on a running server
    wal = Path(f"{database}-wal")
    on_disk = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert [secret for secret in secrets if secret in on_disk] == []
    assert progress.response_counts([round_id]) == {round_id: 4}  # the answers themselves are kept


def test_no_response_is_written_with_the_invitation_it_came_from(app, client, mailbox):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's row versions; SQLite: see the files test above")
    feedback_round = make_round(make_user())
    invite_and_answer(app, client, mailbox, feedback_round, answering=4)
    # For each transaction that wrote responses: how many invitations it wrote too.
    pairs = db.session.execute(text(
        "SELECT r.xmin::text, count(DISTINCT i.id) FROM response r "
        "LEFT JOIN invitation i ON i.xmin = r.xmin GROUP BY r.xmin::text")).all()
    assert pairs, "the batch of three should have moved"
    assert all(count == 0 or count >= feedback_round.min_clients for _xid, count in pairs)
