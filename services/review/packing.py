"""Packing rows (接龙明细) streamed from the database with bounded memory, for the exports.

Two passes over the show's entries of one status, both streamed (server-side cursor on
PostgreSQL, `yield_per` batches):
1. `plan` reads every entry once and keeps only what orders and sums them: per entry its
   group, deal, 跟团号 and id (four ints); per group the buyers, entries, units, amount and
   units per product; per column the widest value (column widths come from the data);
2. `rows` reads the entries again in packing order, 1,000 ids a query, and yields them one by
   one, so a writer can stream them to a file.
The packing group is services.pickup.pickup_group (the rule the pickup lists use), groups in
services.pickup.group_sort_key order. Entries without a 跟团号 (manual entries) are numbered
after the deal's last one, in the order they were added, so every row has one. A failed deal's
entries (未成团, refunded) are not packed.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal
from services.jielong import DealStatus, entry_flags_label, people_of
from services.buildings import home_building
from services.pickup import group_sort_key, pickup_group
from services.review.metrics import entry_amount, money

# 提示 last: the flags an entry carries (超出限购 / 超出规格限量 / 最新接龙中缺失), packed only after a check.
ENTRY_COLUMNS = ["取货点/楼栋", "团品", "跟团号", "下单人", "数量", "规格", "备注", "地址", "电话", "金额（元）", "提示"]
CHUNK = 1_000  # ids per query in the second pass (well under every driver's parameter limit)
BATCH = 2_000  # rows per fetch while streaming
CACHE = 20_000  # distinct (address, note) pairs whose group is remembered


@dataclass
class GroupTotal:
    names: set[tuple[str, str]] = field(default_factory=set)  # people: (name, building), as 下单人数 counts them
    entries: int = 0
    units: int = 0
    amount: Decimal = Decimal(0)
    per_product: Counter = field(default_factory=Counter)
    flagged_entries: int = 0  # 待核实 (超出限购 / 规格限量, gone from the chain): packed after a check,
    flagged_amount: Decimal = Decimal(0)  # and left out of the review's 成交额

    def add(self, name: str, qty: int, amount: Decimal | None, product: str, flagged: bool = False,
            building: str = "") -> None:
        self.names.add((name, building))
        self.entries += 1
        self.units += qty or 0
        self.amount += Decimal(amount or 0)
        self.per_product[product] += qty or 0
        if flagged:
            self.flagged_entries += 1
            self.flagged_amount += Decimal(amount or 0)

    @property
    def people(self) -> int:
        """How many people ordered (jielong.people_of per name: 王芳 5栋 and 王芳 12栋 are two)."""
        per: dict[str, set[str]] = {}
        for name, building in self.names:
            per.setdefault(name, set()).add(building)
        return sum(people_of(b) for b in per.values())

    def cells(self, label: str, products: list[str]) -> list[Any]:
        """The row of the 汇总 sheet: group, buyers, entries, units, amount, units per product."""
        head = [label, self.people, self.entries, self.units, money(self.amount)]
        return head + [self.per_product.get(p, 0) for p in products]


@dataclass
class Packing:
    order: list[tuple[int, int]]  # (group index, entry id) in packing order
    groups: list[str]  # in packing order
    totals: dict[str, GroupTotal]
    total: GroupTotal
    products: list[str]
    widths: list[int]
    numbered: dict[int, int]  # entry id → 跟团号 given to an entry that had none

    def __len__(self) -> int:
        return len(self.order)


def _query(show_id: int, status: str):
    return (
        select(
            ChainEntry.id, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec, ChainEntry.note,
            ChainEntry.address, ChainEntry.phone, entry_amount(), Deal.product, Deal.id,
            ChainEntry.over_limit, ChainEntry.over_stock, ChainEntry.missing,
        )
        .join(Deal, Deal.id == ChainEntry.deal_id)
        # a failed deal (未成团) is refunded, nothing of it is packed (as at the pickup counter)
        .where(Deal.show_id == show_id, ChainEntry.status == status, Deal.status != DealStatus.FAILED)
    )


def _width(v: Any) -> int:
    """Display width: a CJK character takes two columns (3 UTF-8 bytes → 2, ASCII 1 → 1)."""
    s = v if isinstance(v, str) else str(v)
    return (len(s.encode("utf-8")) + len(s)) // 2


def _next_numbers(session: Session, show_id: int) -> dict[int, int]:
    """deal id → the first free 跟团号 (after the deal's last one)."""
    q = select(Deal.id, func.max(ChainEntry.seq)).outerjoin(ChainEntry, ChainEntry.deal_id == Deal.id)
    return {d: (m or 0) + 1 for d, m in session.execute(q.where(Deal.show_id == show_id).group_by(Deal.id))}


def plan(session: Session, show_id: int, status: str) -> Packing:
    """Pass 1 (see the module doc)."""
    next_no = _next_numbers(session, show_id)
    products = [p for (p,) in session.execute(select(Deal.product).where(Deal.show_id == show_id).order_by(Deal.id))]
    index: dict[str, int] = {}
    totals: dict[str, GroupTotal] = {}
    keys: list[tuple[int, int, int, int]] = []
    numbered: dict[int, int] = {}
    widths = [_width(c) for c in ENTRY_COLUMNS]
    grouped: dict[tuple[str, str], str] = {}
    buildings: dict[str, str] = {}  # address → the building who_is reads in it (services.buildings)
    q = _query(show_id, status).order_by(Deal.id, ChainEntry.id).execution_options(yield_per=BATCH)
    for eid, seq, name, qty, spec, note, address, phone, amount, product, deal_id, *flags in session.execute(q):
        place = (address or "", note or "")
        group = grouped.get(place)
        if group is None:
            group = pickup_group(*place)
            if len(grouped) < CACHE:  # most addresses repeat (5栋, 东门自提): parse each once
                grouped[place] = group
        if seq is None:
            seq = numbered[eid] = next_no[deal_id]
            next_no[deal_id] += 1
        g = index.setdefault(group, len(index))
        building = buildings.get(address or "")
        if building is None:
            building = home_building(address or "")
            if len(buildings) < CACHE:
                buildings[address or ""] = building
        totals.setdefault(group, GroupTotal()).add(name, qty, amount, product, any(flags), building)
        keys.append((g, deal_id, seq, eid))
        for i, v in ((0, group), (3, name), (5, spec), (6, note), (7, address), (8, phone)):
            if v and len(v) * 2 > widths[i]:
                widths[i] = max(widths[i], _width(v))
        widths[2] = max(widths[2], len(str(seq)))
        if any(flags):
            widths[10] = max(widths[10], _width(entry_flags_label(*flags)))
    groups = sorted(index, key=group_sort_key)
    rank = {index[g]: r for r, g in enumerate(groups)}
    keys.sort(key=lambda k: (rank[k[0]], k[1], k[2], k[3]))
    order = [(rank[k[0]], k[3]) for k in keys]
    del keys
    total = GroupTotal()
    for t in totals.values():
        total.names |= t.names
        total.entries, total.units, total.amount = total.entries + t.entries, total.units + t.units, total.amount + t.amount
        total.per_product.update(t.per_product)
        total.flagged_entries, total.flagged_amount = total.flagged_entries + t.flagged_entries, total.flagged_amount + t.flagged_amount
    widths[9] = max(widths[9], len(f"{money(total.amount):.2f}"))
    return Packing(order, groups, totals, total, products, widths, numbered)


def rows(session: Session, packing: Packing) -> Iterator[tuple[int, list[Any]]]:
    """Pass 2: (group index, the row's cells in ENTRY_COLUMNS order), in packing order."""
    for start in range(0, len(packing.order), CHUNK):
        part = packing.order[start:start + CHUNK]
        ids = [eid for _, eid in part]
        q = (
            select(
                ChainEntry.id, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec,
                ChainEntry.note, ChainEntry.address, ChainEntry.phone, entry_amount(), Deal.product,
                ChainEntry.over_limit, ChainEntry.over_stock, ChainEntry.missing,
            )
            .join(Deal, Deal.id == ChainEntry.deal_id)
            .where(ChainEntry.id.in_(ids))
        )
        found = {r[0]: r for r in session.execute(q)}
        for g, eid in part:
            _, seq, name, qty, spec, note, address, phone, amount, product, *flags = found[eid]
            seq = seq if seq is not None else packing.numbered.get(eid)
            yield g, [packing.groups[g], product, seq, name, qty, spec or "", note or "", address or "",
                      phone or "", money(amount), entry_flags_label(*flags)]


def subtotal_cells(label: str, group: str, t: GroupTotal) -> list[Any]:
    """A 小计 / 合计 row of the 分拣明细 sheet."""
    return [group, "", None, f"{label}（{t.people}人，{t.entries}单）", t.units, "", "", "", "", money(t.amount), ""]
