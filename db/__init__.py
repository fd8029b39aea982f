"""Database access: one engine factory, schema upgrades and a transactional session.

    engine = db.connect()          # DATABASE_URL, else data/live_night.db (SQLite)
    db.upgrade(engine)             # Alembic to head
    with db.session(engine) as s:  # commits on success, rolls back on error
        ...
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "live_night.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseConfigError(ValueError):
    """DATABASE_URL cannot be used; the message is for the operator, in Chinese."""


def resolve_url(url: str | None = None) -> str:
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
            engine_kw.setdefault("pool_size", int(os.environ.get("DB_POOL_SIZE", "5")))
            engine_kw.setdefault("max_overflow", int(os.environ.get("DB_MAX_OVERFLOW", "5")))
            engine = create_engine(resolved, **engine_kw)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseConfigError(
            f"环境变量 DATABASE_URL 无法使用：{_mask(resolved)}。"
            "请填写形如 sqlite:///data/live_night.db 或 "
            "postgresql+psycopg://用户@主机:5432/库名 的地址。"
        ) from exc
    return engine


def _sqlite_engine(url: str, **engine_kw) -> Engine:
    engine_kw.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    engine = create_engine(url, **engine_kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
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
