"""Chain intake: pastes, imports, single entries and cancellations, with stock, waitlist,
per-person limits, tallies and milestones, all in the caller's transaction.

Every writer first locks the deal row (SELECT … FOR UPDATE on PostgreSQL; on SQLite a no-op
UPDATE takes the database write lock), so stock and waitlist decisions are serialised and a
deal is never oversold, however many consoles paste at once. What a paste changes (keys,
matching, allocation to stock) is planned in services.jielong.plan; this module writes the plan,
the buyer tallies and the per-minute rows, and lets services.jielong.lifecycle mark milestones.
Every row it writes carries the pickup point its address or note names (chain_entry.pickup_point,
read by services.places.pickup_point), set with the address and the note, for the pickup counter.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal, DealBuyer
from services import clock, events, locking, tallies
from services.places import pickup_point
from services.text import check_length, clean, column_limit, fit
from services.authz import SYSTEM, Actor, require
from services.errors import InvalidInput, InvalidState, NotFound, check_count
from services.jielong.deals import get_deal, specs_of
from services.jielong import buyers
from services.jielong.lifecycle import DealStatus, EntryStatus, deal_counts_toward_gmv, entry_flags_label, entry_status_label, milestones, progress_text_of
from services.jielong.parser import MAX_QTY, for_product, key_name, parse_chain
from services.jielong.plan import (
    FIELDS,
    PASTED_SOURCES,
    Incoming,
    PastePlan,
    PasteResult,
    Scope,
    Tallies,
    Work,
    load,
    make_key,
    count_entry,
    needs_full,
    plan,
    totals_after,
)
from services.jielong.spec_stock import judge_cancel, judge_paste, spec_units
from services.jielong.specs import over_spec_stock, price_of
from services.jielong.window import buyer_tallies, deal_tallies, scope_of
from services.sql import chunks

SOURCE_LABELS = {"paste": "粘贴", "import": "导入", "manual": "手动", "simulator": "模拟"}


def lock_open_deal(session: Session, deal_id: int) -> Deal:
    """The deal row, locked until the transaction ends; InvalidState while still a draft."""
    deal = locking.lock(session, Deal, deal_id, missing=f"找不到编号为 {deal_id} 的团品。")
    if deal.status == DealStatus.DRAFT:
        raise InvalidState(f"「{deal.product}」的接龙还未发布，发布后才能录入接龙。")
    return deal


# ---------------------------------------------------------------- writing a plan


def _per_person(works: list[Work], use_orig: bool) -> Counter:
    """Valid entries ("e") and units ("u") per person (name, building: buyers.person)."""
    c: Counter = Counter()
    for w in works:
        if use_orig:
            if w.orig is None:
                continue
            vals = w.before()
            name, address, status, qty = vals["buyer_name"], vals["address"], vals["status"], vals["qty"]
        else:
            name, address, status, qty = w.buyer_name, w.address, w.status, w.qty
        if status == EntryStatus.VALID:
            who = buyers.person(name, address)
            c[(who, "e")] += 1
            c[(who, "u")] += qty
    return c


def _insert_rows(session: Session, deal: Deal, new: list[Work], at: datetime) -> None:
    rows = [
        {
            "deal_id": deal.id, "line_key": w.key, "seq": w.seq, "buyer_name": w.buyer_name, "qty": w.qty,
            "spec": w.spec, "note": w.note, "address": w.address, "phone": w.phone, "amount": w.amount,
            "unit_price": w.unit_price, "pickup_point": pickup_point(w.address, w.note),
            "source": w.source, "status": w.status, "over_limit": w.over_limit, "missing": False,
            "over_stock": w.over_stock,
            "raw_line": w.raw_line, "created_at": at, "updated_at": at,
        }
        for w in new
    ]
    for chunk in chunks(rows, 1000):
        session.execute(insert(EntryRow.__table__), chunk)  # Core executemany: no ORM per-row work


def _write(
    session: Session, actor: Actor, deal: Deal, result: PastePlan, new: list[Work], changed: list[Work],
    existing: list[Work], at: datetime,
) -> list[str]:
    if new:
        _insert_rows(session, deal, new, at)
    if changed:
        session.execute(
            update(EntryRow),
            [{"id": w.id, **{f: getattr(w, f) for f in FIELDS}, "pickup_point": pickup_point(w.address, w.note),
              "line_key": w.key, "updated_at": at} for w in changed],
        )
    before = _per_person(existing, True)
    after = _per_person(existing + new, False)
    people = {k[0] for k in before} | {k[0] for k in after}
    deltas = {p: (after[(p, "e")] - before[(p, "e")], after[(p, "u")] - before[(p, "u")]) for p in people}
    buyers.apply_deltas(session, deal, deltas, deal_counts_toward_gmv(deal.status))
    for k, v in result.after.items():
        setattr(deal, k, v)  # entries_valid, units_valid, entries_waitlisted, units_waitlisted, buyers_valid
    joined = [w for w in new if w.status != EntryStatus.CANCELLED]
    if joined:
        _bump_minutes(session, deal, at, len(joined), sum(w.qty for w in joined))
    session.flush()
    return milestones(session, actor, deal, at)


def _bump_minutes(session: Session, deal: Deal, at: datetime, entries: int, units: int) -> None:
    """Entries joining the chain (valid or waitlisted) per minute: the chain's pace."""
    tallies.bump_deal_minute(session, deal.id, at, entries=entries, units=units)
    tallies.bump_show_minute(session, deal.show_id, at, entries=entries)


def _result(result: PastePlan, deal: Deal, found: list[str]) -> PasteResult:
    return PasteResult(
        deal_id=deal.id,
        added=len(result.added),
        updated=len(result.updated),
        missing=len(result.missing),
        cancelled=len(result.cancelled),
        unchanged=result.unchanged,
        waitlisted=result.waitlisted_new,
        over_limit=result.over_limit_new,
        ignored=len(result.ignored),
        entries_valid=deal.entries_valid,
        units_valid=deal.units_valid,
        entries_waitlisted=deal.entries_waitlisted,
        buyers_valid=deal.buyers_valid,
        milestones=found,
    )


# ---------------------------------------------------------------- public API


def preview_paste(session: Session, deal_id: int, text: str) -> PastePlan:
    """What apply_paste would change, without writing anything."""
    deal = get_deal(session, deal_id)
    other_products: list[str] = []
    parsed = for_product(parse_chain(text, specs_of(deal)), deal.product, other_products)
    result = _plan(session, deal, [(None, e) for e in parsed], "paste", PASTED_SOURCES, describe_new=True)[0]
    result.ignored += other_products
    return result


def _plan(session: Session, deal: Deal, incoming: Incoming, source: str, sources, describe_new: bool = False):
    """The plan of an intake over the entries it touches; every entry is re-served only when it
    changed what the order of service depends on. Returns (plan, new, changed, loaded).
    A paste with no chain line in it says nothing about which lines are missing."""
    sources = sources if incoming else None
    existing, scope = scope_of(session, deal, incoming, sources)
    if scope.tallies is not None and deal.spec_stock:  # the specs' 限量: only the specs the paste changes
        scope.judge_specs = lambda touched, new: judge_paste(session, deal, touched, new)
    result, new, changed = plan(deal, existing, incoming, source, sources, describe_new, scope)
    if scope.tallies is not None and needs_full(existing):
        existing, scope = _whole_chain(session, deal, scope)
        result, new, changed = plan(deal, existing, incoming, source, sources, describe_new, scope)
    return result, new, changed, existing


def _whole_chain(session: Session, deal: Deal, scope: Scope) -> tuple[list[Work], Scope]:
    """Every entry of the deal, and the scope without its tallies (the plan serves them all)."""
    return load(session, deal.id), Scope(scope.offsets, scope.from_seq)


def apply_paste(
    session: Session, actor: Actor, deal_id: int, text: str, source: str = "paste", at: datetime | None = None
) -> PasteResult:
    """Store a pasted chain: new lines added, changed lines updated, missing ones flagged.

    Idempotent: the same paste twice changes nothing the second time. One event per paste.
    """
    require(actor, "chain.write")
    # Parse before taking the lock: the lock is held only for the database work.
    deal = get_deal(session, deal_id)
    parsed = for_product(parse_chain(text, specs_of(deal)), deal.product)
    return apply_entries(session, actor, deal_id, [(None, e) for e in parsed], source=source, at=at,
                         flag_missing=PASTED_SOURCES, event_kind="chain.pasted")


def apply_entries(
    session: Session,
    actor: Actor,
    deal_id: int,
    incoming: Incoming,
    source: str,
    at: datetime | None = None,
    flag_missing: frozenset[str] | set[str] | None = None,
    event_kind: str = "chain.pasted",
    **payload,
) -> PasteResult:
    """The shared core of paste and import: keyed entries in, one event out."""
    require(actor, "chain.write")
    at = at or clock.now()
    deal = lock_open_deal(session, deal_id)
    result, new, changed, existing = _plan(session, deal, incoming, source, flag_missing)
    events.record(
        session, event_kind, deal.show_id, actor, at=at, deal_id=deal.id, source=source,
        parsed=result.parsed, added=len(result.added), updated=len(result.updated), missing=len(result.missing),
        cancelled=len(result.cancelled), waitlisted=result.waitlisted_new, **payload,
    )
    found = _write(session, actor, deal, result, new, changed, existing, at)
    return _result(result, deal, found)


def reallocate(session: Session, actor: Actor | None, deal: Deal, at: datetime) -> list[str]:
    """Recompute statuses and tallies of a locked deal (after a stock change or a cancellation)."""
    existing = load(session, deal.id)
    result, new, changed = plan(deal, existing, [], "paste", None)
    return _write(session, actor or SYSTEM, deal, result, new, changed, existing, at)


def _check_entry(name: str, qty: int) -> str:
    name = key_name(clean(name))
    check_length(name, column_limit(EntryRow.buyer_name), "团员昵称")
    if not name:
        raise InvalidInput("团员昵称不能为空。", "团员")
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        raise InvalidInput(f"数量须为 1 到 {MAX_QTY} 之间的整数。", "数量")
    return name


def _next_key(session: Session, deal_id: int, name: str) -> str:
    taken = set(session.scalars(select(EntryRow.line_key).where(EntryRow.deal_id == deal_id, EntryRow.buyer_name == name)))
    n = len(taken) + 1
    while make_key(name, n) in taken:
        n += 1
    return make_key(name, n)


def _buyer_had(session: Session, deal_id: int, name: str) -> tuple[int, int]:
    """(valid entries, valid units) the buyer already has in the deal."""
    row = session.execute(
        select(DealBuyer.valid_entries, DealBuyer.valid_units).where(DealBuyer.deal_id == deal_id, DealBuyer.name == name)
    ).first()
    return (row[0] or 0, row[1] or 0) if row else (0, 0)


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
    name = _check_entry(name, qty)
    if seq is not None:
        check_count(seq, "接龙序号")
    spec, note, address, phone = (fit(spec, column_limit(EntryRow.spec), "规格"),
                                  fit(note, column_limit(EntryRow.note), "备注"),
                                  fit(address, column_limit(EntryRow.address), "楼栋 / 自提点"),
                                  fit(phone, column_limit(EntryRow.phone), "手机号"))
    at = at or clock.now()
    deal = lock_open_deal(session, deal_id)
    twin = _manual_twin(session, deal_id, source, at, (name, qty, spec, note, address, phone, seq))
    if twin is not None:
        return twin  # the same line sent twice at one instant (a double click): one entry
    fits = deal.stock is None or deal.units_valid + qty <= deal.stock
    had_entries, had_units = _buyer_had(session, deal_id, name)
    over_stock = fits and deal.spec_stock is not None and over_spec_stock(
        deal.spec_stock, spec_units(session, deal_id, {spec}), spec, qty)
    row = EntryRow(
        deal_id=deal_id, line_key=_next_key(session, deal_id, name), seq=seq, buyer_name=name, qty=qty,
        spec=spec, note=note, address=address, phone=phone, pickup_point=pickup_point(address, note),
        amount=amount, unit_price=price_of(deal, spec), source=source,
        status=EntryStatus.VALID if fits else EntryStatus.WAITLISTED,
        over_limit=bool(fits and deal.per_person_limit and had_units + qty > deal.per_person_limit),
        missing=False, over_stock=over_stock, raw_line="", created_at=at, updated_at=at,
    )
    session.add(row)
    session.flush()
    # Lock order everywhere: deal → show (the event bumps show.version) → buyer rows → minutes.
    events.record(session, "chain.entry_added", deal.show_id, actor, at=at, deal_id=deal.id, entry_id=row.id,
                  name=name, qty=qty, status=row.status, source=source)
    after = deal_tallies(deal)
    count_entry(after, {f: getattr(row, f) for f in FIELDS}, 1, deal.group_price)
    after["buyers_valid"] += fits and had_entries == 0
    for k, v in after.items():
        setattr(deal, k, v)
    if fits:
        buyers.apply_deltas(session, deal, {buyers.person(name, address): (1, qty)}, deal_counts_toward_gmv(deal.status))
    _bump_minutes(session, deal, at, 1, qty)
    milestones(session, actor, deal, at)
    return row


def _manual_twin(session: Session, deal_id: int, source: str, at: datetime, line: tuple) -> EntryRow | None:
    """A live manual entry of the locked deal with the very same line (name, 份数, spec, note,
    address, phone, seq) added at (nearly) the same instant. Another neighbour's same line, or the
    same line added again later, is a new entry."""
    if source != "manual":
        return None
    name, qty, spec, note, address, phone, seq = line
    return session.scalars(
        select(EntryRow).where(
            EntryRow.deal_id == deal_id, EntryRow.source == "manual", EntryRow.status != EntryStatus.CANCELLED,
            EntryRow.buyer_name == name, EntryRow.qty == qty, EntryRow.spec == spec, EntryRow.note == note,
            EntryRow.address == address, EntryRow.phone == phone,
            EntryRow.seq.is_(None) if seq is None else EntryRow.seq == seq,
            locking.near(EntryRow.created_at, at),
        ).order_by(EntryRow.id).limit(1)
    ).first()


def cancel_entry(session: Session, actor: Actor, entry_id: int, at: datetime | None = None) -> list[int]:
    """Cancel one entry; freed stock goes to the first waitlisted entries that fit.

    Returns the ids of the entries promoted from the waitlist. Reads the entry, the waitlist and
    the entries of the buyers concerned (their 限购 flags), and on a deal with spec stock the
    entries of a spec whose flags the cancel can change (spec_stock.judge_cancel), never the whole chain.
    """
    require(actor, "chain.write")
    deal_id = session.scalar(select(EntryRow.deal_id).where(EntryRow.id == entry_id))
    if deal_id is None:
        raise NotFound(f"找不到编号为 {entry_id} 的接龙条目。")
    at = at or clock.now()
    deal = locking.lock(session, Deal, deal_id, missing=f"找不到编号为 {deal_id} 的团品。")
    target = load(session, deal_id, EntryRow.id == entry_id)[0]
    if target.status == EntryStatus.CANCELLED:
        raise InvalidState(f"该条已被他人取消：「{target.buyer_name}」的这条接龙已经取消过了，未做任何改动。")
    freed = target.qty if target.status == EntryStatus.VALID else 0
    target.status = EntryStatus.CANCELLED
    promote = _promotable(session, deal, deal.units_valid - freed) if freed else []
    names = {target.buyer_name} | {w.buyer_name for w in promote}
    touched = {w.id: w for w in load(session, deal_id, EntryRow.buyer_name.in_(sorted(names)))}
    touched[target.id] = target
    for w in promote:
        touched[w.id] = w
    _relimit(deal, sorted(touched.values(), key=lambda w: w.id))  # before any entry of another buyer joins
    if deal.spec_stock:
        judge_cancel(session, deal, target, promote, touched)
    works = sorted(touched.values(), key=lambda w: w.id)
    tallies = Tallies(deal_tallies(deal), buyer_tallies(session, deal_id, names))
    result = PastePlan(deal_id=deal.id, before=dict(tallies.before))
    result.after = totals_after(tallies, works, deal.group_price)
    changed = [w for w in works if w.values() != w.orig]
    promoted = [w.id for w in promote]
    events.record(session, "chain.entry_cancelled", deal.show_id, actor, at=at, deal_id=deal.id, entry_id=entry_id,
                  name=target.buyer_name, qty=target.qty, promoted=promoted)
    _write(session, actor, deal, result, [], changed, works, at)
    return promoted


def _promotable(session: Session, deal: Deal, units_valid: int) -> list[Work]:
    """The waitlisted entries that now fit, first-fit in chain order (they become valid)."""
    left = None if deal.stock is None else deal.stock - units_valid
    out = []
    for w in load(session, deal.id, EntryRow.status == EntryStatus.WAITLISTED):
        if left is None or w.qty <= left:
            w.status = EntryStatus.VALID
            left = None if left is None else left - w.qty
            out.append(w)
    return out


def _relimit(deal: Deal, works: list[Work]) -> None:
    """限购 flags of the buyers in `works` (all their entries, in chain order)."""
    per_name: Counter[str] = Counter()
    for w in works:
        if w.status != EntryStatus.VALID:
            w.over_limit = False
            continue
        per_name[w.buyer_name] += w.qty
        w.over_limit = bool(deal.per_person_limit and per_name[w.buyer_name] > deal.per_person_limit)


def list_entries(session: Session, deal_id: int, limit: int = 2000) -> list[dict]:
    """Entries in chain order for the console's table. "status" carries the code (the UI
    never compares the Chinese 状态 label); every other key is a Chinese column name."""
    c = EntryRow
    q = (
        select(c.id, c.seq, c.buyer_name, c.qty, c.spec, c.note, c.address, c.status, c.over_limit, c.missing,
               c.over_stock, c.source, c.created_at)
        .where(c.deal_id == deal_id)
        .order_by(c.id)
        .limit(limit)
    )
    return [
        {
            "编号": r.id, "status": r.status, "序号": r.seq, "团员": r.buyer_name, "数量": r.qty, "规格": r.spec,
            "备注": r.note, "楼栋/地址": r.address, "状态": entry_status_label(r.status),
            "提示": entry_flags_label(r.over_limit, r.over_stock, r.missing),
            "来源": SOURCE_LABELS.get(r.source, r.source),
            "时间": r.created_at,
        }
        for r in session.execute(q)
    ]


def progress_text(session: Session, deal_id: int) -> str:
    """The line to post in the group (see lifecycle.progress_text_of)."""
    return progress_text_of(get_deal(session, deal_id))
