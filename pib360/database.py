"""The database: engine settings per backend, and the one transaction of a use case.

Every change to the database runs inside `transaction()` (or a service decorated with
`use_case`): it commits once at the end and rolls back on any error, so nothing is ever
half stored. Services inside it only flush. Everything else only reads.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, wraps
from typing import ParamSpec, TypeVar

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session

P = ParamSpec("P")
R = TypeVar("R")

# True while a use case's transaction is open in this context (thread or request).
_writing: ContextVar[bool] = ContextVar("pib360_writing", default=False)
# False while a transaction whose commit need not wait for the disk is open (see transaction).
_durable: ContextVar[bool] = ContextVar("pib360_durable", default=True)


def engine_options(config) -> dict:
    """Engine options for the configured database URL."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        # Let pysqlite stop managing transactions; `init_sqlite` issues BEGIN itself.
        return {"connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT"],
                                 "check_same_thread": False}}
    return {"pool_pre_ping": True}


@contextmanager
def transaction(durable: bool = True) -> Iterator[scoped_session]:
    """Run the block as one write transaction: commit at its end, roll back on any error.

    Inside another `transaction()` the block joins the outer one, so use cases compose.
    A reading transaction still open from before (a view that loaded the round) is ended
    first: what the block reads, it reads again inside the write transaction, and on SQLite
    the write transaction begins IMMEDIATE, holding the write lock only from here on.

    `durable=False` lets the commit return before the disk has it (SQLite's
    `synchronous=NORMAL` in WAL mode, PostgreSQL's `synchronous_commit=off`): a crash of
    pib360 loses nothing, a power cut or a crash of the database machine may lose the last
    such commits. Only for records that may be lost that way (the outbox's "sent").
    """
    from pib360.extensions import db

    if _writing.get():
        yield db.session
        return
    if db.session().in_transaction():
        db.session.commit()
    token, durable_token = _writing.set(True), _durable.set(durable)
    try:
        if not durable and db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _writing.reset(token)
        _durable.reset(durable_token)


def in_transaction() -> bool:
    """Whether a use case's transaction is open here."""
    return _writing.get()


def use_case(function: Callable[P, R]) -> Callable[P, R]:
    """Run a service function as one `transaction()`."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return function(*args, **kwargs)

    return run


def truncate_wal(wait_seconds: float = 5) -> bool:
    """On SQLite, copy the write-ahead log into the database file and empty it.

    The log keeps old versions of changed pages (erased addresses among them) until a
    checkpoint; this one waits up to `wait_seconds` for readers to move on. Returns whether
    the log is empty now; always True on other databases. Not inside a transaction.
    """
    from pib360.extensions import db

    if db.engine.dialect.name != "sqlite":
        return True
    if _writing.get():
        raise RuntimeError("truncate_wal() runs after the transaction, not inside it")
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    (usual,) = driver.execute("PRAGMA busy_timeout").fetchone()
    try:
        driver.execute(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
        busy, _log, _copied = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    finally:
        driver.execute(f"PRAGMA busy_timeout={usual}")
        raw.close()


def init_sqlite(app: Flask) -> None:
    """WAL mode, a busy timeout, and write transactions that take the lock up front."""
    from pib360.extensions import db

    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        return
    with app.app_context():
        engine = db.engine
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT"] * 1000)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record) -> None:
        # Take transaction control away from pysqlite, which would otherwise BEGIN
        # lazily and deferred.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, not just marked free: once a round
        # closes, its clients' addresses must not linger in the database file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # A deferred transaction that reads and then writes fails with "database is
        # locked" when another connection wrote in between, whatever the busy timeout.
        # A use case's transaction takes the write lock up front and waits for it instead;
        # reading never takes it, so a login that spends 0.2 s hashing holds up no writer.
        # The safety level can only change between transactions; FULL unless the
        # transaction asked for less (see transaction()).
        synchronous = "FULL" if _durable.get() else "NORMAL"
        if connection.info.get("synchronous") != synchronous:
            connection.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
            connection.info["synchronous"] = synchronous
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def schema_is_current() -> bool:
    """Whether the database answers and its schema is at the migrations' head."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import SQLAlchemyError

    from pib360.extensions import db

    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        return False
    return current == _migration_heads()


@cache
def _migration_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    from pib360.paths import ROOT

    return set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
