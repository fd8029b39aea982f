"""Fulfilment (履约): the items that keep a promise, ticked one by one or by chain range; and
claims (refund / payout requests). How items are drawn from the chain: services.promises.expansion."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, FulfilmentItem, Promise
from services import clock, events
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, NotFound
from services.text import clean
from services.promises.expansion import ExpandResult, expand, get_promise, sync_show  # noqa: F401
from services.promises.labels import FULFILLED_BY_HAND, Scope
from services.promises.reads import check_range

CLAIM_RESOLVE_HOURS = 24  # a refund / payout request is due this long after it was logged


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
            note = clean(c.note)
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
    check_range(first, last)
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
    buyer = clean(buyer)
    if not buyer:
        raise InvalidInput("请填写申请人。", field="申请人")
    reason = clean(reason)
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
