"""The database engine and transactional sessions.

Two kinds of transaction, so that readers never wait for writers:
- `session_scope()` writes. On SQLite it starts with BEGIN IMMEDIATE, which serialises writers: the embedded default
  is then as safe against overbooking as the row locks used on PostgreSQL.
- `read_scope()` only reads. On SQLite it is a deferred transaction, which under WAL never takes the write lock, so a
  reader is never blocked by a writer and never blocks one. Flushing a change in it is a programming error.

Waiting for a lock is short (`SQLITE_BUSY_TIMEOUT_MS`), and a database that is locked for longer or unreachable
raises `DatabaseBusyError`, which the API answers with 503 and `Retry-After` and the pages with a "try again" message.
Transactions stay short: open one, do the work, leave the block; nothing awaits the event loop inside one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from peerlearn.config import get_settings

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY = "peerlearn_read_only"


class DatabaseBusyError(Exception):
    """The database was locked or out of reach for longer than we wait: the same request may well work in a moment."""

    retry_after_seconds = 2

    def __init__(self, message: str = "The service is busy right now. Please try again in a moment.") -> None:
        super().__init__(message)
        self.message = message


def create_db_engine(url: str, *, sqlite_immediate: bool = True) -> sa.Engine:
    """`sqlite_immediate=False` gives plain deferred transactions.

    Tests' own sessions use it, so their reads never block the app.
    """
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=20,
            max_overflow=20,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: sa.Connection) -> None:
            immediate = sqlite_immediate and not conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    settings = get_settings()
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_overflow,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


@lru_cache
def get_engine() -> sa.Engine:
    settings = get_settings()
    if not settings.database_url:
        settings.peerlearn_data_dir.mkdir(parents=True, exist_ok=True)
    return create_db_engine(settings.sqlalchemy_url)


@lru_cache
def get_read_engine() -> sa.Engine:
    """The same engine and pool, marked so that SQLite begins its transactions deferred."""
    return get_engine().execution_options(**{READ_ONLY: True})


def reset_engine_cache() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_read_engine.cache_clear()


def _is_retryable(error: BaseException) -> bool:
    """Locked (SQLite), or the server went away or refused us (PostgreSQL restarting, pool exhausted)."""
    if isinstance(error, sa.exc.TimeoutError):
        return True
    if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        text = str(error).lower()
        return error.connection_invalidated or any(
            word in text
            for word in (
                "database is locked",
                "connection",
                "server closed",
                "terminating",
                "shutting down",
                "starting up",
            )
        )
    return False


@contextmanager
def _scope(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException as error:
            try:
                db.rollback()
            except sa.exc.DBAPIError:  # the connection is already gone; the original error is what matters
                pass
            if _is_retryable(error):
                raise DatabaseBusyError() from error
            raise


@contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction that may write: commits on success and rolls back on any error."""
    with _scope(get_engine()) as db:
        yield db


@contextmanager
def read_scope() -> Iterator[Session]:
    """A transaction that only reads: on SQLite it never takes the write lock."""
    with _scope(get_read_engine()) as db:
        db.info[READ_ONLY] = True
        yield db


@sa.event.listens_for(OrmSession, "before_flush")
def _refuse_writes_in_read_scope(db: OrmSession, _context, _instances) -> None:
    if db.info.get(READ_ONLY) and (db.new or db.dirty or db.deleted):
        raise RuntimeError("a read_scope() transaction tried to write; use session_scope() for changes")


def is_postgres(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"
