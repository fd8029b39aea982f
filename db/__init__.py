"""Database access: one engine factory, schema upgrades and a transactional session.

    engine = db.connect()          # DATABASE_URL, else data/live_night.db (SQLite)
    db.upgrade(engine)             # Alembic to head
    with db.session(engine) as s:  # commits on success, rolls back on error
        ...
"""
from __future__ import annotations

import os
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
log = logging.getLogger("live_night.db")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "live_night.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# How long one SQLite statement waits for another writer's lock. Well below the retry
# budgets (db.transaction 30 s, the UI's act 15 s): a lock still held after this raises
# "database is locked", which is transient, so the unit of work is retried (and the UI says
# 正在等待其他写入) instead of the first wait eating the whole budget.
SQLITE_BUSY_S = 3


class DatabaseConfigError(ValueError):
    """DATABASE_URL cannot be used; the message is for the operator, in Chinese."""


def resolve_url(url: str | None = None) -> str:
    """The URL given, else DATABASE_URL, else a SQLite file under data/.

    db sits below services and must not import services.config, so this one key is read
    here too, for callers that reach db directly (Alembic's env.py, tests, benchmarks); the
    app and the tools go through services.store, which reads it via services.config."""
    if url:
        return url
    env = os.environ.get("DATABASE_URL", "").strip()
    if env:
        return env
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def connect(url: str | None = None, **engine_kw) -> Engine:
    """An engine for the URL, else DATABASE_URL, else a SQLite file under data/."""
    resolved = resolve_url(url)
    try:
        if resolved.startswith("sqlite"):
            engine = _sqlite_engine(resolved, **engine_kw)
        else:
            engine_kw.setdefault("pool_pre_ping", True)
            engine = create_engine(resolved, **engine_kw)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseConfigError(
            f"环境变量 DATABASE_URL 无法使用：{_mask(resolved)}。"
            "请填写形如 sqlite:///data/live_night.db 或 "
            "postgresql+psycopg://用户@主机:5432/库名 的地址。"
        ) from exc
    return engine


def _sqlite_engine(url: str, **engine_kw) -> Engine:
    engine_kw.setdefault("connect_args", {"timeout": SQLITE_BUSY_S, "check_same_thread": False})
    engine = create_engine(url, **engine_kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_S * 1000}")
        if ":memory:" not in url:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def _mask(url: str) -> str:
    """Hide a password in a URL before it is shown to anyone."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Alembic to head (or to the given revision)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


_factories: dict[int, sessionmaker] = {}


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    factory = _factories.get(id(engine))
    if factory is None:
        factory = _factories[id(engine)] = sessionmaker(engine, expire_on_commit=False)
    s: Session = factory()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        s.close()


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except DBAPIError:
        return False
    return True


# SQLSTATEs worth a retry besides a lost connection: serialization failure, deadlock.
_RETRY_SQLSTATES = {"40001", "40P01"}


# Errors that look like a lost connection to the driver but are bugs in the statement: a retry
# fails the same way (SQLite's "too many SQL variables", psycopg's parameter-count limit, a missing
# table or column, a syntax error). Never retried, so they surface at once instead of after a budget.
_NEVER_TRANSIENT = (
    "too many sql variables",
    "number of parameters must be between",
    "too many parameters",
    "no such table",
    "no such column",
    "syntax error",
    "too many terms in compound select",
    "expression tree is too large",
    "string or blob too big",
)
# SQLite OperationalErrors that do go away: another writer holds the lock, the file is busy.
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "busy", "disk i/o error", "unable to open")


def is_transient(exc: BaseException) -> bool:
    """A lost connection, a server restart, a lock or serialization conflict: worth retrying.
    A statement the database can never run (too many parameters, …) is not, whatever its class."""
    if not isinstance(exc, DBAPIError):
        return False
    message = str(exc.orig or exc).lower()
    if any(m in message for m in _NEVER_TRANSIENT):
        return False
    if exc.connection_invalidated:
        return True
    if getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    if not isinstance(exc, OperationalError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        return any(m in message for m in _SQLITE_TRANSIENT)
    return True


def is_lock_wait(exc: BaseException) -> bool:
    """Another writer holds the lock (SQLite busy, PostgreSQL lock timeout): not an outage."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text or (
        getattr(getattr(exc, "orig", None), "sqlstate", None) in {"55P03", "40P01", "40001"})


def transaction(
    engine: Engine,
    fn: Callable[[Session], T],
    budget_s: float = 30.0,
    on_retry: Callable[[BaseException, int], None] | None = None,
) -> T:
    """Run fn in one unit of work, retrying the whole unit on transient database errors
    for up to budget_s seconds. fn must be idempotent (natural or idempotency keys),
    because a commit whose answer was lost is retried too."""
    deadline = time.monotonic() + budget_s
    delay, attempt = 0.2, 0
    while True:
        attempt += 1
        try:
            with session(engine) as s:
                return fn(s)
        except DBAPIError as exc:
            if not is_transient(exc) or time.monotonic() + delay > deadline:
                raise
            log.warning("transient database error (attempt %d), retrying: %s", attempt, exc.orig)
            if on_retry:
                on_retry(exc, attempt)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
