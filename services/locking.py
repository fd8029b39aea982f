"""Row locks that serialise read-check-write actions across consoles and servers."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from services.errors import NotFound

M = TypeVar("M")


def lock(session: Session, model: type[M], row_id: int, missing: str | None = None) -> M | None:
    """The row, current and locked until the transaction ends. When it does not exist:
    NotFound(missing) if a message is given, else None.

    PostgreSQL: SELECT … FOR UPDATE OF the row's table (never of an eagerly joined one).
    SQLite has no row locks: a no-op UPDATE takes the database write lock first, so the
    read that follows cannot be stale.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(model).where(model.id == row_id).values(id=model.id).execution_options(synchronize_session=False)
        )
    row = session.scalars(
        select(model).where(model.id == row_id).with_for_update(of=model).execution_options(populate_existing=True)
    ).first()
    if row is None and missing is not None:
        raise NotFound(missing)
    return row


# A second submit of the same thing within this time is the same action (a double click, two tabs,
# a resent form): no-op or refusal. Later repeats are new actions (a promise said again).
TWIN_WINDOW = timedelta(seconds=5)


def near(column, at: datetime) -> ColumnElement[bool]:
    """`column` within TWIN_WINDOW of `at`: the twin test of a double submit. Run it only after
    locking the parent row (`lock`), so two submits at the same instant cannot both miss."""
    return column.between(at - TWIN_WINDOW, at + TWIN_WINDOW)
