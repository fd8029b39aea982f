"""Promises close themselves from what happened at the counter and on delivery runs.

- A delivery promise (kind "delivery") has one fulfilment item per order with a due time.
  When the whole order is handed over (picked up, or delivered by a run) at or before the
  item's due time, the item is done (fulfilled_via pickup / delivery, done_at = the hand-over).
  Handed over later, the item stays not done and is marked late_pickup / late_delivery: it
  counts as overdue (red) on the 承诺履约 page, i.e. that part of the promise was broken.
- A gift promise (kind "gift") item is done when the gift was marked handed out at the
  counter (`hand_gifts`), whatever the time.
- Undoing a hand-over (or a gift) reverts exactly the items it closed.
- A promise still open whose active items are all done becomes kept; all settled (done or
  late) with at least one late becomes broken. An undo that unsettles a kept / broken
  promise opens it again. Waived promises are never touched.

The items and promises belong to services.promises; this module writes their columns with
plain SQL in the caller's transaction (the action's one event names the promises it closed).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from db.models import FulfilmentItem, Promise
from services import promises
from services.pickup.states import BY_HANDOVER, LATE, FulfilledVia, Via, fulfilled_label, late_via, on_time_via

DELIVERY_KIND, GIFT_KIND = "delivery", "gift"


def _items_of(kind: str, entry_ids: Iterable[int]):
    return (
        select(FulfilmentItem.id)
        .join(Promise, Promise.id == FulfilmentItem.promise_id)
        .where(
            Promise.kind == kind,
            Promise.status != promises.PromiseStatus.WAIVED,
            FulfilmentItem.kind == "item",
            FulfilmentItem.active.is_(True),
            FulfilmentItem.chain_entry_id.in_(list(entry_ids)),
        )
    )


def _promises_of(session: Session, item_ids) -> set[int]:
    return set(session.scalars(select(FulfilmentItem.promise_id).where(FulfilmentItem.id.in_(item_ids)).distinct()))


def on_handover(session: Session, entry_ids: list[int], at: datetime, via: Via, by_id: int | None) -> dict[str, list[int]]:
    """The orders were handed over in full at `at`: their delivery items are done or late."""
    open_items = _items_of(DELIVERY_KIND, entry_ids).where(FulfilmentItem.done.is_(False))
    ids = list(session.scalars(open_items))
    if not ids:
        return {}
    in_time = or_(FulfilmentItem.due_at.is_(None), FulfilmentItem.due_at >= at)
    session.execute(
        update(FulfilmentItem)
        .where(FulfilmentItem.id.in_(ids), in_time)
        .values(done=True, done_at=at, done_by=by_id, fulfilled_via=on_time_via(via).value)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(FulfilmentItem)
        .where(FulfilmentItem.id.in_(ids), ~in_time)
        .values(fulfilled_via=late_via(via).value)
        .execution_options(synchronize_session=False)
    )
    return settle(session, _promises_of(session, ids))


def on_revert(session: Session, entry_ids: list[int]) -> dict[str, list[int]]:
    """The hand-over of these orders was undone: their delivery items open again."""
    ids = list(session.scalars(
        _items_of(DELIVERY_KIND, entry_ids).where(FulfilmentItem.fulfilled_via.in_([v.value for v in BY_HANDOVER]))
    ))
    if not ids:
        return {}
    _reopen_items(session, ids)
    return settle(session, _promises_of(session, ids), reopen=True)


def gift_items(session: Session, entry_id: int) -> dict[int, bool]:
    """item id → done, for the gift items owed to this order."""
    return dict(session.execute(
        select(FulfilmentItem.id, FulfilmentItem.done).where(FulfilmentItem.id.in_(_items_of(GIFT_KIND, [entry_id])))
    ).all())


def hand_gifts(session: Session, item_ids: list[int], at: datetime, by_id: int | None) -> dict[str, list[int]]:
    """Tick these gift items as handed out at the counter."""
    if not item_ids:
        return {}
    session.execute(
        update(FulfilmentItem)
        .where(FulfilmentItem.id.in_(item_ids), FulfilmentItem.done.is_(False))
        .values(done=True, done_at=at, done_by=by_id, fulfilled_via=FulfilledVia.PICKUP.value)
        .execution_options(synchronize_session=False)
    )
    return settle(session, _promises_of(session, item_ids))


def take_back_gifts(session: Session, item_ids: list[int]) -> dict[str, list[int]]:
    """Untick gift items handed out with a hand-over that was undone (only those it ticked)."""
    ids = list(session.scalars(
        select(FulfilmentItem.id).where(
            FulfilmentItem.id.in_(item_ids), FulfilmentItem.fulfilled_via == FulfilledVia.PICKUP.value
        )
    ))
    if not ids:
        return {}
    _reopen_items(session, ids)
    return settle(session, _promises_of(session, ids), reopen=True)


def _reopen_items(session: Session, ids: list[int]) -> None:
    session.execute(
        update(FulfilmentItem)
        .where(FulfilmentItem.id.in_(ids))
        .values(done=False, done_at=None, done_by=None, fulfilled_via=None)
        .execution_options(synchronize_session=False)
    )


def settle(session: Session, promise_ids: Iterable[int], reopen: bool = False) -> dict[str, list[int]]:
    """Close (or, after an undo, reopen) the promises by their items; returns {status: [ids]}."""
    ids = sorted(set(promise_ids))
    if not ids:
        return {}
    active = FulfilmentItem.active.is_(True)
    late = and_(active, FulfilmentItem.done.is_(False), FulfilmentItem.fulfilled_via.in_([v.value for v in LATE]))
    rows = session.execute(
        select(
            Promise.id,
            Promise.status,
            func.sum(case((active, 1), else_=0)),
            func.sum(case((and_(active, FulfilmentItem.done.is_(True)), 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
        )
        .join(FulfilmentItem, FulfilmentItem.promise_id == Promise.id)
        .where(Promise.id.in_(ids))
        .group_by(Promise.id, Promise.status)
    ).all()
    changed: dict[str, list[int]] = {}
    for pid, status, total, done, n_late in rows:
        new = _new_status(status, int(total or 0), int(done or 0), int(n_late or 0), reopen)
        if new != status:
            session.execute(update(Promise).where(Promise.id == pid).values(status=new))
            changed.setdefault(new, []).append(pid)
    return changed


def _new_status(status: str, total: int, done: int, late: int, reopen: bool) -> str:
    s = promises.PromiseStatus
    settled = total > 0 and done + late == total
    if status == s.OPEN and settled:
        return s.BROKEN if late else s.KEPT
    if reopen and status in (s.KEPT, s.BROKEN) and not settled:
        return s.OPEN
    return status


def how_fulfilled(session: Session, promise_id: int, item_ids: list[int] | None = None) -> dict[int, str]:
    """item id → how it was fulfilled (自提核销 / 配送送达 / 手动勾选 / 逾期自提 …), for the 承诺履约 page;
    only the given items (the page on screen) when item_ids is given."""
    q = select(FulfilmentItem.id, FulfilmentItem.fulfilled_via, FulfilmentItem.done).where(
        FulfilmentItem.promise_id == promise_id
    )
    if item_ids is not None:
        q = q.where(FulfilmentItem.id.in_(item_ids[:1000]))
    rows = session.execute(q)
    return {i: fulfilled_label(via, done) for i, via, done in rows}


def merge(*changes: dict[str, list[int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for c in changes:
        for status, ids in c.items():
            out.setdefault(status, []).extend(ids)
    return out
