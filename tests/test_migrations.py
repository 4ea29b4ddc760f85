"""`flask db upgrade` builds the schema the models describe, on SQLite and PostgreSQL."""

import logging
import os
import secrets

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from pib360 import create_app
from pib360.extensions import db

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=DATABASES)
def empty_database(request, tmp_path):
    """The URL of a database without any tables: a new SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"pib360_migrations_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def app(empty_database):
    """An app on the empty database (Alembic's logging set-up undone afterwards)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    root.handlers[:], root.level = handlers, level


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def differences() -> list:
    """What autogenerate would put in a new migration: nothing, if the two agree."""
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrade_builds_the_schema_of_the_models(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert {table.name for table in db.metadata.sorted_tables} | {"alembic_version"} == tables()
    assert differences() == []


def test_a_model_change_without_migration_is_noticed(app):
    flask_migrate.upgrade()
    with db.engine.begin() as connection:  # as if a model gained a column nobody migrated
        connection.execute(text('ALTER TABLE "user" DROP COLUMN language'))
    assert [d[0] for d in differences()] == ["add_column"]


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert tables() == {"alembic_version"}
    flask_migrate.upgrade()
    assert differences() == []


def test_migrations_do_not_silence_the_apps_loggers(app):
    logger = logging.getLogger("pib360.test")
    flask_migrate.upgrade()
    assert not logger.disabled and not app.logger.disabled


def test_upgrading_a_sqlite_database_that_holds_rounds_keeps_them(tmp_path):
    """Later migrations rebuild tables (SQLite has no ALTER COLUMN) that other tables point
    at: with data in them, foreign keys must not stop the upgrade or break."""
    import sqlite3

    from flask_migrate import upgrade

    path = tmp_path / "old.sqlite"
    app = create_app({"PIB360_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(revision="20f63c71392f")  # users, outbox, rounds, invitations, responses
        with sqlite3.connect(path) as raw:
            raw.execute("INSERT INTO user VALUES (1, 'a@example.com', 'A', 'x', 'advisor', 'nl', "
                        "1, 1, '2026-01-01 00:00:00')")
            raw.execute("INSERT INTO feedback_round VALUES (1, 1, 'R', 'nl', 'pib360', '1.0', 3, "
                        "NULL, NULL, 0, 0, 'closed', '{}', 1, '2026-01-01 00:00:00', NULL, NULL)")
            raw.execute("INSERT INTO response VALUES (X'00112233445566778899aabbccddeeff', 1, "
                        "'{\"cr1\": 5}')")
        upgrade()
        db.engine.dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT title, deadline_notice_sent FROM feedback_round").fetchall() \
            == [("R", 0)]
        assert raw.execute("SELECT count(*) FROM response").fetchone() == (1,)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
