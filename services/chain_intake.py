"""Chain intake: pastes, imports, single entries and cancellations, with stock, waitlist,
per-person limits, tallies and milestones, all in the caller's transaction.

Every writer first locks the deal row (SELECT … FOR UPDATE on PostgreSQL; on SQLite a no-op
UPDATE takes the database write lock), so stock and waitlist decisions are serialised and a
deal is never oversold, however many consoles paste at once. Entries get a natural key
(`line_key`, unique per deal): the buyer name and the occurrence of that name in the chain
(`王芳#2` is 王芳's second line), or the 跟团号 of an export. Re-pasting the same or a longer
chain, or a renumbered one, therefore updates in place and never duplicates.

Allocation rule: entries are served in order (existing ones by id, new ones in chain order);
a non-cancelled entry is valid when it still fits the stock, else waitlisted (候补). A valid
entry that takes its buyer beyond the per-person limit is flagged `over_limit`, not refused.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal, DealBuyer, Show, ShowBuyer
from services import clock, events, tallies
from services.authz import SYSTEM, Actor, require
from services.chain_parser import MAX_QTY, ChainEntry, key_name, parse_chain
from services.deals import STATUS_LABELS, get_deal, specs_of
from services.errors import InvalidInput, InvalidState, NotFound

ENTRY_STATUS_LABELS = {"valid": "有效", "cancelled": "已取消", "waitlisted": "候补"}
_FIELDS = ("seq", "buyer_name", "qty", "spec", "note", "address", "phone", "amount", "raw_line", "status", "over_limit", "missing")


# ---------------------------------------------------------------- locking


def lock_deal(session: Session, deal_id: int) -> Deal:
    """The deal row, locked until the transaction ends."""
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock before reading, so the read below is current.
        session.execute(
            update(Deal).where(Deal.id == deal_id).values(status=Deal.status).execution_options(synchronize_session=False)
        )
    deal = session.scalars(
        select(Deal).where(Deal.id == deal_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if deal is None:
        raise NotFound(f"找不到编号为 {deal_id} 的团品。")
    return deal


def _require_open(deal: Deal) -> None:
    if deal.status == "draft":
        raise InvalidState(f"「{deal.product}」的接龙还未发布，发布后才能录入接龙。")


# ---------------------------------------------------------------- keys


def make_key(name: str, occurrence: int) -> str:
    key = f"{name}#{occurrence}"
    if len(key) <= 64:
        return key
    return "h:" + hashlib.sha1(key.encode()).hexdigest()


# ---------------------------------------------------------------- plan


@dataclass
class _Work:
    id: int | None
    key: str
    seq: int | None
    buyer_name: str
    qty: int
    spec: str
    note: str
    address: str
    phone: str
    amount: Decimal | None
    raw_line: str
    status: str
    over_limit: bool
    missing: bool
    source: str
    orig: tuple | None = None

    def values(self) -> tuple:
        return tuple(getattr(self, f) for f in _FIELDS)


@dataclass
class PastePlan:
    """What a paste (or import) would change; nothing is written by preview_paste."""

    deal_id: int
    parsed: int = 0
    added: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    cancelled: list[dict] = field(default_factory=list)
    unchanged: int = 0
    ignored: list[str] = field(default_factory=list)
    waitlisted_new: int = 0
    over_limit_new: int = 0
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.missing)

    def summary(self) -> str:
        parts = [f"识别 {self.parsed} 条", f"新增 {len(self.added)} 条", f"更新 {len(self.updated)} 条"]
        if self.cancelled:
            parts.append(f"取消 {len(self.cancelled)} 条")
        if self.missing:
            parts.append(f"本次缺失 {len(self.missing)} 条（仅标记，不删除）")
        if self.waitlisted_new:
            parts.append(f"新增候补 {self.waitlisted_new} 条")
        if self.over_limit_new:
            parts.append(f"超出限购 {self.over_limit_new} 条")
        parts.append(f"未变 {self.unchanged} 条")
        return "，".join(parts) + "。"

    def rows(self, limit: int = 500) -> list[dict]:
        """Rows for a preview table (Chinese column names)."""
        out = []
        for label, items in (("新增", self.added), ("更新", self.updated), ("取消", self.cancelled), ("缺失", self.missing)):
            for it in items:
                out.append({"变化": label, **it})
        return out[:limit]


@dataclass
class PasteResult:
    deal_id: int
    added: int = 0
    updated: int = 0
    missing: int = 0
    cancelled: int = 0
    unchanged: int = 0
    waitlisted: int = 0
    over_limit: int = 0
    ignored: int = 0
    entries_valid: int = 0
    units_valid: int = 0
    entries_waitlisted: int = 0
    buyers_valid: int = 0
    milestones: list[str] = field(default_factory=list)

    def summary(self) -> str:
        s = f"新增 {self.added} 条，更新 {self.updated} 条"
        if self.cancelled:
            s += f"，取消 {self.cancelled} 条"
        if self.missing:
            s += f"，缺失 {self.missing} 条（已标记）"
        if self.waitlisted:
            s += f"，候补 {self.waitlisted} 条"
        s += f"。当前有效 {self.entries_valid} 单 / {self.units_valid} 份。"
        return s + "".join(self.milestones)


def _load(session: Session, deal_id: int) -> list[_Work]:
    c = EntryRow
    q = (
        select(c.id, c.line_key, c.seq, c.buyer_name, c.qty, c.spec, c.note, c.address, c.phone, c.amount,
               c.raw_line, c.status, c.over_limit, c.missing, c.source)
        .where(c.deal_id == deal_id)
        .order_by(c.id)
    )
    out = []
    for r in session.execute(q):
        w = _Work(r.id, r.line_key, r.seq, r.buyer_name, r.qty, r.spec, r.note, r.address, r.phone, r.amount,
                  r.raw_line, r.status, r.over_limit, r.missing, r.source)
        w.orig = w.values()
        out.append(w)
    return out


def _desc(w: _Work) -> dict:
    return {
        "序号": w.seq,
        "团员": w.buyer_name,
        "数量": w.qty,
        "规格": w.spec,
        "备注": w.note,
        "楼栋/地址": w.address,
        "状态": ENTRY_STATUS_LABELS.get(w.status, w.status),
        "超限购": "是" if w.over_limit else "",
    }


def _totals(works: list[_Work]) -> dict:
    t = {"entries_valid": 0, "units_valid": 0, "entries_waitlisted": 0, "units_waitlisted": 0}
    names = set()
    for w in works:
        if w.status == "valid":
            t["entries_valid"] += 1
            t["units_valid"] += w.qty
            names.add(w.buyer_name)
        elif w.status == "waitlisted":
            t["entries_waitlisted"] += 1
            t["units_waitlisted"] += w.qty
    t["buyers_valid"] = len(names)
    return t


def _allocate(deal: Deal, works: list[_Work]) -> None:
    used = 0
    per_name: Counter[str] = Counter()
    for w in works:
        if w.status == "cancelled":
            w.over_limit = False
            continue
        if deal.stock is None or used + w.qty <= deal.stock:
            w.status = "valid"
            used += w.qty
            per_name[w.buyer_name] += w.qty
            w.over_limit = bool(deal.per_person_limit and per_name[w.buyer_name] > deal.per_person_limit)
        else:
            w.status = "waitlisted"
            w.over_limit = False


def _plan(
    deal: Deal,
    existing: list[_Work],
    incoming: list[tuple[str | None, ChainEntry]],
    source: str,
    flag_missing: set[str] | None,
    at: datetime,
    describe: bool = True,
) -> tuple[PastePlan, list[_Work], list[_Work]]:
    """Match incoming lines to existing entries by key, then allocate stock in order.

    `describe=False` (when applying) skips the preview rows of added lines."""
    plan = PastePlan(deal_id=deal.id, parsed=len(incoming))
    plan.before = _totals(existing)
    by_key = {w.key: w for w in existing}
    last_active: dict[str, str] = {}
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    new: list[_Work] = []
    new_by_key: dict[str, _Work] = {}
    cancel_keys: list[str] = []
    for key, e in incoming:
        name = key_name(e.name)[:100]
        if not name:
            plan.ignored.append(e.raw or "(空)")
            continue
        if key is None and e.cancelled and not e.qty_explicit:
            # "13. 王芳 取消": cancels 王芳's latest line, not a line of its own.
            target = last_active.get(name)
            if target is None:
                live = [w for w in existing if w.buyer_name == name and w.status != "cancelled"]
                target = live[-1].key if live else None
            if target is None:
                plan.ignored.append(e.raw or name)
            else:
                cancel_keys.append(target)
                last_active.pop(name, None)
            continue
        if key is None:
            counts[name] += 1
            key = make_key(name, counts[name])
        if key in seen:
            plan.ignored.append(e.raw or name)
            continue
        seen.add(key)
        qty = e.qty if 1 <= e.qty <= MAX_QTY else 1
        w = by_key.get(key)
        if w is None:
            w = _Work(None, key, e.seq, name, qty, e.spec[:100], e.note[:500], e.address[:200], e.phone[:32],
                      e.amount, e.raw[:1000], "cancelled" if e.cancelled else "valid", False, False, source)
            new.append(w)
            new_by_key[key] = w
        else:
            w.seq, w.buyer_name, w.qty, w.spec, w.note = e.seq, name, qty, e.spec[:100], e.note[:500]
            if e.address:
                w.address = e.address[:200]
            if e.phone:
                w.phone = e.phone[:32]
            if e.amount is not None:
                w.amount = e.amount
            if e.raw:
                w.raw_line = e.raw[:1000]
            w.missing = False
            if e.cancelled:  # a paste may cancel; it never revives a cancelled entry
                w.status = "cancelled"
        if not e.cancelled:
            last_active[name] = key
    for key in cancel_keys:
        w = new_by_key.get(key) or by_key.get(key)
        if w is not None:
            w.status = "cancelled"
    if flag_missing is not None:
        for w in existing:
            if w.key not in seen and w.source in flag_missing and not w.missing and w.status != "cancelled":
                w.missing = True
    works = existing + new
    _allocate(deal, works)
    for w in new:
        d = _desc(w) if describe else {}
        (plan.cancelled if w.status == "cancelled" else plan.added).append(d)
        plan.waitlisted_new += w.status == "waitlisted"
        plan.over_limit_new += w.over_limit
    changed = []
    for w in existing:
        if w.values() == w.orig:
            plan.unchanged += 1
            continue
        changed.append(w)
        old = dict(zip(_FIELDS, w.orig))
        d = _desc(w)
        if w.missing and not old["missing"]:
            plan.missing.append(d)
            continue
        if w.status == "cancelled" and old["status"] != "cancelled":
            plan.cancelled.append(d)
            continue
        diffs = []
        for f, label in (("qty", "数量"), ("seq", "序号"), ("spec", "规格"), ("note", "备注"), ("status", "状态")):
            if old[f] != getattr(w, f):
                a, b = old[f], getattr(w, f)
                if f == "status":
                    a, b = ENTRY_STATUS_LABELS.get(a, a), ENTRY_STATUS_LABELS.get(b, b)
                diffs.append(f"{label} {a}→{b}")
        d["变化说明"] = "，".join(diffs) or "内容更新"
        plan.updated.append(d)
        if w.status == "waitlisted" and old["status"] != "waitlisted":
            plan.waitlisted_new += 1
        if w.over_limit and not old["over_limit"]:
            plan.over_limit_new += 1
    plan.after = _totals(works)
    return plan, new, changed


# ---------------------------------------------------------------- writing


def _buyer_deltas(session: Session, deal: Deal, deltas: dict[str, tuple[int, int]]) -> None:
    """Apply per-name (entries, units) deltas to DealBuyer and ShowBuyer, then refresh Show.buyers.

    Atomic upserts (col = col + delta), one executemany each. Show.buyers is recounted in SQL
    from show_buyer (indexed by show): every caller has already logged its event, which locks
    the show row, so writers of one show's buyers are serialised.
    """
    deltas = {n: d for n, d in deltas.items() if d != (0, 0)}
    if not deltas:
        return
    names = sorted(deltas)  # the same lock order in every writer
    ins_deal = tallies._insert(session, DealBuyer.__table__)
    stmt = ins_deal.on_conflict_do_update(
        index_elements=["deal_id", "name"],
        set_={
            "valid_entries": DealBuyer.__table__.c.valid_entries + ins_deal.excluded.valid_entries,
            "valid_units": DealBuyer.__table__.c.valid_units + ins_deal.excluded.valid_units,
        },
    )
    session.execute(
        stmt, [{"deal_id": deal.id, "name": n, "valid_entries": deltas[n][0], "valid_units": deltas[n][1]} for n in names]
    )
    entry_names = [n for n in names if deltas[n][0]]
    if not entry_names:
        return
    ins_show = tallies._insert(session, ShowBuyer.__table__)
    stmt = ins_show.on_conflict_do_update(
        index_elements=["show_id", "name"],
        set_={"valid_entries": ShowBuyer.__table__.c.valid_entries + ins_show.excluded.valid_entries},
    )
    session.execute(stmt, [{"show_id": deal.show_id, "name": n, "valid_entries": deltas[n][0]} for n in entry_names])
    buyers = (
        select(func.count())
        .select_from(ShowBuyer)
        .where(ShowBuyer.show_id == deal.show_id, ShowBuyer.valid_entries > 0)
        .scalar_subquery()
    )
    session.execute(
        update(Show).where(Show.id == deal.show_id).values(buyers=buyers).execution_options(synchronize_session=False)
    )


def _chunks(xs: list, n: int):
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def _per_name(works: list[_Work], use_orig: bool) -> Counter:
    c: Counter = Counter()
    for w in works:
        if use_orig:
            if w.orig is None:
                continue
            vals = dict(zip(_FIELDS, w.orig))
            name, status, qty = vals["buyer_name"], vals["status"], vals["qty"]
        else:
            name, status, qty = w.buyer_name, w.status, w.qty
        if status == "valid":
            c[(name, "e")] += 1
            c[(name, "u")] += qty
    return c


def _write(
    session: Session, actor: Actor, deal: Deal, plan: PastePlan, new: list[_Work], changed: list[_Work],
    existing: list[_Work], at: datetime,
) -> list[str]:
    if new:
        rows = [
            {
                "deal_id": deal.id, "line_key": w.key, "seq": w.seq, "buyer_name": w.buyer_name, "qty": w.qty,
                "spec": w.spec, "note": w.note, "address": w.address, "phone": w.phone, "amount": w.amount,
                "source": w.source, "status": w.status, "over_limit": w.over_limit, "missing": False,
                "raw_line": w.raw_line, "created_at": at, "updated_at": at,
            }
            for w in new
        ]
        for chunk in _chunks(rows, 1000):
            session.execute(insert(EntryRow.__table__), chunk)  # Core executemany: no ORM per-row work
    if changed:
        session.execute(
            update(EntryRow),
            [{"id": w.id, **{f: getattr(w, f) for f in _FIELDS}, "updated_at": at} for w in changed],
        )
    before = _per_name(existing, True)
    after = _per_name(existing + new, False)
    names = {k[0] for k in before} | {k[0] for k in after}
    deltas = {n: (after[(n, "e")] - before[(n, "e")], after[(n, "u")] - before[(n, "u")]) for n in names}
    _buyer_deltas(session, deal, deltas)
    t = plan.after
    deal.entries_valid = t["entries_valid"]
    deal.units_valid = t["units_valid"]
    deal.entries_waitlisted = t["entries_waitlisted"]
    deal.units_waitlisted = t["units_waitlisted"]
    deal.buyers_valid = t["buyers_valid"]
    joined = [w for w in new if w.status != "cancelled"]
    if joined:
        _bump_minutes(session, deal, at, len(joined), sum(w.qty for w in joined))
    session.flush()
    return _milestones(session, actor, deal, at)


def _bump_minutes(session: Session, deal: Deal, at: datetime, entries: int, units: int) -> None:
    """Entries joining the chain (valid or waitlisted) per minute: the chain's pace."""
    tallies.bump_deal_minute(session, deal.id, at, entries=entries, units=units)
    tallies.bump_show_minute(session, deal.show_id, at, entries=entries)


def _milestones(session: Session, actor: Actor | None, deal: Deal, at: datetime) -> list[str]:
    """成团 / 售罄 at the moment of the crossing entry; keeps status in line with the tallies."""
    msgs = []
    reached = (deal.units_valid if deal.threshold_unit == "份" else deal.buyers_valid) >= deal.threshold
    sold_out = deal.stock is not None and deal.units_valid >= deal.stock
    if reached and deal.reached_at is None:
        deal.reached_at = at
        msgs.append("🎉 已成团！")
        events.record(session, "deal.reached", deal.show_id, actor, at=at, deal_id=deal.id, product=deal.product,
                      units=deal.units_valid, buyers=deal.buyers_valid)
    if sold_out and deal.sold_out_at is None:
        deal.sold_out_at = at
        msgs.append("🔥 已售罄！")
        events.record(session, "deal.sold_out", deal.show_id, actor, at=at, deal_id=deal.id, product=deal.product,
                      units=deal.units_valid)
    if deal.status != "draft":
        if sold_out:
            deal.status = "sold_out"
        elif reached:
            deal.status = "reached"
        elif deal.failed_at is not None:
            deal.status = "failed"
        else:
            deal.status = "released"
    session.flush()
    return msgs


def _result(plan: PastePlan, deal: Deal, milestones: list[str]) -> PasteResult:
    return PasteResult(
        deal_id=deal.id,
        added=len(plan.added),
        updated=len(plan.updated),
        missing=len(plan.missing),
        cancelled=len(plan.cancelled),
        unchanged=plan.unchanged,
        waitlisted=plan.waitlisted_new,
        over_limit=plan.over_limit_new,
        ignored=len(plan.ignored),
        entries_valid=deal.entries_valid,
        units_valid=deal.units_valid,
        entries_waitlisted=deal.entries_waitlisted,
        buyers_valid=deal.buyers_valid,
        milestones=milestones,
    )


# ---------------------------------------------------------------- public API


def preview_paste(session: Session, deal_id: int, text: str) -> PastePlan:
    """What apply_paste would change, without writing anything."""
    deal = get_deal(session, deal_id)
    parsed = parse_chain(text, specs_of(deal))
    plan, _, _ = _plan(deal, _load(session, deal_id), [(None, e) for e in parsed], "paste", {"paste", "manual", "simulator"}, clock.now())
    return plan


def apply_paste(
    session: Session, actor: Actor, deal_id: int, text: str, source: str = "paste", at: datetime | None = None
) -> PasteResult:
    """Store a pasted chain: new lines added, changed lines updated, missing ones flagged.

    Idempotent: the same paste twice changes nothing the second time. One event per paste.
    """
    require(actor, "chain.write")
    # Parse before taking the lock: the lock is held only for the database work.
    deal0 = get_deal(session, deal_id)
    parsed = parse_chain(text, specs_of(deal0))
    return apply_entries(session, actor, deal_id, [(None, e) for e in parsed], source=source, at=at,
                         flag_missing={"paste", "manual", "simulator"}, event_kind="chain.pasted")


def apply_entries(
    session: Session,
    actor: Actor,
    deal_id: int,
    incoming: list[tuple[str | None, ChainEntry]],
    source: str,
    at: datetime | None = None,
    flag_missing: set[str] | None = None,
    event_kind: str = "chain.pasted",
    **payload,
) -> PasteResult:
    """The shared core of paste and import: keyed entries in, one event out."""
    require(actor, "chain.write")
    at = at or clock.now()
    deal = lock_deal(session, deal_id)
    _require_open(deal)
    existing = _load(session, deal_id)
    plan, new, changed = _plan(deal, existing, incoming, source, flag_missing, at, describe=False)
    events.record(
        session, event_kind, deal.show_id, actor, at=at, deal_id=deal.id, source=source,
        parsed=plan.parsed, added=len(plan.added), updated=len(plan.updated), missing=len(plan.missing),
        cancelled=len(plan.cancelled), waitlisted=plan.waitlisted_new, **payload,
    )
    milestones = _write(session, actor, deal, plan, new, changed, existing, at)
    return _result(plan, deal, milestones)


def reallocate(session: Session, actor: Actor | None, deal: Deal, at: datetime) -> list[str]:
    """Recompute statuses and tallies of a locked deal (after a stock change or a cancellation)."""
    existing = _load(session, deal.id)
    plan, new, changed = _plan(deal, existing, [], "paste", None, at)
    return _write(session, actor or SYSTEM, deal, plan, new, changed, existing, at)


def add_entry(
    session: Session,
    actor: Actor,
    deal_id: int,
    name: str,
    qty: int = 1,
    spec: str = "",
    note: str = "",
    address: str = "",
    source: str = "manual",
    at: datetime | None = None,
    seq: int | None = None,
    phone: str = "",
    amount: Decimal | None = None,
) -> EntryRow:
    """One entry (the console's manual add, the simulator): valid if it fits the stock, else 候补."""
    require(actor, "chain.write")
    name = key_name(name or "")[:100]
    if not name:
        raise InvalidInput("团员昵称不能为空。", "团员")
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        raise InvalidInput(f"数量须为 1 到 {MAX_QTY} 之间的整数。", "数量")
    at = at or clock.now()
    deal = lock_deal(session, deal_id)
    _require_open(deal)
    taken = set(session.scalars(select(EntryRow.line_key).where(EntryRow.deal_id == deal_id, EntryRow.buyer_name == name)))
    n = len(taken) + 1
    while make_key(name, n) in taken:
        n += 1
    fits = deal.stock is None or deal.units_valid + qty <= deal.stock
    over = False
    if fits and deal.per_person_limit:
        had = session.scalar(
            select(DealBuyer.valid_units).where(DealBuyer.deal_id == deal_id, DealBuyer.name == name)
        ) or 0
        over = had + qty > deal.per_person_limit
    row = EntryRow(
        deal_id=deal_id, line_key=make_key(name, n), seq=seq, buyer_name=name, qty=qty, spec=(spec or "")[:100],
        note=(note or "")[:500], address=(address or "")[:200], phone=(phone or "")[:32], amount=amount,
        source=source, status="valid" if fits else "waitlisted", over_limit=over, missing=False,
        raw_line="", created_at=at, updated_at=at,
    )
    session.add(row)
    session.flush()
    # Lock order everywhere: deal → show (the event bumps show.version) → buyer rows → minutes.
    events.record(session, "chain.entry_added", deal.show_id, actor, at=at, deal_id=deal.id, entry_id=row.id,
                  name=name, qty=qty, status=row.status, source=source)
    if fits:
        had_entries = session.scalar(
            select(DealBuyer.valid_entries).where(DealBuyer.deal_id == deal_id, DealBuyer.name == name)
        ) or 0
        deal.entries_valid += 1
        deal.units_valid += qty
        deal.buyers_valid += had_entries == 0
        _buyer_deltas(session, deal, {name: (1, qty)})
    else:
        deal.entries_waitlisted += 1
        deal.units_waitlisted += qty
    _bump_minutes(session, deal, at, 1, qty)
    _milestones(session, actor, deal, at)
    return row


def cancel_entry(session: Session, actor: Actor, entry_id: int, at: datetime | None = None) -> list[int]:
    """Cancel one entry; freed stock goes to the first waitlisted entries that fit.

    Returns the ids of the entries promoted from the waitlist.
    """
    require(actor, "chain.write")
    deal_id = session.scalar(select(EntryRow.deal_id).where(EntryRow.id == entry_id))
    if deal_id is None:
        raise NotFound(f"找不到编号为 {entry_id} 的接龙条目。")
    at = at or clock.now()
    deal = lock_deal(session, deal_id)
    existing = _load(session, deal_id)
    target = next(w for w in existing if w.id == entry_id)
    if target.status == "cancelled":
        raise InvalidState(f"「{target.buyer_name}」的这条接龙已经取消过了。")
    waiting = {w.id for w in existing if w.status == "waitlisted"}
    target.status = "cancelled"
    plan, new, changed = _plan(deal, existing, [], "paste", None, at)
    promoted = [w.id for w in existing if w.id in waiting and w.status == "valid"]
    events.record(session, "chain.entry_cancelled", deal.show_id, actor, at=at, deal_id=deal.id, entry_id=entry_id,
                  name=target.buyer_name, qty=target.qty, promoted=promoted)
    _write(session, actor, deal, plan, new, changed, existing, at)
    return promoted


def list_entries(session: Session, deal_id: int, limit: int = 2000) -> list[dict]:
    """Entries in chain order for the console's table."""
    c = EntryRow
    q = (
        select(c.id, c.seq, c.buyer_name, c.qty, c.spec, c.note, c.address, c.status, c.over_limit, c.missing, c.source, c.created_at)
        .where(c.deal_id == deal_id)
        .order_by(c.id)
        .limit(limit)
    )
    return [
        {
            "编号": r.id, "序号": r.seq, "团员": r.buyer_name, "数量": r.qty, "规格": r.spec, "备注": r.note,
            "楼栋/地址": r.address, "状态": ENTRY_STATUS_LABELS.get(r.status, r.status),
            "提示": "；".join(x for x in ("超出限购" if r.over_limit else "", "最新接龙中缺失" if r.missing else "") if x),
            "来源": {"paste": "粘贴", "import": "导入", "manual": "手动", "simulator": "模拟"}.get(r.source, r.source),
            "时间": r.created_at,
        }
        for r in session.execute(q)
    ]


def progress_text(session: Session, deal_id: int) -> str:
    """The line to post in the group: 已接龙30单！还差20单成团！ / 已成团！还剩8份 / 最后5份！"""
    deal = get_deal(session, deal_id)
    return progress_text_of(deal)


def progress_text_of(deal: Deal) -> str:
    if deal.status == "draft":
        return f"「{deal.product}」接龙即将开始，敬请期待！"
    remaining = None if deal.stock is None else max(deal.stock - deal.units_valid, 0)
    if deal.threshold_unit == "人":
        have, unit_have, unit_need = deal.buyers_valid, "人", "人"
    else:
        have = deal.entries_valid
        unit_have = "单"
        unit_need = "单" if deal.units_valid == deal.entries_valid else "份"
    counted = deal.units_valid if deal.threshold_unit == "份" else deal.buyers_valid
    reached = counted >= deal.threshold
    if deal.status == "failed" and not reached:
        return f"很遗憾，「{deal.product}」未能成团（已接龙{have}{unit_have}，需{deal.threshold}{deal.threshold_unit}），将原路退款。"
    if remaining == 0:
        waiting = "，后续接龙将进入候补" if deal.entries_waitlisted == 0 else f"，已有{deal.entries_waitlisted}单候补"
        return f"已售罄！感谢大家支持{waiting}。"
    if not reached:
        text = f"已接龙{have}{unit_have}！还差{deal.threshold - counted}{unit_need}成团！"
        if remaining is not None and remaining <= 5 and deal.units_valid > 0:
            text += f"最后{remaining}份！"
        return text
    if remaining is None:
        return f"已成团！已接龙{have}{unit_have}，还在接龙中！"
    if remaining <= 5:
        return f"最后{remaining}份！"
    return f"已成团！还剩{remaining}份"


def check_outcomes(session: Session, deal_id: int, now: datetime | None = None) -> list[str]:
    """Detect 成团 / 售罄 / 未成团 (deadline passed below the threshold); newly found ones are logged."""
    now = now or clock.now()
    deal = lock_deal(session, deal_id)
    if deal.status == "draft":
        return []
    msgs = _milestones(session, SYSTEM, deal, now)
    counted = deal.units_valid if deal.threshold_unit == "份" else deal.buyers_valid
    if deal.deadline is not None and now >= deal.deadline and counted < deal.threshold and deal.failed_at is None:
        deal.failed_at = deal.deadline
        deal.status = "failed"
        events.record(session, "deal.failed", deal.show_id, SYSTEM, at=deal.deadline, deal_id=deal.id,
                      product=deal.product, units=deal.units_valid, buyers=deal.buyers_valid, threshold=deal.threshold)
        msgs.append(f"「{deal.product}」截止时未达到成团数，未成团。")
        session.flush()
    return msgs


def deal_status_label(deal: Deal) -> str:
    return STATUS_LABELS.get(deal.status, deal.status)


def count_entries(session: Session, deal_id: int) -> int:
    return session.scalar(select(func.count()).select_from(EntryRow).where(EntryRow.deal_id == deal_id)) or 0
