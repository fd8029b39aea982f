"""Running tallies, written in the same transaction as the rows they count.

Upserts use INSERT … ON CONFLICT so that concurrent writers on PostgreSQL never collide.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import CaptureMinute, DealMinute, ShowMinute
from services.clock import minute as to_minute
from services.sql import upsert_insert


def bump_minute(session: Session, model, keys: dict, deltas: dict[str, int]) -> None:
    """Add `deltas` to the per-minute row identified by `keys`, creating it if needed."""
    stmt = upsert_insert(session, model).values(**keys, **deltas)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={k: getattr(model, k) + stmt.excluded[k] for k in deltas},
    )
    session.execute(stmt)


def bump_show_minute(session: Session, show_id: int, at: datetime, **deltas: int) -> None:
    """deltas among: comments, questions, order_intent, entries."""
    bump_minute(session, ShowMinute, {"show_id": show_id, "minute": to_minute(at)}, deltas)


def bump_deal_minute(session: Session, deal_id: int, at: datetime, entries: int, units: int) -> None:
    bump_minute(session, DealMinute, {"deal_id": deal_id, "minute": to_minute(at)}, {"entries": entries, "units": units})


def add(session: Session, model, row_id, **deltas: int) -> None:
    """UPDATE model SET col = col + delta WHERE id = row_id (no read, no lost update)."""
    session.execute(
        update(model).where(model.id == row_id).values({k: getattr(model, k) + v for k, v in deltas.items()})
    )


def captured_interactors(session: Session, show_id: int) -> int:
    """People a capture tool saw comment, like, gift, follow or order (CaptureMinute.interactors,
    kept by services.capture). Read here, in the kernel, so the funnel (live) needs no import of
    capture, which sits above it."""
    return session.scalar(
        select(func.coalesce(func.sum(CaptureMinute.interactors), 0)).where(CaptureMinute.show_id == show_id)
    ) or 0
