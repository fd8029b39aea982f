"""The review's pickup figures (复盘): pickup rate, late pickups, delivery promises kept on
time, and the same per pickup point / building. Counted in SQL (per distinct address, then
folded by the grouping rule); a rate whose denominator is zero is None.

- entries: valid orders of the show (deals that did not fail); picked_up: handed over in full
  (at the counter or by a delivery run), of which delivered: by a run; partial; pending.
- rate = picked_up ÷ entries.
- late: orders handed over after the promised time (a delivery promise item marked late).
- delivery items: the fulfilment items of the show's delivery promises (not waived):
  on_time (done), late, overdue (not handed over and past due), open (not yet due);
  on_time_rate = on_time ÷ (on_time + late + overdue): of the items whose time has come.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, FulfilmentItem, Pickup, Promise
from services import clock, promises, shows
from services.pickup import rows
from services.pickup.points import group_sort_key, pickup_group
from services.pickup.states import LATE, PickupStatus, Via, status_sql


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Counts:
    """Orders and how they stand (a whole show, or one pickup point)."""

    entries: int = 0
    picked_up: int = 0
    partial: int = 0
    delivered: int = 0
    late: int = 0

    @property
    def pending(self) -> int:
        return self.entries - self.picked_up - self.partial

    @property
    def rate(self) -> float | None:
        return _rate(self.picked_up, self.entries)


@dataclass
class PointStats(Counts):
    group: str = ""


@dataclass
class PickupStats(Counts):
    delivery_promises: int = 0
    delivery_promises_kept: int = 0
    items_on_time: int = 0
    items_late: int = 0
    items_overdue: int = 0
    items_open: int = 0
    points: list[PointStats] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.items_on_time, self.items_on_time + self.items_late + self.items_overdue)


def _late_entries():
    """Entry ids with a delivery promise item handed over late."""
    return (
        select(FulfilmentItem.chain_entry_id)
        .join(Promise, Promise.id == FulfilmentItem.promise_id)
        .where(Promise.kind == "delivery", Promise.status != promises.PromiseStatus.WAIVED, FulfilmentItem.active.is_(True),
               FulfilmentItem.fulfilled_via.in_([v.value for v in LATE]))
    )


def stats(session: Session, show_id: int, now: datetime | None = None) -> PickupStats:
    """The show's pickup figures; see the module doc for the rules."""
    shows.get_show(session, show_id)
    status = status_sql(Pickup.picked_qty, ChainEntry.qty)
    done = status == PickupStatus.PICKED_UP.value
    q = rows.base_select(show_id).with_only_columns(
        ChainEntry.address, ChainEntry.note, func.count(),
        func.sum(case((done, 1), else_=0)),
        func.sum(case((status == PickupStatus.PARTIAL.value, 1), else_=0)),
        func.sum(case((and_(done, Pickup.via == Via.DELIVERY.value), 1), else_=0)),
        func.sum(case((ChainEntry.id.in_(_late_entries()), 1), else_=0)),
    ).group_by(ChainEntry.address, ChainEntry.note)
    points: dict[str, PointStats] = {}
    total = PickupStats()
    for address, note, n, picked, partial, delivered, late in session.execute(q):
        g = pickup_group(address, note)
        pt = points.setdefault(g, PointStats(group=g))
        for target in (pt, total):
            target.entries += int(n)
            target.picked_up += int(picked or 0)
            target.partial += int(partial or 0)
            target.delivered += int(delivered or 0)
            target.late += int(late or 0)
    total.points = [points[g] for g in sorted(points, key=group_sort_key)]
    _delivery_items(session, show_id, now or clock.now(), total)
    return total


def _delivery_items(session: Session, show_id: int, now: datetime, out: PickupStats) -> None:
    active = FulfilmentItem.active.is_(True)
    not_done = and_(active, FulfilmentItem.done.is_(False))
    late = and_(not_done, FulfilmentItem.fulfilled_via.in_([v.value for v in LATE]))
    waiting = and_(not_done, FulfilmentItem.fulfilled_via.is_(None))
    on_time, n_late, overdue, open_ = session.execute(
        select(
            func.sum(case((and_(active, FulfilmentItem.done.is_(True)), 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((and_(waiting, FulfilmentItem.due_at < now), 1), else_=0)),
            func.sum(case((and_(waiting, or_(FulfilmentItem.due_at.is_(None), FulfilmentItem.due_at >= now)), 1), else_=0)),
        )
        .join(Promise, Promise.id == FulfilmentItem.promise_id)
        .where(Promise.show_id == show_id, Promise.kind == "delivery", Promise.status != promises.PromiseStatus.WAIVED,
               FulfilmentItem.kind == "item")
    ).one()
    out.items_on_time, out.items_late = int(on_time or 0), int(n_late or 0)
    out.items_overdue, out.items_open = int(overdue or 0), int(open_ or 0)
    kinds = defaultdict(int)
    for st, n in session.execute(
        select(Promise.status, func.count()).where(
            Promise.show_id == show_id, Promise.kind == "delivery", Promise.status != promises.PromiseStatus.WAIVED
        ).group_by(Promise.status)
    ):
        kinds[st] = int(n)
    out.delivery_promises = sum(kinds.values())
    out.delivery_promises_kept = kinds[promises.PromiseStatus.KEPT]
