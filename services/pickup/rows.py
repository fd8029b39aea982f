"""Reading orders as the counter sees them: one row per valid chain entry of a show, with its
hand-over state and the perks owed to it. Only valid entries of deals that did not fail (未成团)
are handed over; cancelled and waitlisted ones never show here."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Pickup, Promise
from services import jielong, promises
from services.pickup.perks import perk_label
from services.pickup.points import pickup_group
from services.pickup.states import PickupStatus, status_label_for, status_of, status_sql, via_label_for


@dataclass(frozen=True)
class Perk:
    """A gift owed to one order by a gift promise (its fulfilment item)."""

    item_id: int
    promise_id: int
    label: str  # 送《有机生活手札》
    handed: bool


@dataclass(frozen=True)
class PickupRow:
    """One order at the counter. Reads as attributes or as row["entry_id"]."""

    entry_id: int
    deal_id: int
    product: str
    seq: int | None
    name: str
    qty: int
    spec: str
    note: str
    address: str
    phone_tail: str
    picked_qty: int
    status: PickupStatus
    version: int  # bumped by every hand-over or undo: part of a request's idempotency key
    via: str
    picked_at: datetime | None  # the last hand-over
    picked_by: str
    done_at: datetime | None  # when the whole order was handed over
    perks: tuple[Perk, ...] = field(default=())
    missing: bool = False  # gone from the latest pasted chain (withdrew?): still valid, to be checked
    over_limit: bool = False
    over_stock: bool = False

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    @property
    def group(self) -> str:
        return pickup_group(self.address, self.note)

    @property
    def place(self) -> str:
        """The card's place: the packing group, and the address as written when it says more (the
        room: two 1203s of two buildings, 到店自提 for 9-1-1203 自提), so the counter sees who it is."""
        address = " ".join((self.address or "").split())
        return f"{self.group}（{address}）" if address and address != self.group else self.group

    @property
    def remaining(self) -> int:
        return max(self.qty - self.picked_qty, 0)

    @property
    def status_label(self) -> str:
        """已提货, or 已发货 for a 快递 order (states.status_label_for)."""
        return status_label_for(self.status, self.group)

    @property
    def via_label(self) -> str:
        """到店自提 / 配送上门, or 快递发货 for a 快递 order (states.via_label_for)."""
        return via_label_for(self.via, self.group)

    @property
    def open_perks(self) -> tuple[Perk, ...]:
        return tuple(p for p in self.perks if not p.handed)

    @property
    def check_reasons(self) -> tuple[str, ...]:
        """Why the order is 待核实 (the console's flags), in the counter's words; empty when it is not."""
        return tuple(w for w, on in (("最新接龙里已没有这一单（可能已退出）", self.missing), ("超出每人限购", self.over_limit),
                                     ("超出规格限量", self.over_stock)) if on)

    @property
    def check(self) -> str:
        """Why the counter should check before handing over (the console's 待核实), or ""."""
        why = self.check_reasons
        return f"待核实：{'；'.join(why)}。交货前请先与团长核对。" if why else ""

    @property
    def seq_text(self) -> str:
        return f"{self.seq}号" if self.seq is not None else "无序号"


def base_select(show_id: int) -> Select:
    """The columns of a PickupRow for the show's valid entries (caller adds where / order)."""
    return (
        select(
            ChainEntry.id, ChainEntry.deal_id, Deal.product, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty,
            ChainEntry.spec, ChainEntry.note, ChainEntry.address, ChainEntry.phone_tail,
            Pickup.picked_qty, Pickup.version, Pickup.via, Pickup.last_at, Pickup.by_name, Pickup.done_at,
            ChainEntry.missing, ChainEntry.over_limit, ChainEntry.over_stock,
        )
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .outerjoin(Pickup, Pickup.chain_entry_id == ChainEntry.id)
        .where(
            Deal.show_id == show_id,
            ChainEntry.status == jielong.EntryStatus.VALID,
            Deal.status != jielong.DealStatus.FAILED,
        )
    )


def open_first(q: Select, keep: Sequence[int] = ()) -> Select:
    """Orders still to hand over first, then by deal and 跟团号. The ids in `keep` (the cards the
    staff already see) come before all others, in their order: a search run again after a tap
    holds the card just handed over in its old place."""
    keeping = [case({eid: i for i, eid in enumerate(keep)}, value=ChainEntry.id, else_=len(keep))] if keep else []
    return q.order_by(
        *keeping,
        status_sql(Pickup.picked_qty, ChainEntry.qty) == PickupStatus.PICKED_UP.value,
        Deal.id, ChainEntry.seq.is_(None), ChainEntry.seq, ChainEntry.id,
    )


def to_rows(session: Session, result, with_perks: bool = True) -> list[PickupRow]:
    raw = list(result)
    perks = perks_for(session, [r[0] for r in raw]) if with_perks and raw else {}
    out = []
    for (eid, deal_id, product, seq, name, qty, spec, note, address, tail,
         picked, version, via, last_at, by_name, done_at, missing, over_limit, over_stock) in raw:
        picked = int(picked or 0)
        out.append(PickupRow(
            entry_id=eid, deal_id=deal_id, product=product, seq=seq, name=name, qty=qty, spec=spec or "",
            note=note or "", address=address or "", phone_tail=tail or "", picked_qty=picked,
            status=status_of(picked, qty), version=int(version or 0), via=via or "", picked_at=last_at,
            picked_by=by_name or "", done_at=done_at, perks=tuple(perks.get(eid, ())),
            missing=bool(missing), over_limit=bool(over_limit), over_stock=bool(over_stock),
        ))
    return out


def perks_for(session: Session, entry_ids: list[int]) -> dict[int, list[Perk]]:
    """entry id → the gifts owed to it by the show's gift promises (not waived)."""
    out: dict[int, list[Perk]] = defaultdict(list)
    for start in range(0, len(entry_ids), 1000):
        chunk = entry_ids[start : start + 1000]
        q = (
            select(FulfilmentItem.chain_entry_id, FulfilmentItem.id, Promise.id, Promise.text, FulfilmentItem.done)
            .join(Promise, Promise.id == FulfilmentItem.promise_id)
            .where(
                FulfilmentItem.chain_entry_id.in_(chunk),
                FulfilmentItem.kind == "item",
                FulfilmentItem.active.is_(True),
                Promise.kind == "gift",
                Promise.status != promises.PromiseStatus.WAIVED,
            )
            .order_by(FulfilmentItem.chain_entry_id, Promise.said_at, Promise.id)
        )
        for eid, item_id, pid, text, done in session.execute(q):
            out[eid].append(Perk(item_id, pid, perk_label(text), bool(done)))
    return out


def row(session: Session, entry_id: int) -> PickupRow | None:
    """The order as the counter sees it now (None when it is not a valid entry of a live deal)."""
    show_id = session.scalar(
        select(Deal.show_id).join(ChainEntry, ChainEntry.deal_id == Deal.id).where(ChainEntry.id == entry_id)
    )
    if show_id is None:
        return None
    rows = to_rows(session, session.execute(base_select(show_id).where(ChainEntry.id == entry_id)))
    return rows[0] if rows else None
