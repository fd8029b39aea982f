"""The review's pickup figures (复盘): pickup rate, late pickups, delivery promises kept on
time, and the same per pickup point / building. Counted in SQL (per distinct address, then
folded by the grouping rule); a rate whose denominator is zero is None.

- entries: valid orders of the show (deals that did not fail); picked_up: handed over in full
  (at the counter or by a delivery run), of which delivered: by a run; partial; pending.
- rate = picked_up ÷ entries.
- late (逾期提货): orders handed over after the promised time (a delivery promise item marked late).
- overdue_open (逾期未提): orders not handed over in full once the pickup deadline passed (the
  跟进 tab's deadline, followups.default_deadline: the earliest delivery promise, else 18:00 the
  day after the show); 0 before it. entries − picked_up, both counted in SQL, so the two figures
  never disagree with 已提货 / 订单.
- delivery items: the fulfilment items of the show's delivery promises (not waived):
  on_time (done), late, overdue (not handed over and past due), open (not yet due);
  on_time_rate = on_time ÷ (on_time + late + overdue): of the items whose time has come.

The per-address counts are kept in pickup_point_tally for the show's version (every write logs an
event, which bumps the version, in the same transaction): a read at an unchanged version reads one
row, not every order of the night; the first read after a change counts again and stores it (in the
reader's transaction, so a rolled-back write never leaves counts behind).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, FulfilmentItem, Pickup, PickupPointTally, Promise
from services import clock, events, promises, shows
from services.pickup import rows
from services.pickup.followups import default_deadline
from services.pickup.points import group_sort_key, pickup_group
from services.pickup.states import LATE, PickupStatus, Via, status_sql
from services.sql import upsert_insert


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
    past_deadline: bool = False  # the pickup deadline has passed (as of the read's `now`)

    @property
    def pending(self) -> int:
        return self.entries - self.picked_up - self.partial

    @property
    def overdue_open(self) -> int:
        """逾期未提: not handed over in full (partial ones included) once the deadline passed."""
        return self.entries - self.picked_up if self.past_deadline else 0

    @property
    def rate(self) -> float | None:
        return _rate(self.picked_up, self.entries)


@dataclass
class PointStats(Counts):
    group: str = ""


@dataclass
class PickupStats(Counts):
    deadline: datetime | None = None
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


def _count_points(session: Session, show_id: int) -> list[list]:
    """[[address, note, entries, picked up, partial, delivered, late]] per distinct address / note."""
    status = status_sql(Pickup.picked_qty, ChainEntry.qty)
    done = status == PickupStatus.PICKED_UP.value
    q = rows.base_select(show_id).with_only_columns(
        ChainEntry.address, ChainEntry.note, func.count(),
        func.sum(case((done, 1), else_=0)),
        func.sum(case((status == PickupStatus.PARTIAL.value, 1), else_=0)),
        func.sum(case((and_(done, Pickup.via == Via.DELIVERY.value), 1), else_=0)),
        func.sum(case((ChainEntry.id.in_(_late_entries()), 1), else_=0)),
    ).group_by(ChainEntry.address, ChainEntry.note)
    return [[a, n, int(c), int(p or 0), int(pa or 0), int(d or 0), int(lt or 0)]
            for a, n, c, p, pa, d, lt in session.execute(q)]


def _count_delivery(session: Session, show_id: int) -> list[list]:
    """[[due_at iso | None, on time, late, waiting]] of the show's delivery items (promises not
    waived), per due time: whether a waiting item is overdue is decided when read (it depends on now)."""
    active = FulfilmentItem.active.is_(True)
    not_done = and_(active, FulfilmentItem.done.is_(False))
    q = (
        select(
            FulfilmentItem.due_at,
            func.sum(case((and_(active, FulfilmentItem.done.is_(True)), 1), else_=0)),
            func.sum(case((and_(not_done, FulfilmentItem.fulfilled_via.in_([v.value for v in LATE])), 1), else_=0)),
            func.sum(case((and_(not_done, FulfilmentItem.fulfilled_via.is_(None)), 1), else_=0)),
        )
        .join(Promise, Promise.id == FulfilmentItem.promise_id)
        .where(Promise.show_id == show_id, Promise.kind == "delivery", Promise.status != promises.PromiseStatus.WAIVED,
               FulfilmentItem.kind == "item")
        .group_by(FulfilmentItem.due_at)
    )
    return [[due.isoformat() if due else None, int(t or 0), int(lt or 0), int(w or 0)] for due, t, lt, w in session.execute(q)]


def _tally(session: Session, show_id: int) -> tuple[list[list], list[list]]:
    """(per-address counts, delivery items per due time) of the show as of its version: the tally
    row while the version has not moved, else counted again and stored for this version."""
    if show_id in (session.info.get(events.CHAIN_CHANGES_KEY) or {}):
        # Chain changes whose promise items are brought along only as this transaction commits
        # (services.promises.follow_chain, which logs no event): count, keep nothing.
        return _count_points(session, show_id), _count_delivery(session, show_id)
    version = events.version(session, show_id)
    kept = session.execute(
        select(PickupPointTally.points, PickupPointTally.delivery)
        .where(PickupPointTally.show_id == show_id, PickupPointTally.version == version)
    ).first()
    if kept is not None:
        return kept[0], kept[1]
    fresh = {"version": version, "points": _count_points(session, show_id), "delivery": _count_delivery(session, show_id)}
    # Two readers at once: the later one overwrites with the same counts (PostgreSQL waits for the
    # first to commit), never an error.
    session.execute(
        upsert_insert(session, PickupPointTally)
        .values(show_id=show_id, **fresh)
        .on_conflict_do_update(index_elements=["show_id"], set_=fresh)
    )
    return fresh["points"], fresh["delivery"]


def stats(session: Session, show_id: int, now: datetime | None = None) -> PickupStats:
    """The show's pickup figures; see the module doc for the rules."""
    shows.get_show(session, show_id)
    now = now or clock.now()
    deadline = default_deadline(session, show_id)
    past = now >= deadline
    points: dict[str, PointStats] = {}
    total = PickupStats(deadline=deadline, past_deadline=past)
    counted, delivery = _tally(session, show_id)
    for address, note, n, picked, partial, delivered, late in counted:
        g = pickup_group(address, note)
        pt = points.setdefault(g, PointStats(group=g, past_deadline=past))
        for target in (pt, total):
            target.entries += n
            target.picked_up += picked
            target.partial += partial
            target.delivered += delivered
            target.late += late
    total.points = [points[g] for g in sorted(points, key=group_sort_key)]
    _delivery_items(session, show_id, now, delivery, total)
    return total


def _delivery_items(session: Session, show_id: int, now: datetime, delivery: list[list], out: PickupStats) -> None:
    for due, on_time, late, waiting in delivery:
        out.items_on_time += on_time
        out.items_late += late
        if due is not None and datetime.fromisoformat(due) < now:
            out.items_overdue += waiting
        else:
            out.items_open += waiting
    kinds = defaultdict(int)
    for st, n in session.execute(
        select(Promise.status, func.count()).where(
            Promise.show_id == show_id, Promise.kind == "delivery", Promise.status != promises.PromiseStatus.WAIVED
        ).group_by(Promise.status)
    ):
        kinds[st] = int(n)
    out.delivery_promises = sum(kinds.values())
    out.delivery_promises_kept = kinds[promises.PromiseStatus.KEPT]
