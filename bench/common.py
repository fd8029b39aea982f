"""Shared helpers for benchmarks: fresh databases and medians."""
from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import mkdtemp

from sqlalchemy import Engine, text

import db

PG_URL = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def fresh_engine(kind: str) -> Iterator[Engine]:
    """An upgraded, empty database of the given kind ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        eng = db.connect(f"sqlite:///{Path(mkdtemp()) / 'bench.db'}")
        db.upgrade(eng)
        yield eng
        eng.dispose()
        return
    admin = db.connect(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"lnc_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = db.connect(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        db.upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall seconds of each of `runs` calls."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def report(name: str, value: float, unit: str, digits: int = 3) -> None:
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)
