"""Pickup lists (提货清单): the show's orders by pickup point and building, with what each person
gets (deal, spec, quantity, the perks owed to them) and where each order stands. The grouping
is services.pickup.points.pickup_group, the same rule as the packing exports."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, Pickup
from services import shows
from services.pickup import rows
from services.pickup.points import group_sort_key, pickup_group
from services.pickup.states import PickupStatus, status_sql


@dataclass(frozen=True)
class GroupList:
    """One pickup point or building and its orders."""

    group: str
    rows: tuple[rows.PickupRow, ...]

    @property
    def entries(self) -> int:
        return len(self.rows)

    @property
    def units(self) -> int:
        return sum(r.qty for r in self.rows)

    @property
    def open_entries(self) -> int:
        """Orders not handed over in full (待提货 and 部分提货): what 只看未提完 keeps."""
        return sum(r.status != PickupStatus.PICKED_UP for r in self.rows)

    @property
    def pending_entries(self) -> int:
        """未提: orders nothing of which was handed over yet (the counter's 待提货)."""
        return sum(r.status == PickupStatus.PENDING for r in self.rows)

    @property
    def partial_entries(self) -> int:
        """部分提货: orders handed over in part (4 of 6 份), as the counter's card says."""
        return sum(r.status == PickupStatus.PARTIAL for r in self.rows)

    @property
    def partial_left(self) -> int:
        """份 still owed to the orders handed over in part."""
        return sum(r.remaining for r in self.rows if r.status == PickupStatus.PARTIAL)

    @property
    def tally_text(self) -> str:
        """The group's line under its name: `6 人 8 单 24 份 · 未提 5 单 · 部分提货 1 单（还差 2 份）`.
        Night 18 and 19: an order 4 of 6 份 taken was counted 未提 like one nobody came for, while the
        counter's card said 部分提货 4/6; it is counted apart, with what is still owed."""
        text = f"{self.buyers} 人 {self.entries} 单 {self.units} 份 · 未提 {self.pending_entries} 单"
        if self.partial_entries:
            text += f" · {PickupStatus.PARTIAL.label} {self.partial_entries} 单（还差 {self.partial_left} 份）"
        return text

    @property
    def to_check(self) -> int:
        """Orders still to hand over that are 待核实 (pack them only after checking with the leader)."""
        return sum(bool(r.check_reasons) and r.status != PickupStatus.PICKED_UP for r in self.rows)

    @property
    def buyers(self) -> int:
        return len({r.name for r in self.rows})


@dataclass(frozen=True)
class GroupCount:
    group: str
    entries: int
    open_entries: int  # not yet handed over in full
    to_check: int = 0  # of those, 待核实: a delivery run leaves them for the counter


def pickup_list(session: Session, show_id: int, deal_id: int | None = None, only_open: bool = False) -> list[GroupList]:
    """The show's (or one deal's) orders grouped by pickup point / building, in packing order."""
    shows.get_show(session, show_id)
    q = rows.base_select(show_id).order_by(Deal.id, ChainEntry.seq.is_(None), ChainEntry.seq, ChainEntry.id)
    if deal_id is not None:
        q = q.where(ChainEntry.deal_id == deal_id)
    grouped: dict[str, list[rows.PickupRow]] = defaultdict(list)
    for r in rows.to_rows(session, session.execute(q)):
        if not only_open or r.status != PickupStatus.PICKED_UP:
            grouped[r.group].append(r)
    return [GroupList(g, tuple(grouped[g])) for g in sorted(grouped, key=group_sort_key)]


def group_choices(session: Session, show_id: int) -> list[GroupCount]:
    """Every pickup point / building of the show with its orders and those still open, counted
    in SQL per distinct address (then folded by the grouping rule)."""
    done = status_sql(Pickup.picked_qty, ChainEntry.qty) == PickupStatus.PICKED_UP.value
    flagged = or_(ChainEntry.missing, ChainEntry.over_limit, ChainEntry.over_stock)
    q = rows.base_select(show_id).with_only_columns(
        ChainEntry.address, ChainEntry.note, func.count(), func.sum(case((done, 0), else_=1)),
        func.sum(case((and_(flagged, ~done), 1), else_=0)),
    ).group_by(ChainEntry.address, ChainEntry.note)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for address, note, n, open_n, check_n in session.execute(q):
        t = totals[pickup_group(address, note)]
        t[0] += int(n)
        t[1] += int(open_n or 0)
        t[2] += int(check_n or 0)
    return [GroupCount(g, *totals[g]) for g in sorted(totals, key=group_sort_key)]
