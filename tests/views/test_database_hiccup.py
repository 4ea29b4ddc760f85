"""A database hiccup is not an error page: a lost connection is retried once, what
cannot be done answers 503 in the visitor's language with what they typed kept, and the
probes for load balancers say only "ok", "ready" or "not ready"."""

import re
import sqlite3

import pytest
from flask_migrate import stamp
from sqlalchemy import create_engine, event, text

from pib360 import create_app
from pib360.extensions import db
from pib360.models import Invitation
from pib360.services import instruments, questionnaire
from tests.helpers import csrf_token, log_in, make_invitation, make_round, make_user


def test_the_probes_say_only_whether_the_process_and_database_are_ready(app, client):
    health = client.get("/healthz")
    assert (health.status_code, health.data) == (200, b"ok\n")
    assert "Set-Cookie" not in health.headers
    # The test database was made from the models, without migrations: not ready.
    assert (client.get("/readyz").status_code, client.get("/readyz").data) == (
        503, b"not ready\n")
    db.session.commit()
    try:
        stamp(revision="head")
        ready = client.get("/readyz")
        assert (ready.status_code, ready.data) == (200, b"ready\n")
        assert "Set-Cookie" not in ready.headers
        stamp(revision="31d3fabe33ac")  # an older schema: a migration not yet applied
        assert client.get("/readyz").data == b"not ready\n"
    finally:
        with db.engine.begin() as connection:  # PostgreSQL keeps it between tests
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_readyz_is_not_ready_when_the_database_is_unreachable(tmp_path):
    app = create_app({"PIB360_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x"})
    response = app.test_client().get("/readyz")
    assert (response.status_code, response.data) == (503, b"not ready\n")


def page_one(client, token):
    """Open the survey link and return page 1's form fields, every question answered."""
    client.get(f"/s/{token}")
    instrument = instruments.current()
    [page, *_] = questionnaire.pages(instrument)
    fields = {f"q-{item.id}": "5" for item in page.items if item.kind == "scale"}
    return {"csrf_token": csrf_token(client, "/survey/1"), "go": "next", **fields}


def test_a_locked_database_keeps_what_the_client_typed(app, database_url, smtp_server):
    """SQLite stays locked longer than pib360 waits: 503, Retry-After, the page in the
    round's language with every answer in it; sent again, the answers are saved."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    impatient = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                            "MAIL_PORT": smtp_server.port, "SQLITE_BUSY_TIMEOUT": 0.2})
    invitation, token = make_invitation(make_round(make_user()))
    client = impatient.test_client()
    posted = page_one(client, token)
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        response = client.post("/survey/1", data=posted)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Probeer het zo opnieuw" in page
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert kept == posted
    again = client.post("/survey/1", data=kept)
    assert again.status_code == 303
    db.session.commit()  # a new read: the test's own transaction predates the save
    draft = db.session.get(Invitation, invitation.id).draft
    assert {f"q-{key}": str(value) for key, value in draft.items()} == {
        key: value for key, value in posted.items() if key.startswith("q-")}


def test_a_password_typed_before_the_hiccup_is_never_put_back_in_the_page(
        app, database_url, smtp_server):
    """Deleting an account while SQLite stays locked: the 503 page keeps the form's other
    fields, not the password, which is typed again."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    impatient = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                            "MAIL_PORT": smtp_server.port, "SQLITE_BUSY_TIMEOUT": 0.2})
    make_user()
    db.session.commit()
    client = impatient.test_client()
    log_in(client)
    token = csrf_token(client, "/account/data")
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        response = client.post("/account/data", data={"csrf_token": token,
                                                      "password": "Geheim wachtwoord 360"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Probeer het zo opnieuw" in page
    assert token in page  # what was posted besides comes back, to send again
    assert "Geheim wachtwoord 360" not in page


@pytest.fixture
def cut_connections(app, database_url):
    """Kill the database connection of the next request's queries (PostgreSQL), as a
    restart does: `cut(times)` cuts it before that many statements."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a connection that can be cut")
    killer = create_engine(database_url)
    remaining = {"cuts": 0}

    def before(connection, cursor, statement, parameters, context, executemany):
        if remaining["cuts"] and statement.lstrip().upper().startswith("SELECT"):
            remaining["cuts"] -= 1
            pid = connection.connection.dbapi_connection.info.backend_pid
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(db.engine, "before_cursor_execute", before)

    def cut(times: int) -> None:
        remaining["cuts"] = times

    yield cut
    event.remove(db.engine, "before_cursor_execute", before)
    killer.dispose()


def test_a_lost_connection_is_retried_once(app, client, cut_connections, caplog):
    invitation, token = make_invitation(make_round(make_user()))
    posted = page_one(client, token)
    cut_connections(1)
    response = client.post("/survey/1", data=posted)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "running it again" in caplog.text
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).draft


def test_a_database_that_stays_away_answers_503_in_the_clients_language(
        app, client, cut_connections):
    invitation, token = make_invitation(make_round(make_user(), language="en"))
    posted = page_one(client, token)
    cut_connections(2)  # the first try and the retry
    response = client.post("/survey/1", data=posted)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Try again in a moment" in page and 'lang="en"' in page
    assert dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)) == posted
