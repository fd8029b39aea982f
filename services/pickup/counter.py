"""核销 at the counter: find an order, hand it over (all or part), hand out its perks, undo.

Race-safe and idempotent:
- every hand-over locks the order's pickup row (services.locking: FOR UPDATE on PostgreSQL,
  the write lock on SQLite) before it reads what is left, so two people marking the same
  order at once record one hand-over; the second is told who took it and when;
- a request may carry a key (`request_key`: the order's version as the screen saw it, the
  quantity and who acts). A key already in the ledger (pickup_action.request_key, unique)
  makes the request a no-op, so a request retried after a lost connection never records
  twice, and db.transaction's retry of a lost commit never loses one.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select, union_all
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal, Pickup, PickupAction
from services import clock, events, jielong, locking
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState, NotFound
from services.pickup import promise_close, rows
from services.pickup.query import Query, as_name, like_escape, parse_query
from services.pickup.states import HANDOVERS, Action, PickupStatus, Via, status_sql, when_text
from services.sql import is_postgresql, upsert_insert
from services.text import clean

MAX_RESULTS = 50


class AlreadyPickedUp(InvalidState):
    """The order was already handed over in full; says by whom and when."""

    def __init__(self, row: rows.PickupRow):
        self.entry_id, self.by, self.at = row.entry_id, row.picked_by, row.done_at or row.picked_at
        how = "已配送" if row.via == Via.DELIVERY else "已提货"
        who = f"由「{row.picked_by}」" if row.picked_by else ""
        super().__init__(
            f"{row.seq_text}「{row.name}」的 {row.product} ×{row.qty} {how}：{who}于 {when_text(self.at)} 登记，无需重复核销。"
        )


# ---------------------------------------------------------------- reading


def find(session: Session, show_id: int, query: str, limit: int = MAX_RESULTS,
         keep: Sequence[int] = ()) -> list[rows.PickupRow]:
    """The show's orders matching a 跟团号, a phone tail (4 digits), part of a name, of the address
    written in the chain (a room, a building), of the note, or of the pickup point the order names
    (services.places: 西门菜站 kept in the note, 东门自提 read as 东门自提点); orders
    still to hand over first. See services.pickup.query for how the text is read.

    `keep`: the entry ids of the cards the staff see now, in their order. Those found again stay
    in that order, first, and the new ones follow: at the counter a tap must not move the cards
    (the order handed over would drop to the bottom and slide the next one under the thumb, and
    a second tap would hand over the wrong order).

    Each kind of match is its own index-friendly lookup of entry ids (the phone tail by
    ix_chain_entry_phone_tail, the 跟团号 by (deal_id, status, seq) per deal), joined by UNION
    ALL in one statement; one OR across them would make the database scan the chain."""
    q = parse_query(clean(query))
    if q is None:
        return []
    found = _lookup(session, show_id, q, limit, keep)
    if not found and q.name is None:
        # a number that is no 跟团号 or phone of this show may be written in the name: a room or a
        # building chained as the name (295-909, 296-1202) or a nickname's digits (蒋奶奶36)
        found = _lookup(session, show_id, as_name(query), limit, keep)
    return found


def _lookup(session: Session, show_id: int, q: Query, limit: int, keep: Sequence[int]) -> list[rows.PickupRow]:
    in_show = select(ChainEntry.id).join(Deal, Deal.id == ChainEntry.deal_id).where(
        Deal.show_id == show_id, ChainEntry.status == jielong.EntryStatus.VALID
    )
    lookups = []
    if q.seq is not None:
        lookups.append(in_show.where(ChainEntry.seq == q.seq))
    if q.tail:
        lookups.append(select(ChainEntry.id).where(ChainEntry.phone_tail == q.tail))
    if q.name:  # the outer query keeps valid entries only
        show_deals = select(Deal.id).where(Deal.show_id == show_id)
        # the name; the address: the room or building the neighbour says (1203, 12栋); the note:
        # where the chain reader keeps a station named after the quantity (night 19: `李姐 2份
        # 西门菜站`). No index helps a substring: one pass over the show's entries tests all three
        # (a lookup each read the show three times, twice the time)
        lookups.append(select(ChainEntry.id).where(ChainEntry.deal_id.in_(show_deals), or_(
            *(_like(session, column, q.name) for column in (ChainEntry.buyer_name, ChainEntry.address, ChainEntry.note)))))
        lookups.append(_at_point(session, show_deals, q.name))
    ids = lookups[0] if len(lookups) == 1 else union_all(*lookups)
    stmt = rows.open_first(rows.base_select(show_id).where(ChainEntry.id.in_(ids)), keep).limit(limit)
    found = rows.to_rows(session, session.execute(stmt))
    if q.phone:  # a whole number was typed: its tail matched, the number must too
        found = [r for r in found if _digits_match(session, r.entry_id, q.phone)]
    return found


def _at_point(session: Session, show_deals: Select, text: str) -> Select:
    """The entries whose pickup point, as the packing lists name it (services.places.pickup_point),
    holds the text: the point is read from the address and the note, so 「东门自提点」 finds `东门自提`
    written in either. The point is recorded on the entry when the chain writes it
    (chain_entry.pickup_point); ix_chain_entry_deal_point serves the lookup, and the entries that
    name no point (NULL) are skipped by the index, never read."""
    return select(ChainEntry.id).where(
        ChainEntry.deal_id.in_(show_deals), ChainEntry.pickup_point.is_not(None),
        _like(session, ChainEntry.pickup_point, text))


def _like(session: Session, column, text: str):
    """Part of a name or an address, ignoring the case of Latin letters (Amy / amy). SQLite's LIKE
    ignores ASCII case by itself; on PostgreSQL ILIKE is used only when there is a Latin letter to
    fold, since it is several times slower than LIKE over Chinese names."""
    pattern = f"%{like_escape(text)}%"
    if is_postgresql(session) and re.search(r"[A-Za-z]", text):
        return column.ilike(pattern, escape="\\")
    return column.like(pattern, escape="\\")


def _digits_match(session: Session, entry_id: int, digits: str) -> bool:
    phone = session.scalar(select(ChainEntry.phone).where(ChainEntry.id == entry_id)) or ""
    return "".join(ch for ch in phone if ch.isdigit()).endswith(digits[-11:])


def request_key(action: str, row: rows.PickupRow, actor: Actor, qty: int | None = None) -> str:
    """An idempotency key for one tap: the same action on the same order as the screen saw it
    (its version), by the same person. A retried or double-sent tap carries the same key."""
    raw = f"{action}|{row.entry_id}|{row.version}|{qty or 'all'}|{actor.id}|{actor.name}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


# ---------------------------------------------------------------- writing


def _entry(session: Session, entry_id: int) -> tuple[ChainEntry, Deal]:
    entry = session.get(ChainEntry, entry_id)
    if entry is None:
        raise NotFound("找不到这条跟团，可能已被删除，请重新查找。")
    deal = session.get(Deal, entry.deal_id)
    return entry, deal


def _handable(entry: ChainEntry, deal: Deal) -> None:
    if entry.status == jielong.EntryStatus.CANCELLED:
        raise InvalidState(f"「{entry.buyer_name}」的这条跟团已取消，不能提货。")
    if entry.status == jielong.EntryStatus.WAITLISTED:
        raise InvalidState(f"「{entry.buyer_name}」的这条跟团还在候补，没有货可提。")
    if deal.status == jielong.DealStatus.FAILED:
        raise InvalidState(f"{deal.product} 未成团，没有货可提。")


def locked_state(session: Session, entry: ChainEntry, show_id: int) -> Pickup:
    """The order's pickup row, created on first use, locked until the transaction ends."""
    session.execute(
        upsert_insert(session, Pickup)
        .values(show_id=show_id, chain_entry_id=entry.id, picked_qty=0, version=0, via="", by_name="")
        .on_conflict_do_nothing(index_elements=["chain_entry_id"])
    )
    pid = session.scalar(select(Pickup.id).where(Pickup.chain_entry_id == entry.id))
    return locking.lock(session, Pickup, pid)


def _replayed(session: Session, key: str | None) -> bool:
    return bool(key) and session.scalar(select(PickupAction.id).where(PickupAction.request_key == key)) is not None


def _check_qty(qty: int | None, remaining: int) -> int:
    if qty is None:
        return remaining
    if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
        raise InvalidInput("提货数量须为正整数。", field="数量")
    if qty > remaining:
        raise InvalidInput(f"这单最多还能提 {remaining} 件。", field="数量")
    return qty


def _begin(session: Session, actor: Actor, entry_id: int) -> tuple[ChainEntry, Deal, Pickup]:
    """The checks every hand-over starts with, then the order's pickup row, locked."""
    require(actor, "pickup.mark")
    entry, deal = _entry(session, entry_id)
    _handable(entry, deal)
    return entry, deal, locked_state(session, entry, deal.show_id)


def handover(session: Session, p: Pickup, qty: int, at: datetime, actor: Actor, via: Via, *, run_id: int | None = None) -> None:
    """Add qty units to the order's hand-over state (the caller holds the row lock)."""
    p.picked_qty += qty
    p.version += 1
    p.first_at = p.first_at or at
    p.last_at, p.via, p.by_operator_id, p.by_name = at, via.value, actor.id, actor.name[:64]
    p.delivery_run_id = run_id


def mark(
    session: Session,
    actor: Actor,
    entry_id: int,
    qty: int | None = None,
    at: datetime | None = None,
    *,
    gifts: list[int] | tuple[int, ...] = (),
    key: str | None = None,
) -> rows.PickupRow:
    """Hand over `qty` units of the order (None: all that is left), with the perks in `gifts`
    (gift item ids) handed out at the same time. An order already handed over in full raises
    AlreadyPickedUp (who and when) and changes nothing."""
    entry, deal, p = _begin(session, actor, entry_id)
    if _replayed(session, key):
        return rows.row(session, entry_id)
    at = at or clock.now()
    remaining = entry.qty - p.picked_qty
    if remaining <= 0:
        raise AlreadyPickedUp(rows.row(session, entry_id))
    take = _check_qty(qty, remaining)
    owed = promise_close.gift_items(session, entry_id)
    unknown = [g for g in gifts if g not in owed]
    if unknown:
        raise InvalidInput("所选赠品不属于这条跟团，请刷新后重试。", field="赠品")
    handed = [g for g in gifts if not owed[g]]
    handover(session, p, take, at, actor, Via.COUNTER)
    closed = promise_close.hand_gifts(session, handed, at, actor.id)
    if p.picked_qty >= entry.qty:
        p.done_at = at
        closed = promise_close.merge(closed, promise_close.on_handover(session, [entry_id], at, Via.COUNTER, actor.id))
    session.add(PickupAction(
        pickup_id=p.id, show_id=deal.show_id, kind=Action.MARK, qty=take, at=at, operator_id=actor.id,
        by_name=actor.name[:64], request_key=key, gift_item_ids=handed,
    ))
    events.record(
        session, "pickup.marked", deal.show_id, actor, at=at, by=actor.name, entry_id=entry_id, seq=entry.seq,
        buyer=entry.buyer_name,
        qty=take, picked=p.picked_qty, of=entry.qty, gifts=len(handed), promises=closed or None,
    )
    return rows.row(session, entry_id)


def hand_gifts(
    session: Session, actor: Actor, entry_id: int, item_ids: list[int], at: datetime | None = None, *, key: str | None = None
) -> rows.PickupRow:
    """Mark perks handed out to an order after its pickup (补发赠品)."""
    entry, deal, p = _begin(session, actor, entry_id)
    if _replayed(session, key):
        return rows.row(session, entry_id)
    at = at or clock.now()
    owed = promise_close.gift_items(session, entry_id)
    handed = [g for g in item_ids if g in owed and not owed[g]]
    if not handed:
        raise InvalidState("所选赠品已发放或不属于这条跟团。")
    closed = promise_close.hand_gifts(session, handed, at, actor.id)
    p.version += 1
    session.add(PickupAction(
        pickup_id=p.id, show_id=deal.show_id, kind=Action.GIFT, qty=0, at=at, operator_id=actor.id,
        by_name=actor.name[:64], request_key=key, gift_item_ids=handed,
    ))
    events.record(
        session, "pickup.gifts", deal.show_id, actor, at=at, by=actor.name, entry_id=entry_id, seq=entry.seq,
        buyer=entry.buyer_name,
        gifts=len(handed), promises=closed or None,
    )
    return rows.row(session, entry_id)


def undo(session: Session, actor: Actor, entry_id: int, at: datetime | None = None, *, key: str | None = None) -> rows.PickupRow | None:
    """Undo the order's last hand-over (a wrong pickup, a gift given by mistake or a delivery):
    its units go back, the perks it handed out and the promise items it closed open again."""
    require(actor, "pickup.mark")
    at = at or clock.now()
    entry, deal = _entry(session, entry_id)
    pid = session.scalar(select(Pickup.id).where(Pickup.chain_entry_id == entry_id))
    p = locking.lock(session, Pickup, pid) if pid is not None else None
    if p is None:
        raise InvalidState(f"「{entry.buyer_name}」这单还没有提货记录，无需撤销。")
    if _replayed(session, key):
        return rows.row(session, entry_id)
    last = session.scalar(
        select(PickupAction)
        .where(PickupAction.pickup_id == p.id, PickupAction.kind != Action.UNDO, PickupAction.undone.is_(False))
        .order_by(PickupAction.id.desc())
        .limit(1)
    )
    if last is None:
        raise InvalidState(f"「{entry.buyer_name}」这单没有可撤销的提货记录。")
    last.undone = True
    was_done = p.done_at is not None
    p.picked_qty = max(p.picked_qty - last.qty, 0)
    p.version += 1
    restore_last(session, p)
    changed = promise_close.take_back_gifts(session, list(last.gift_item_ids or []))
    if was_done and p.picked_qty < entry.qty:
        p.done_at = None
        changed = promise_close.merge(changed, promise_close.on_revert(session, [entry_id]))
    session.add(PickupAction(
        pickup_id=p.id, show_id=deal.show_id, kind=Action.UNDO, qty=-last.qty, at=at, operator_id=actor.id,
        by_name=actor.name[:64], request_key=key, undoes_id=last.id,
    ))
    events.record(
        session, "pickup.undone", deal.show_id, actor, at=at, by=actor.name, entry_id=entry_id, seq=entry.seq,
        buyer=entry.buyer_name,
        qty=last.qty, undone=last.kind, picked=p.picked_qty, of=entry.qty, promises=changed or None,
    )
    return rows.row(session, entry_id)


def restore_last(session: Session, p: Pickup) -> None:
    """After an undo: the state shows the last hand-over still standing (or none)."""
    prev = session.scalar(
        select(PickupAction)
        .where(PickupAction.pickup_id == p.id, PickupAction.kind.in_(HANDOVERS), PickupAction.undone.is_(False))
        .order_by(PickupAction.id.desc())
        .limit(1)
    )
    if prev is None:
        p.first_at = p.last_at = None
        p.via, p.by_operator_id, p.by_name, p.delivery_run_id = "", None, "", None
        return
    p.last_at, p.by_operator_id, p.by_name = prev.at, prev.operator_id, prev.by_name
    p.via = Via.DELIVERY.value if prev.kind == Action.DELIVER else Via.COUNTER.value
    p.delivery_run_id = prev.delivery_run_id


def status_counts(session: Session, show_id: int) -> dict[PickupStatus, int]:
    """Orders per status (valid entries of the show), counted in SQL."""
    q = rows.base_select(show_id).with_only_columns(status_sql(Pickup.picked_qty, ChainEntry.qty).label("s"), func.count())
    out = {s: 0 for s in PickupStatus}
    for s, n in session.execute(q.group_by("s")):
        out[PickupStatus(s)] = int(n)
    return out
