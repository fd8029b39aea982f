"""The app's door to the database: an engine built from the configuration, a read session
and the retried unit of work. The UI and the command-line tools use this module, never `db`
directly, so the configuration is read in one place (services.config) and db stays a layer
below the services.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

import db
from db import DatabaseConfigError, is_lock_wait, is_transient  # noqa: F401  (re-exported for the UI)
from services import config

T = TypeVar("T")

# What a lost or refused database raises through SQLAlchemy (the UI shows its outage notice).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, PoolTimeout)


def connect(url: str | None = None) -> Engine:
    """An engine for `url`, else DATABASE_URL, else db's SQLite default; pool sizes from
    DB_POOL_SIZE / DB_MAX_OVERFLOW (PostgreSQL only)."""
    url = url or config.get_set("DATABASE_URL")
    if url and not url.startswith("sqlite"):
        return db.connect(url, pool_size=config.get_int("DB_POOL_SIZE"), max_overflow=config.get_int("DB_MAX_OVERFLOW"))
    return db.connect(url)


def open_database(url: str | None = None) -> Engine:
    """connect() and upgrade the schema to head."""
    engine = connect(url)
    db.upgrade(engine)
    return engine


def session(engine: Engine):
    """A unit of work as a context manager: commits on success, rolls back on any error."""
    return db.session(engine)


def read(engine: Engine, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """fn(session, *args, **kw) in its own session (committed: a read may refresh caches)."""
    with db.session(engine) as s:
        return fn(s, *args, **kw)


def unit_of_work(
    engine: Engine,
    fn: Callable[[Session], T],
    budget_s: float = 30.0,
    on_retry: Callable[[BaseException, int], None] | None = None,
) -> T:
    """db.transaction: fn in one transaction, retried whole on a database blink."""
    return db.transaction(engine, fn, budget_s=budget_s, on_retry=on_retry)


def is_refused_input(exc: BaseException) -> bool:
    """The database refused a value (a NUL byte, a too-long text, a broken constraint):
    bad input, not an outage, so the UI never answers it with "数据库暂时无法连接"."""
    return isinstance(exc, (DataError, IntegrityError)) and not is_transient(exc)


def ping(engine: Engine) -> bool:
    return db.ping(engine)
