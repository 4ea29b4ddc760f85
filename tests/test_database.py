"""The database connection: SQLite tuned for several workers, PostgreSQL that reconnects."""

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from pib360 import create_app
from pib360.database import transaction
from pib360.extensions import db
from pib360.models import OutboxMessage


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on a SQLite file, as `flask run` uses by default."""
    app = create_app({"PIB360_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pib360.sqlite'}"})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def other_connection_can_start_writing() -> bool:
    """Whether a second connection gets the SQLite write lock at once."""
    other = db.engine.raw_connection()
    try:
        other.driver_connection.execute("PRAGMA busy_timeout=0")
        try:
            other.driver_connection.execute("BEGIN IMMEDIATE")
        except Exception as error:
            assert "database is locked" in str(error)
            return False
        other.driver_connection.execute("ROLLBACK")
        return True
    finally:
        other.driver_connection.execute("PRAGMA busy_timeout=15000")
        other.close()


def test_a_use_case_takes_the_sqlite_write_lock_up_front_and_reading_never_does(sqlite_app):
    db.session.execute(text("SELECT 1"))  # a page that only reads
    assert other_connection_can_start_writing()
    with transaction():
        db.session.execute(text("SELECT 1"))
        # Another connection cannot even start writing while this use case reads.
        assert not other_connection_can_start_writing()
    assert other_connection_can_start_writing()


def test_a_use_case_stores_everything_or_nothing(sqlite_app):
    with pytest.raises(RuntimeError), transaction():
        db.session.add(OutboxMessage(recipient="x@example.com", subject="s", body_text="b"))
        db.session.flush()
        raise RuntimeError("the use case fails after its first write")
    assert db.session.execute(db.select(OutboxMessage)).all() == []
    with transaction():
        db.session.add(OutboxMessage(recipient="x@example.com", subject="s", body_text="b"))
        with transaction():  # a use case called by another joins its transaction
            db.session.add(OutboxMessage(recipient="y@example.com", subject="s", body_text="b"))
        db.session.flush()
        assert not other_connection_can_start_writing()  # still the outer transaction
    assert len(db.session.execute(db.select(OutboxMessage)).all()) == 2


def test_concurrent_read_then_write_transactions_wait_instead_of_failing(sqlite_app):
    """Two use cases each read a counter and write it back plus one: no error, no lost
    update."""
    message = OutboxMessage(recipient="x@example.com", subject="s", body_text="b")
    db.session.add(message)
    db.session.flush()
    message_id = message.id
    db.session.commit()  # and touch nothing more: this session must not hold the lock
    first_has_read = threading.Event()
    errors = []

    def increment(delay_before_write: float, wait_for: threading.Event | None):
        try:
            if wait_for is not None:
                wait_for.wait(timeout=5)
            with sqlite_app.app_context(), transaction():
                row = db.session.get(OutboxMessage, message_id)
                attempts = row.attempts
                if wait_for is None:
                    first_has_read.set()
                time.sleep(delay_before_write)
                row.attempts = attempts + 1
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    workers = [threading.Thread(target=increment, args=(0.3, None)),
               threading.Thread(target=increment, args=(0, first_has_read))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert errors == []
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).attempts == 2


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL")
def test_postgresql_replaces_a_connection_the_server_dropped():
    url = os.environ["TEST_DATABASE_URL"]
    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        try:
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            db.session.commit()  # the connection goes back to the pool
            admin = create_engine(url)
            with admin.begin() as connection:  # a database restart, as the app sees it
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
            assert db.session.execute(text("SELECT pg_backend_pid()")).scalar() != pid
        finally:
            db.session.remove()
            db.engine.dispose()
