"""Portable SQL helpers shared by every capability (SQLite and PostgreSQL).

- `upsert_insert(session, model)`: the dialect's INSERT that knows ON CONFLICT.
- `chunks(items, n)`: slices for IN-lists and executemany batches (SQLite allows ~999
  parameters a statement).
- `seconds_between(session, later, earlier)` and `median(session, expr, *where)`: time
  differences and medians computed in SQL, so no table is loaded into Python for them.
- `minute_bucket(session, column)`: a timestamp truncated to its minute, for GROUP BY.
- `get_or_not_found(session, model, key, message)`: one row by primary key, or NotFound with
  the caller's Chinese message (`{key}` in it is the key; formatted only on a miss).
- `shifted(session, column, seconds)`: a timestamp moved by some seconds, comparable with a
  DateTime column (keeps an index range usable on the other side).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, String, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.errors import NotFound

T = TypeVar("T")


def get_or_not_found(session: Session, model: type[T], key: int, message: str) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFound(message.format(key=key))
    return row


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def upsert_insert(session: Session, model):
    """INSERT for `model` (a mapped class or a Table) with on_conflict_do_update/do_nothing."""
    return (postgresql.insert if is_postgresql(session) else sqlite.insert)(model)


def chunks(items: Sequence[T], n: int = 900) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def seconds_between(session: Session, later, earlier) -> ColumnElement:
    """later − earlier in seconds, as an SQL expression."""
    if is_postgresql(session):
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def median(session: Session, expr: ColumnElement, *where) -> float | None:
    """Median of an SQL expression over the rows matching `where`, portably.

    PostgreSQL has percentile_cont, SQLite does not: count the rows, then read the one or
    two middle values with ORDER BY … LIMIT/OFFSET.
    """
    n = session.scalar(select(func.count()).where(*where)) or 0
    if n == 0:
        return None
    middle = list(
        session.scalars(select(expr).where(*where).order_by(expr).offset((n - 1) // 2).limit(2 - n % 2))
    )
    return float(sum(middle)) / len(middle)


def minute_bucket(session: Session, column) -> ColumnElement:
    """The timestamp's minute (PostgreSQL: a timestamp; SQLite: 'YYYY-MM-DD HH:MM:00' text)."""
    if is_postgresql(session):
        return func.date_trunc("minute", column)
    return func.strftime("%Y-%m-%d %H:%M:00", column)


def shifted(session: Session, column, seconds: int) -> ColumnElement:
    """column + seconds as a timestamp comparable with DateTime columns (PostgreSQL: an interval
    added; SQLite: the stored text form 'YYYY-MM-DD HH:MM:SS.ffffff', to the millisecond)."""
    if is_postgresql(session):
        return column + timedelta(seconds=seconds)
    return func.strftime("%Y-%m-%d %H:%M:%f", column, f"{seconds:+d} seconds", type_=String).concat("000")
