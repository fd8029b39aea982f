"""Database set-up shared by every test layer."""
from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import db
from db.models import Base, Operator
from services import auth, clock
from services.authz import Actor
from services.errors import DomainError

IN_CI = os.environ.get("CI", "").lower() == "true"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throw-away database on the TEST_DATABASE_URL server, so parallel runs never collide."""
    base_url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base_url:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI.")
        pytest.skip("PostgreSQL tests skipped: TEST_DATABASE_URL is not set (see README, Tests).")
    admin = db.connect(base_url, isolation_level="AUTOCOMMIT", poolclass=None)
    name = f"lnc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL at TEST_DATABASE_URL cannot be reached: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: TEST_DATABASE_URL cannot be reached ({exc.orig})")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def wipe(engine: Engine) -> None:
    """Empty every table (keeping the schema), fast enough to run before each test."""
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))


def make_actor(session: Session, role: str, name: str | None = None) -> Actor:
    """An operator row with a cheap placeholder hash (tests of login create real ones)."""
    op = Operator(
        name=name or f"{role}_{uuid.uuid4().hex[:6]}",
        role=role,
        password_hash="$argon2id$placeholder",
        created_at=clock.now(),
    )
    session.add(op)
    session.flush()
    return auth.actor_of(op)


def race(engine: Engine, calls: list[Callable[[Session], object]]) -> list[object]:
    """Run each call (fn(session) → value) in its own thread and session, all at one instant (a
    double click, two tabs); a value, or the DomainError's class and text, or any other
    exception's class (what the race tests are about: nothing untyped)."""
    barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i: int, fn: Callable[[Session], object]) -> None:
        barrier.wait()
        try:
            with db.session(engine) as s:
                outcomes[i] = fn(s)
        except DomainError as exc:
            outcomes[i] = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 (reported, not raised: the test asserts on it)
            outcomes[i] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def reference_cpu_s() -> float:
    """CPU seconds of a fixed pure-Python workload (regex, f-strings, dict updates), best of five.

    CPU budgets are written as multiples of it, so a test of "this stays cheap" holds on a slow CI
    machine as on a fast laptop; a regression of several times still fails."""
    import re
    import time

    pattern = re.compile(r"(\d+)\s*份")

    def workload() -> None:
        counts: dict[str, int] = {}
        for i in range(200_000):
            key = f"k{i % 997}"
            counts[key] = counts.get(key, 0) + len(pattern.findall(f"{i} 份 王芳 {i % 7}份"))

    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        workload()
        best = min(best, time.process_time() - t0)
    return best


def demo_morning() -> datetime:
    """The latest 07:00 not after now: the demo opened the morning after its seed night, before
    the team hands anything over (services.demo follow-ups start 08:30), whatever the hour the
    tests run at. Between midnight and 07:00 that is yesterday's 07:00: today's would lie in the
    future, the whole demo night with it, and nothing would be due yet when the pages read it."""
    now = clock.now()
    morning = now.replace(hour=7, minute=0, second=0)
    return morning if morning <= now else morning - timedelta(days=1)
