"""Fulfilment (履约): the items that keep a promise, drawn from the chain and kept in step
with it, ticked one by one or by chain range; and claims (refund / payout requests).

When expansion reruns: on `confirm`, on `update_promise` when the deal changes, and through
`sync_show` (every confirmed open promise of a show). `expand` is idempotent: entries that
became cancelled / waitlisted lose their item's `active` flag (done history kept), entries
that became valid again (moved up from the waitlist) get it back, new entries get a new item;
the unique (promise_id, chain_entry_id) constraint forbids doubles even with concurrent syncs.
Entries of a deal that failed (未成团) are out of scope: nothing is delivered for them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Promise
from services import clock, events, jielong
from services.authz import Actor, require
from services.errors import Forbidden, InvalidInput, InvalidState, NotFound
from services.promises.labels import EXPANDED_SCOPES, FULFILLED_BY_HAND, PromiseStatus, Scope
from services.sql import upsert_insert

CLAIM_RESOLVE_HOURS = 24  # a refund / payout request is due this long after it was logged


@dataclass(frozen=True)
class ExpandResult:
    added: int = 0
    reactivated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reactivated or self.deactivated)


def get_promise(session: Session, promise_id: int) -> Promise:
    p = session.get(Promise, promise_id)
    if p is None:
        raise NotFound(f"找不到编号为 {promise_id} 的承诺，可能已被删除。")
    return p


def _target_entries(session: Session, p: Promise):
    """SELECT of the chain entry ids the promise covers now."""
    if p.scope == Scope.MIN_QTY:
        return _min_qty_entries(p)
    q = select(ChainEntry.id).join(Deal, Deal.id == ChainEntry.deal_id).where(
        ChainEntry.status == jielong.EntryStatus.VALID, Deal.status != jielong.DealStatus.FAILED
    )
    if p.deal_id is not None and p.scope in (Scope.DEAL, Scope.FIRST_N):
        q = q.where(ChainEntry.deal_id == p.deal_id)
    else:
        q = q.where(Deal.show_id == p.show_id)
    if p.scope == Scope.FIRST_N:
        if p.deal_id is not None:
            q = q.order_by(ChainEntry.seq.is_(None), ChainEntry.seq, ChainEntry.id)
        else:
            q = q.order_by(ChainEntry.created_at, ChainEntry.id)
        q = q.limit(p.first_n or 0)
    return q


def _min_qty_entries(p: Promise):
    """满 N 份: each buyer (name as written, per deal) whose valid entries of the promise's deal
    (of the show's deals when it has none) add up to at least N, once: their first entry."""
    q = select(func.min(ChainEntry.id)).join(Deal, Deal.id == ChainEntry.deal_id).where(
        ChainEntry.status == jielong.EntryStatus.VALID, Deal.status != jielong.DealStatus.FAILED
    )
    q = q.where(ChainEntry.deal_id == p.deal_id) if p.deal_id is not None else q.where(Deal.show_id == p.show_id)
    return q.group_by(ChainEntry.deal_id, ChainEntry.buyer_name).having(func.sum(ChainEntry.qty) >= (p.min_qty or 1))


def expand(
    session: Session,
    promise_id: int,
    *,
    actor: Actor | None = None,
    at: datetime | None = None,
    log: bool = True,
) -> ExpandResult:
    """Bring the promise's items in line with its scope and the chain as it is now.

    Idempotent: run it as often as you like. Unconfirmed promises and claims scopes have
    nothing to expand. Logs one 'promise.expanded' event when something changed."""
    p = get_promise(session, promise_id)
    if not p.confirmed or p.scope == Scope.CLAIMS:
        return ExpandResult()
    now = at or clock.now()
    target = set(session.scalars(_target_entries(session, p)))
    existing = dict(
        session.execute(
            select(FulfilmentItem.chain_entry_id, FulfilmentItem.active).where(
                FulfilmentItem.promise_id == p.id,
                FulfilmentItem.kind == "item",
                FulfilmentItem.chain_entry_id.is_not(None),
            )
        ).all()
    )
    new_ids = sorted(target - existing.keys())
    back = [e for e, active in existing.items() if not active and e in target]
    gone = [e for e, active in existing.items() if active and e not in target]
    added = 0
    if new_ids:
        labels = {
            i: _entry_label(seq, name, qty, spec)
            for i, seq, name, qty, spec in session.execute(
                select(ChainEntry.id, ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec).where(
                    ChainEntry.id.in_(new_ids)
                )
            )
        }
        stmt = upsert_insert(session, FulfilmentItem).values(
            [
                {
                    "promise_id": p.id,
                    "chain_entry_id": i,
                    "kind": "item",
                    "label": labels.get(i, "")[:200],
                    "active": True,
                    "done": False,
                    "note": "",
                    "due_at": p.due_at,
                    "created_at": now,
                }
                for i in new_ids
            ]
        ).on_conflict_do_nothing(index_elements=["promise_id", "chain_entry_id"]).returning(FulfilmentItem.id)
        added = len(session.execute(stmt).all())
    if back:
        session.execute(
            update(FulfilmentItem)
            .where(FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.chain_entry_id.in_(back))
            .values(active=True)
        )
    if gone:
        session.execute(
            update(FulfilmentItem)
            .where(FulfilmentItem.promise_id == p.id, FulfilmentItem.kind == "item", FulfilmentItem.chain_entry_id.in_(gone))
            .values(active=False)
        )
    result = ExpandResult(added=max(added, 0), reactivated=len(back), deactivated=len(gone))
    if log and result.changed:
        events.record(
            session, "promise.expanded", p.show_id, actor, at=at, promise_id=p.id,
            added=result.added, reactivated=result.reactivated, deactivated=result.deactivated,
        )
    session.flush()
    return result


def _entry_label(seq: int | None, name: str, qty: int | None, spec: str) -> str:
    head = f"{seq}. " if seq is not None else ""
    tail = f"（{spec}）" if spec else ""
    return f"{head}{name} ×{qty or 1}{tail}"


def sync_show(session: Session, show_id: int, *, actor: Actor | None = None, at: datetime | None = None) -> ExpandResult:
    """Re-expand every confirmed open promise of the show (the 「同步名单」 action). A write:
    the actor must be one who may see the items follow the chain (promise.sync)."""
    if actor is None:
        raise Forbidden("同步履约名单需要操作人。")
    require(actor, "promise.sync")
    ids = session.scalars(
        select(Promise.id).where(
            Promise.show_id == show_id,
            Promise.confirmed.is_(True),
            Promise.status == PromiseStatus.OPEN,
            Promise.scope.in_(EXPANDED_SCOPES),
        ).order_by(Promise.id)
    ).all()
    added = reactivated = deactivated = 0
    for pid in ids:
        r = expand(session, pid, actor=actor, at=at)
        added, reactivated, deactivated = added + r.added, reactivated + r.reactivated, deactivated + r.deactivated
    return ExpandResult(added, reactivated, deactivated)


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    done: bool | None = None
    note: str | None = None


def update_items(
    session: Session,
    actor: Actor,
    promise_id: int,
    changes: list[ItemChange],
    *,
    at: datetime | None = None,
) -> int:
    """Tick / untick items and edit their notes in one batch (one event). Returns rows changed."""
    require(actor, "promise.fulfil")
    p = get_promise(session, promise_id)
    if not changes:
        return 0
    now = at or clock.now()
    ids = [c.item_id for c in changes]
    items = {
        i.id: i
        for i in session.scalars(
            select(FulfilmentItem).where(FulfilmentItem.promise_id == p.id, FulfilmentItem.id.in_(ids))
        )
    }
    missing = [i for i in ids if i not in items]
    if missing:
        raise NotFound("部分履约项已不存在，请刷新页面后重试。")
    changed = ticked = 0
    for c in changes:
        item = items[c.item_id]
        touched = False
        if c.done is not None and bool(c.done) != item.done:
            item.done = bool(c.done)
            item.done_at, item.done_by = (now, actor.id) if item.done else (None, None)
            item.fulfilled_via = FULFILLED_BY_HAND if item.done else None  # services.pickup ticks by hand-over
            ticked += 1 if item.done else -1
            touched = True
        if c.note is not None:
            note = c.note.strip()
            if len(note) > 500:
                raise InvalidInput("备注最多 500 字。", field="备注")
            if note != (item.note or ""):
                item.note = note
                touched = True
        changed += touched
    if changed:
        events.record(
            session, "promise.items", p.show_id, actor, at=now, promise_id=p.id, changed=changed, ticked=ticked
        )
    session.flush()
    return changed


def tick_range(
    session: Session,
    actor: Actor,
    promise_id: int,
    first: int,
    last: int,
    done: bool = True,
    *,
    at: datetime | None = None,
) -> int:
    """Tick (or untick) every active item whose chain entry's number (接龙序号) is in first..last."""
    require(actor, "promise.fulfil")
    p = get_promise(session, promise_id)
    if first < 1 or last < first:
        raise InvalidInput("接龙序号范围无效：起始须 ≥ 1 且不大于结束。", field="序号范围")
    now = at or clock.now()
    in_range = select(ChainEntry.id).where(ChainEntry.seq >= first, ChainEntry.seq <= last)
    result = session.execute(
        update(FulfilmentItem)
        .where(
            FulfilmentItem.promise_id == p.id,
            FulfilmentItem.active.is_(True),
            FulfilmentItem.done.is_(not done),
            FulfilmentItem.chain_entry_id.in_(in_range),
        )
        .values(
            done=done,
            done_at=now if done else None,
            done_by=actor.id if done else None,
            fulfilled_via=FULFILLED_BY_HAND if done else None,
        )
        .execution_options(synchronize_session=False)
    )
    n = result.rowcount or 0
    if n:
        events.record(
            session, "promise.items", p.show_id, actor, at=now, promise_id=p.id, changed=n,
            ticked=n if done else -n, seq_from=first, seq_to=last,
        )
    session.expire_all()
    return n


def add_claim(
    session: Session,
    actor: Actor,
    promise_id: int,
    buyer: str,
    reason: str = "",
    *,
    entry_id: int | None = None,
    at: datetime | None = None,
    due_at: datetime | None = None,
) -> FulfilmentItem:
    """Log one refund / payout request under a claims promise (due in CLAIM_RESOLVE_HOURS)."""
    require(actor, "promise.write")
    p = get_promise(session, promise_id)
    if p.scope != Scope.CLAIMS:
        raise InvalidState("只有范围为「按申请登记」的承诺才能登记退款/赔付申请。")
    buyer = (buyer or "").strip()
    if not buyer:
        raise InvalidInput("请填写申请人。", field="申请人")
    reason = (reason or "").strip()
    if len(buyer) > 100 or len(reason) > 150:
        raise InvalidInput("申请人最多 100 字，原因最多 150 字。", field="原因")
    if entry_id is not None:
        entry = session.get(ChainEntry, entry_id)
        if entry is None or session.scalar(select(Deal.show_id).where(Deal.id == entry.deal_id)) != p.show_id:
            raise InvalidInput("所选跟团不属于本场直播。", field="跟团")
        dup = session.scalar(
            select(func.count()).where(FulfilmentItem.promise_id == p.id, FulfilmentItem.chain_entry_id == entry_id)
        )
        if dup:
            raise InvalidState("这条跟团已登记过申请，请在原申请上处理。")
    now = at or clock.now()
    item = FulfilmentItem(
        promise_id=p.id,
        chain_entry_id=entry_id,
        kind="claim",
        label=(f"{buyer}：{reason}" if reason else buyer)[:200],
        active=True,
        done=False,
        note="",
        due_at=due_at or now + timedelta(hours=CLAIM_RESOLVE_HOURS),
        created_at=now,
    )
    session.add(item)
    session.flush()
    events.record(session, "promise.claim", p.show_id, actor, at=now, promise_id=p.id, item_id=item.id, buyer=buyer)
    return item


def resolve_claim(
    session: Session, actor: Actor, item_id: int, resolution: str, *, at: datetime | None = None
) -> FulfilmentItem:
    """Mark a claim resolved with how (已退款 12 元 / 已补发 …)."""
    item = session.get(FulfilmentItem, item_id)
    if item is None or item.kind != "claim":
        raise NotFound("找不到这条退款/赔付申请。")
    if not (resolution or "").strip():
        raise InvalidInput("请写明处理结果（如：已退款 12 元）。", field="处理结果")
    update_items(session, actor, item.promise_id, [ItemChange(item.id, done=True, note=resolution)], at=at)
    return item
