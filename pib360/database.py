"""Database engine settings: SQLite for one machine, PostgreSQL for production."""

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import make_url


def engine_options(config) -> dict:
    """Engine options for the configured database URL."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        # Let pysqlite stop managing transactions; `init_sqlite` issues BEGIN itself.
        return {"connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT"],
                                 "check_same_thread": False}}
    return {"pool_pre_ping": True}


def init_sqlite(app: Flask) -> None:
    """WAL mode, a busy timeout, and write-ready transactions on SQLite."""
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
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN" if _read_only_request() else "BEGIN IMMEDIATE")


def _read_only_request() -> bool:
    """Whether this transaction belongs to a request that only reads.

    A deferred transaction that reads and then writes fails with "database is locked"
    when another worker wrote in between, whatever the busy timeout; BEGIN IMMEDIATE takes
    the write lock up front and waits for it instead. So every transaction that may write
    (form posts, the command line, mail delivery) begins IMMEDIATE, and GET requests,
    which do not change state, begin deferred and so never hold up a writer.
    """
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")


