"""Row locks that serialise read-check-write actions across consoles and servers."""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

M = TypeVar("M")


def lock(session: Session, model: type[M], row_id: int) -> M | None:
    """The row, current and locked until the transaction ends (None if it does not exist).

    PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the
    database write lock first, so the read that follows cannot be stale.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(model).where(model.id == row_id).values(id=model.id).execution_options(synchronize_session=False)
        )
    return session.scalars(
        select(model).where(model.id == row_id).with_for_update(of=model).execution_options(populate_existing=True)
    ).first()
